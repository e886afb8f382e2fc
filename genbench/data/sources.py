"""``open_images``: one entry point for every kind of image set a user may point at."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np

from genbench.data import cifar
from genbench.data.arrays import open_array_file
from genbench.data.images import EXTENSIONS, ImageFile, ImageFileSplit, list_folder, list_zip
from genbench.errors import GenbenchError
from genbench.spec import DatasetSplit

PAIRED_FOLDERS = ("A", "B")
LABELS_CSV = "labels.csv"  # written by `genbench datasets export`: file,label[,caption]


def open_images(source: str | os.PathLike[str], *, skip_bad: bool = False) -> DatasetSplit:
    """Open an image set as a split with ``fields``, ``len()`` and ``read(field, indices)``.

    ``source`` is one of:

    - a folder, searched recursively for png, jpg, jpeg, webp and bmp files (sorted by
      path). Class-folder layouts (``root/cat/*.png``, ``root/dog/*.png``: every image one
      level down, at least two folders) add a ``label`` field numbered in sorted folder
      order (``split.classes``). Paired folders (``root/A/...`` and ``root/B/...`` with
      the same file names) give fields ``A``, ``B`` and ``image`` (= ``B``, the target).
      A ``labels.csv`` with columns ``file`` and ``label`` (as ``genbench datasets
      export`` writes) gives the labels instead;
    - a ``.zip`` archive of images (the same rules as a folder for its member names);
    - a ``.npy`` or ``.npz`` array of uint8 images, NHWC or NCHW (npz: images under
      'images', 'arr_0' or the only array, integer labels under 'labels'); a shape that
      reads two ways, such as (16, 16, 1) (one HWC image, or 16 grey images 16×1), is
      refused with the two ways to say which (see ``genbench.data.arrays.to_nchw``);
    - a CIFAR-10/100 folder or .tar.gz in the python format: its train split (for the
      test split, name ``cifar10:test`` and set ``GENBENCH_DATA`` to the folder);
    - a registered dataset, ``NAME`` or ``NAME:SPLIT`` (default: its reference split).

    Images are decoded lazily; a file that cannot be decoded raises a ``GenbenchError``
    naming it, unless ``skip_bad=True`` (then bad files are dropped and listed in
    ``split.skipped``).
    """
    path = Path(source)
    layout = cifar.layout_of(path)
    if layout is not None:
        return cifar.load(layout, "train", root=path)
    if path.is_dir():
        listing = list_folder(path)
        labels = _labels_csv(path / LABELS_CSV, listing)
        if labels is not None:
            files = {"image": [f for _, f in listing]}
            return ImageFileSplit(files, str(path), labels=labels, skip_bad=skip_bad)
        return _from_listing(listing, str(path), skip_bad)
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix in (".npy", ".npz"):
            return open_array_file(path)
        if suffix == ".zip":
            return _from_listing(list_zip(path), str(path), skip_bad)
        raise GenbenchError(
            f"{path} is not a folder, .zip, .npy or .npz file; genbench cannot read it as images."
        )
    return _open_dataset(str(source))


def _open_dataset(source: str) -> DatasetSplit:
    from genbench.plugins import get_registry

    name, _, split = source.partition(":")
    datasets = get_registry().datasets
    if "/" in source or os.sep in source or name not in datasets:
        raise GenbenchError(
            f"{source!r} is neither an existing file or folder nor a dataset; datasets: "
            f"{', '.join(datasets.names()) or '(none)'} (see `genbench datasets`)."
        )
    spec = datasets.get(name)
    split_obj: DatasetSplit = spec.load(split or spec.reference_split)
    return split_obj


def _labels_csv(table: Path, listing: list[tuple[str, ImageFile]]) -> np.ndarray | None:
    """Labels from ``table`` for every listed image, or None when there is no such table."""
    if not table.is_file():
        return None
    with open(table, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    if not rows or not {"file", "label"} <= set(rows[0]):
        return None
    try:
        by_file = {row["file"]: int(row["label"]) for row in rows}
    except ValueError as error:
        raise GenbenchError(f"{table}: the label column must hold integers ({error})") from error
    missing = [rel for rel, _ in listing if rel not in by_file]
    if missing:
        raise GenbenchError(
            f"{table} has no label for {', '.join(missing[:5])}"
            f"{' ...' if len(missing) > 5 else ''}; add a row per image or delete the table."
        )
    return np.array([by_file[rel] for rel, _ in listing], dtype=np.int64)


def _from_listing(
    listing: list[tuple[str, ImageFile]], name: str, skip_bad: bool
) -> ImageFileSplit:
    if not listing:
        raise GenbenchError(
            f"no images ({', '.join(EXTENSIONS)}) found in {name}; point genbench at the "
            "folder or archive that holds them."
        )
    tops = {rel.split("/", 1)[0] for rel, _ in listing}
    nested = all("/" in rel for rel, _ in listing)
    if nested and tops == set(PAIRED_FOLDERS):
        return _paired(listing, name, skip_bad)
    if nested and len(tops) > 1 and all(rel.count("/") == 1 for rel, _ in listing):
        classes = sorted(tops)
        labels = np.array([classes.index(rel.split("/", 1)[0]) for rel, _ in listing], np.int64)
        split = ImageFileSplit(
            {"image": [f for _, f in listing]}, name, labels=labels, skip_bad=skip_bad
        )
        split.classes = classes  # type: ignore[attr-defined]  # only class-folder sets have it
        return split
    return ImageFileSplit({"image": [f for _, f in listing]}, name, skip_bad=skip_bad)


def _paired(listing: list[tuple[str, ImageFile]], name: str, skip_bad: bool) -> ImageFileSplit:
    sides: dict[str, dict[str, ImageFile]] = {side: {} for side in PAIRED_FOLDERS}
    for rel, file in listing:
        side, inner = rel.split("/", 1)
        sides[side][inner] = file
    a, b = (sides[side] for side in PAIRED_FOLDERS)
    unmatched = sorted(set(a) ^ set(b))
    if unmatched:
        shown = ", ".join(
            f"{'A' if n in a else 'B'}/{n} (no {'B' if n in a else 'A'}/{n})" for n in unmatched[:5]
        )
        more = f" and {len(unmatched) - 5} more" if len(unmatched) > 5 else ""
        raise GenbenchError(
            f"paired folders in {name} must hold the same file names under A/ and B/: "
            f"{shown}{more}. Add or remove files so that every image has its pair."
        )
    names = sorted(a)
    files = {"image": [b[n] for n in names], "A": [a[n] for n in names], "B": [b[n] for n in names]}
    return ImageFileSplit(files, name, skip_bad=skip_bad)
