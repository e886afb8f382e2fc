"""Write a split to files other tools read: a PNG folder with labels.csv, or an .npz.

Exports are byte-identical from run to run (PNG has no timestamps; the .npz zip entries
carry a fixed date), so pytorch-fid, clean-fid and genbench can be pointed at exactly the
same reference set and anyone can check it by its hash.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np

from genbench.csv_cells import safe_cell
from genbench.errors import GenbenchError
from genbench.files import atomic_folder, atomic_path, check_writable
from genbench.spec import DatasetSplit

BATCH = 1000
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date zip can store: no clock in the bytes


def _batches(split: DatasetSplit, limit: int | None) -> list[range]:
    """Item indices to export, in batches of ``BATCH``; at least one item."""
    count = len(split) if limit is None else min(limit, len(split))
    if count < 1:
        raise GenbenchError(f"nothing to export from {getattr(split, 'name', 'the split')}")
    return [range(start, min(start + BATCH, count)) for start in range(0, count, BATCH)]


def _check_image_field(split: DatasetSplit, field: str) -> None:
    if field not in split.fields or field in ("label", "caption"):
        images = [f for f in split.fields if f not in ("label", "caption")]
        raise GenbenchError(f"cannot export field {field!r}; image fields: {', '.join(images)}")


def check_target(out: Path, overwrite: bool) -> None:
    """Refuse ``out`` before any image is read when the export cannot or must not go there.

    A PNG export replaces the whole folder (see :func:`export_png_folder`), so with
    ``overwrite`` it only replaces a folder that holds nothing but what an export writes:
    ``--overwrite`` on the wrong folder must not delete someone's files.
    """
    npz = out.suffix.lower() == ".npz"
    if out.exists() and not overwrite and (out.is_file() or any(out.iterdir())):
        raise GenbenchError(f"{out} already exists; choose another OUT or pass --overwrite.")
    if npz:
        check_writable(out, "OUT", folder=False)
        return
    if out.is_file():
        raise GenbenchError(f"{out} is a file; a PNG export writes a folder (or name OUT *.npz)")
    check_writable(out.parent, "the folder of OUT")  # the export is written beside OUT
    if not out.is_dir():
        return
    foreign = [p.name for p in sorted(out.iterdir()) if not _exported(p)]
    if foreign:
        raise GenbenchError(
            f"{out} holds {', '.join(foreign[:3])}{' ...' if len(foreign) > 3 else ''}, which"
            " an export does not write; --overwrite replaces only an earlier export's folder."
            " Choose a new or empty OUT"
        )


def _exported(path: Path) -> bool:
    return path.is_file() and (path.name == "labels.csv" or path.suffix == ".png")


def export_png_folder(
    split: DatasetSplit, out: Path, field: str = "image", limit: int | None = None
) -> int:
    """Write ``00000.png``, ... and ``labels.csv`` (file, label[, caption]) to ``out``.

    The folder is written beside ``out`` and then takes its place, whole: an earlier export
    with more images leaves none behind (a tool reading the folder would take them in), and
    an interrupted export leaves the earlier folder, not a mix.
    """
    from PIL import Image

    _check_image_field(split, field)
    extra = [f for f in ("label", "caption") if f in split.fields]
    count = 0
    width = max(5, len(str(len(split) - 1)))
    with (
        atomic_folder(out) as folder,
        open(folder / "labels.csv", "w", newline="", encoding="utf-8") as table,
    ):
        writer = csv.writer(table, lineterminator="\n")
        writer.writerow(["file", *extra])
        for index in _batches(split, limit):
            images = split.read(field, index)
            columns = [split.read(f, index) for f in extra]
            for row, image in enumerate(images):
                name = f"{index[row]:0{width}d}.png"
                pixels = image[0] if image.shape[0] == 1 else image.transpose(1, 2, 0)
                Image.fromarray(pixels).save(folder / name)
                writer.writerow([name, *(safe_cell(column[row]) for column in columns)])
                count += 1
    return count


def export_npz(
    split: DatasetSplit, out: Path, field: str = "image", limit: int | None = None
) -> int:
    """Write ``images`` (uint8 NHWC, as most tools expect) and ``labels`` (int64, when the
    split has them) to an uncompressed .npz, atomically."""
    _check_image_field(split, field)
    batches = _batches(split, limit)
    images = np.concatenate([split.read(field, index) for index in batches])
    arrays = {"images": np.ascontiguousarray(images.transpose(0, 2, 3, 1))}
    if "label" in split.fields:
        arrays["labels"] = np.concatenate([split.read("label", index) for index in batches])
    with atomic_path(out) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_STORED) as archive:
        for key, array in arrays.items():
            info = zipfile.ZipInfo(f"{key}.npy", date_time=_ZIP_DATE)
            with archive.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
    return len(arrays["images"])
