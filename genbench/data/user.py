"""A user's image set as a run's reference dataset: ``genbench run --dataset PATH``.

A folder, zip or npz/npy (anything ``open_images`` reads) becomes a one-split dataset whose
resolution and channels are read from its images and whose name carries the sha256 of its
content (``my-faces-3f2a1b0c``): the reference features are cached under that name like an
embedded dataset's, and editing the images makes another dataset, never a stale cache hit.
A dataset plugin remains the way to give a set a fixed name, labels or several splits.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache, partial
from pathlib import Path

from genbench.data.images import EXTENSIONS
from genbench.data.sources import LABELS_CSV, open_images
from genbench.errors import GenbenchError
from genbench.spec import DatasetSpec, DatasetSplit

SPLIT = "train"  # the reference split's usual name, which memorization reads too
# Their name's sha256 and the paths that gave them, to write reproduce commands with.
_sources: dict[str, str] = {}


def is_path(text: str) -> bool:
    """Whether ``--dataset text`` names a file or folder rather than a registered dataset."""
    return Path(text).expanduser().exists()


def content_sha256(path: Path) -> str:
    """The sha256 of a file, or of a folder's images and labels (relative names and bytes)."""
    digest = hashlib.sha256()
    files = (
        [path]
        if path.is_file()
        else sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and (p.suffix.lower() in EXTENSIONS or p.name == LABELS_CSV)
        )
    )
    for file in files:
        digest.update(str(file.relative_to(path) if file != path else file.name).encode())
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _load(path: str, split: str) -> DatasetSplit:
    if split != SPLIT:
        raise GenbenchError(f"the image set {path} has one split, {SPLIT!r}; not {split!r}")
    return open_images(path)


@cache
def user_dataset(source: str) -> DatasetSpec:
    """The dataset of the images at ``source`` (see the module doc)."""
    path = Path(source).expanduser().resolve()
    split = open_images(path)
    if len(split) == 0:
        raise GenbenchError(f"--dataset {source}: it holds no images")
    channels, height, width = split.read("image", [0]).shape[1:]
    if height != width:
        raise GenbenchError(
            f"--dataset {source}: its images are {width}×{height}; genbench compares square"
            " images only. Crop or pad them to a square first"
        )
    sha = content_sha256(path)
    stem = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-_") or "images"
    name = f"{stem}-{sha[:8]}"
    labels = None
    if "label" in split.fields:
        labels = int(split.read("label", range(len(split))).max()) + 1
    _sources[name] = str(path)
    return DatasetSpec(
        name=name,
        tasks=("unconditional", "class-conditional") if labels else ("unconditional",),
        resolution=int(height),
        channels=int(channels),
        splits={SPLIT: len(split)},
        load=partial(_load, str(path)),
        default_features="inception-v3-fid",
        num_classes=labels,
        fields=tuple(split.fields),
        reference_split=SPLIT,
        heldout_split=SPLIT,
        n_samples=len(split),
        description=f"the images of {path} (content sha256 {sha})",
        plugin="user",
    )


def dataset_argument(dataset: DatasetSpec) -> str:
    """What ``--dataset`` names ``dataset`` by: its path for a user's image set."""
    return _sources.get(dataset.name, dataset.name)
