"""Image files (folders, zip archives) decoded lazily into uint8 arrays.

A set is listed when it is opened and decoded when items are read. Every image of a set
must have the size and channel count of the first one; grey images (PIL modes 1, L, LA,
I, F) give one channel, everything else is converted to RGB.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import numpy as np

from genbench.data.splits import as_indices, check_field
from genbench.errors import GenbenchError

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".bmp")
BAND_BYTES = 1 << 24  # pixels copied out of Pillow at once
_GREY_MODES = {"1", "L", "LA", "I", "I;16", "F"}


def is_image_name(name: str) -> bool:
    return name.lower().endswith(EXTENSIONS) and not PurePosixPath(name).name.startswith(".")


def decode_image(data: bytes, name: str) -> np.ndarray:
    """Encoded image bytes → uint8 (C, H, W); a ``GenbenchError`` names ``name`` on failure."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.mode in ("I", "I;16", "F"):
                raise GenbenchError(
                    f"{name} is a {image.mode} (16-bit or float) image; save it as 8-bit."
                )
            mode = "L" if image.mode in _GREY_MODES else "RGB"
            # No converted copy of an image already in its mode
            with image if image.mode == mode else image.convert(mode) as converted:
                return _pixels(converted)
    except GenbenchError:
        raise
    except Exception as error:  # PIL raises OSError, SyntaxError, ValueError, ... by format
        raise GenbenchError(
            f"cannot decode image {name}: {error}. Replace or delete the file, or skip "
            "unreadable files with skip_bad=True (--skip-bad)."
        ) from error


def _pixels(image: PILImage) -> np.ndarray:
    """An L or RGB image as uint8 (C, H, W), copied a band of rows at a time: Pillow's own
    export builds the pixels' bytes twice (its chunks and their join), which for an
    8000×8000 RGB image made decoding peak at 0.86 GB instead of 0.45 GB."""
    width, height = image.size
    channels = len(image.getbands())
    out = np.empty((channels, height, width), np.uint8)
    rows = max(1, BAND_BYTES // (width * channels))
    for top in range(0, height, rows):
        band = image if rows >= height else image.crop((0, top, width, min(top + rows, height)))
        pixels = np.asarray(band, dtype=np.uint8).reshape(band.height, width, channels)
        out[:, top : top + band.height] = pixels.transpose(2, 0, 1)
    return out


@dataclass(frozen=True)
class ImageFile:
    """One image of a set: its display name and how to get its bytes."""

    name: str
    read_bytes: Callable[[], bytes]


def list_folder(root: Path) -> list[tuple[str, ImageFile]]:
    """Image files under ``root`` (recursive), as (path relative to root, file), sorted."""
    found = [p for p in root.rglob("*") if p.is_file() and is_image_name(p.name)]
    return sorted(
        ((p.relative_to(root).as_posix(), ImageFile(str(p), p.read_bytes)) for p in found),
        key=lambda item: item[0],
    )


class _ZipMembers:
    """Reads members of one zip archive through a handle opened once per process.

    Opening the archive parses its whole central directory, so opening it per image would
    make reading a set quadratic in its size; a forked worker reopens its own handle.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: tuple[int, zipfile.ZipFile] | None = None

    def names(self) -> list[str]:
        return self._archive().namelist()

    def reader(self, member: str) -> Callable[[], bytes]:
        return lambda: self._archive().read(member)

    def _archive(self) -> zipfile.ZipFile:
        if self._handle is None or self._handle[0] != os.getpid():
            try:
                self._handle = (os.getpid(), zipfile.ZipFile(self.path))
            except (OSError, zipfile.BadZipFile) as error:
                raise GenbenchError(
                    f"cannot read zip archive {self.path}: {error}. "
                    "Check that the file is a complete zip."
                ) from error
        return self._handle[1]


def list_zip(path: Path) -> list[tuple[str, ImageFile]]:
    """Image members of a zip archive, as (member name, file), sorted by name."""
    archive = _ZipMembers(path)
    members = [m for m in archive.names() if is_image_name(m) and "__MACOSX" not in m]
    return [(m, ImageFile(f"{path}:{m}", archive.reader(m))) for m in sorted(members)]


class ImageFileSplit:
    """A split whose ``image`` field (and any other image fields) are decoded on read.

    ``files`` maps each image field to one ``ImageFile`` per item; ``labels`` (optional)
    gives the ``label`` field. With ``skip_bad=True`` every file is decoded once when the
    split is made and items with an undecodable file are dropped; ``skipped`` lists them.
    """

    def __init__(
        self,
        files: dict[str, list[ImageFile]],
        name: str,
        labels: np.ndarray | None = None,
        skip_bad: bool = False,
    ) -> None:
        self.name = name
        self.skipped: list[str] = []
        if skip_bad:
            files, labels = self._drop_bad(files, labels)
        self._files = files
        self._labels = labels
        self.fields = (*files, "label") if labels is not None else tuple(files)
        self._length = len(files["image"])
        if self._length == 0:
            raise GenbenchError(f"{name} holds no readable images ({', '.join(EXTENSIONS)}).")
        self._first: dict[str, tuple[str, tuple[int, ...]]] = {}

    def _drop_bad(
        self, files: dict[str, list[ImageFile]], labels: np.ndarray | None
    ) -> tuple[dict[str, list[ImageFile]], np.ndarray | None]:
        keep = []
        for i in range(len(files["image"])):
            try:
                for column in files.values():
                    decode_image(column[i].read_bytes(), column[i].name)
                keep.append(i)
            except (GenbenchError, OSError) as error:
                self.skipped.append(str(error))
        kept = {field: [column[i] for i in keep] for field, column in files.items()}
        return kept, (labels[keep] if labels is not None else None)

    def __len__(self) -> int:
        return self._length

    def __repr__(self) -> str:
        return f"<ImageFileSplit {self.name} n={len(self)} fields={','.join(self.fields)}>"

    def names(self, field: str = "image") -> list[str]:
        """The file behind each item of an image field."""
        return [f.name for f in self._files[field]]

    def read(self, field: str, indices: Sequence[int] | np.ndarray) -> np.ndarray:
        check_field(self.name, field, self.fields)
        index = as_indices(indices, len(self), self.name)
        if field == "label":
            assert self._labels is not None
            return self._labels[index]
        out: np.ndarray | None = None
        # Each image is copied into the batch as it is decoded: a batch of large images is
        # held once, not twice (as a list of decoded images and as the batch).
        for row, i in enumerate(index):
            image = self._decode(field, int(i))
            # The first image decoded fixes the shape every later read must have.
            first_name, shape = self._first.setdefault(
                field, (self._files[field][int(i)].name, image.shape)
            )
            if out is None:
                out = np.empty((len(index), *shape), dtype=np.uint8)
            if image.shape != shape:
                raise GenbenchError(
                    f"{self._files[field][i].name} is {_describe(image.shape)} but {first_name} "
                    f"is {_describe(shape)}; all images of a set must share size and channel "
                    "count. Convert them (e.g. all to RGB at one size) first."
                )
            out[row] = image
        if out is None:
            _, shape = self._first.get(field, ("", (0, 0, 0)))
            out = np.empty((0, *shape), dtype=np.uint8)
        return out

    def _decode(self, field: str, i: int) -> np.ndarray:
        file = self._files[field][i]
        try:
            data = file.read_bytes()
        except OSError as error:
            raise GenbenchError(f"cannot read {file.name}: {error}") from error
        return decode_image(data, file.name)


def _describe(shape: tuple[int, ...]) -> str:
    channels, height, width = shape
    return f"{height}×{width} with {channels} channel{'s' if channels > 1 else ''}"
