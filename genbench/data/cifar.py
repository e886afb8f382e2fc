"""CIFAR-10 and CIFAR-100 from local files in their usual "python version" format.

The archives (``cifar-10-python.tar.gz``, ``cifar-100-python.tar.gz``) hold pickled dicts
with ``b'data'`` (uint8 (n, 3072): the red, green and blue 32×32 planes of each image)
and ``b'labels'`` (CIFAR-10) or ``b'fine_labels'`` (CIFAR-100). They are data pickles,
read with an unpickler that admits only what such a file contains (numpy arrays and
dtypes); any other global in the stream is refused instead of imported.

Files are looked for in ``GENBENCH_DATA`` (default ``GENBENCH_HOME/data``; ``genbench
datasets export`` also takes ``--data-root``): the extracted folder, the folder's parent,
or the .tar.gz.
"""

from __future__ import annotations

import codecs
import io
import os
import pickle
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from genbench.data.splits import ArraySplit, check_split
from genbench.errors import GenbenchError
from genbench.home import subdir

DATA_ENV = "GENBENCH_DATA"
DOWNLOAD_PAGE = "https://www.cs.toronto.edu/~kriz/cifar.html"


@dataclass(frozen=True)
class CifarLayout:
    """Where one CIFAR variant keeps each split and its labels."""

    name: str
    folder: str
    archive: str
    files: dict[str, tuple[str, ...]]
    label_key: bytes
    num_classes: int


CIFAR10 = CifarLayout(
    name="cifar10",
    folder="cifar-10-batches-py",
    archive="cifar-10-python.tar.gz",
    files={"train": tuple(f"data_batch_{i}" for i in range(1, 6)), "test": ("test_batch",)},
    label_key=b"labels",
    num_classes=10,
)
CIFAR100 = CifarLayout(
    name="cifar100",
    folder="cifar-100-python",
    archive="cifar-100-python.tar.gz",
    files={"train": ("train",), "test": ("test",)},
    label_key=b"fine_labels",
    num_classes=100,
)
LAYOUTS = (CIFAR10, CIFAR100)
SPLITS = {"train": 50000, "test": 10000}


# The functions numpy's own pickles call, found where this numpy keeps them.
_NUMPY_REDUCERS = {
    "_reconstruct": np.ndarray((0,)).__reduce__()[0],  # arrays, protocols 0-4
    "_frombuffer": np.zeros(1).__reduce_ex__(5)[0],  # arrays, protocol 5
    "scalar": np.int64(0).__reduce__()[0],  # numpy integers, e.g. in label lists
}

# The globals a CIFAR data pickle may refer to: numpy arrays, scalars and dtypes (Python 2
# numpy wrote ``numpy.core.*``, numpy 2 writes ``numpy._core.*``), and ``_codecs.encode``,
# which Python 3 writes for bytes at protocol 2. Nothing else is importable.
_ALLOWED: dict[tuple[str, str], Any] = {
    **{
        (f"{package}.{module}", name): _NUMPY_REDUCERS[name]
        for package in ("numpy.core", "numpy._core")
        for module, name in (
            ("multiarray", "_reconstruct"),
            ("numeric", "_frombuffer"),
            ("multiarray", "scalar"),
        )
    },
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("_codecs", "encode"): codecs.encode,
}


class _DataUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BufferedIOBase, source: str) -> None:
        super().__init__(file, encoding="bytes")
        self.source = source

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise GenbenchError(
                f"{self.source} refers to {module}.{name}, which a CIFAR data file never "
                "holds; refusing to unpickle it. Use the archive from " + DOWNLOAD_PAGE
            )
        return _ALLOWED[(module, name)]


def read_batch(data: bytes, source: str, label_key: bytes) -> tuple[np.ndarray, np.ndarray]:
    """One pickled batch → images uint8 (n, 3, 32, 32) and labels int64 (n,)."""
    try:
        batch = _DataUnpickler(io.BytesIO(data), source).load()
    except GenbenchError:
        raise
    except Exception as error:  # a truncated or foreign file fails in many ways
        raise GenbenchError(f"cannot read CIFAR batch {source}: {error}") from error
    if not isinstance(batch, dict) or b"data" not in batch or label_key not in batch:
        found = ", ".join(map(repr, batch)) if isinstance(batch, dict) else type(batch).__name__
        raise GenbenchError(
            f"{source} is not a CIFAR batch: expected keys b'data' and {label_key!r}, "
            f"found {found}."
        )
    pixels = np.asarray(batch[b"data"])
    labels = np.asarray(batch[label_key], dtype=np.int64)
    if pixels.dtype != np.uint8 or pixels.ndim != 2 or pixels.shape[1] != 3 * 32 * 32:
        raise GenbenchError(
            f"{source}: b'data' is {pixels.dtype} {pixels.shape}, not uint8 (n, 3072)"
        )
    if labels.shape != (len(pixels),):
        raise GenbenchError(f"{source}: {len(labels)} labels for {len(pixels)} images")
    return pixels.reshape(-1, 3, 32, 32), labels


def data_roots(root: str | os.PathLike[str] | None = None) -> list[Path]:
    """Folders searched for standard datasets: ``root``, else ``GENBENCH_DATA``, else
    ``GENBENCH_HOME/data``."""
    chosen = root or os.environ.get(DATA_ENV)
    return [Path(chosen).expanduser()] if chosen else [subdir("data")]


def find_source(layout: CifarLayout, roots: list[Path]) -> Path | None:
    """The first folder holding the batch files, or .tar.gz archive, of ``layout``."""
    for root in roots:
        for folder in (root / layout.folder, root):
            if all((folder / f).is_file() for f in layout.files["test"]):
                return folder
        archive = root if root.is_file() else root / layout.archive
        if archive.is_file():
            return archive
    return None


def layout_of(path: Path) -> CifarLayout | None:
    """The CIFAR variant stored at ``path`` (its folder, the folder above it, or its
    archive, recognised by the first member's folder), or None."""
    for layout in LAYOUTS:
        if path.is_dir() and find_source(layout, [path]) is not None:
            return layout
    if path.is_file() and tarfile.is_tarfile(path):
        try:
            with tarfile.open(path, "r:*") as tar:
                first = tar.next()
        except (OSError, tarfile.TarError, EOFError):
            return None
        top = first.name.split("/", 1)[0] if first is not None else ""
        return next((layout for layout in LAYOUTS if layout.folder == top), None)
    return None


def read_files(source: Path, layout: CifarLayout, names: tuple[str, ...]) -> list[bytes]:
    """The bytes of the batch files ``names`` from a folder, or in one pass over an archive."""
    if source.is_dir():
        return [(source / name).read_bytes() for name in names]
    wanted = {f"{layout.folder}/{name}": name for name in names}
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(source, "r:*") as tar:
            for member in tar:
                file = tar.extractfile(member) if member.name in wanted else None
                if file is not None:
                    found[wanted[member.name]] = file.read()
    except (OSError, tarfile.TarError, EOFError) as error:
        raise GenbenchError(
            f"cannot read archive {source}: {error}. Download it again from {DOWNLOAD_PAGE}."
        ) from error
    missing = [f"{layout.folder}/{n}" for n in names if n not in found]
    if missing:
        raise GenbenchError(f"{source} has no {', '.join(missing)}; is it {layout.archive}?")
    return [found[name] for name in names]


def load(layout: CifarLayout, split: str, root: str | os.PathLike[str] | None = None) -> ArraySplit:
    """A split of CIFAR-10/100 read from local files (see the module docstring)."""
    check_split(layout.name, split, SPLITS)
    roots = data_roots(root)
    source = find_source(layout, roots)
    if source is None:
        where = ", ".join(str(r) for r in roots)
        raise GenbenchError(
            f"{layout.name} not found in {where}: expected {layout.folder}/ or "
            f"{layout.archive}. Download {layout.archive} from {DOWNLOAD_PAGE} and set"
            f" {DATA_ENV}=DIR, the folder that holds it (or the archive itself)."
        )
    names = layout.files[split]
    batches = [
        read_batch(
            data, str(source / name if source.is_dir() else f"{source}:{name}"), layout.label_key
        )
        for name, data in zip(names, read_files(source, layout, names), strict=True)
    ]
    images = np.concatenate([b[0] for b in batches])
    labels = np.concatenate([b[1] for b in batches])
    if labels.size and (labels.min() < 0 or labels.max() >= layout.num_classes):
        raise GenbenchError(f"{layout.name}:{split} has labels outside 0..{layout.num_classes - 1}")
    return ArraySplit({"image": images, "label": labels}, name=f"{layout.name}:{split}")
