"""``digits``: scikit-learn's 1797 handwritten digits as 16×16 grey images, labels 0–9.

The originals are 8×8 images with 17 grey levels (0..16): counts of set pixels in 4×4
blocks of 32×32 bitmaps (UCI "Optical Recognition of Handwritten Digits"). They are
upsampled 2× bilinearly with half-pixel centres (as PIL and ``align_corners=False`` do),
which smooths the strokes instead of leaving 2×2 blocks, and then scaled to 0..255. All
arithmetic is on integers, so every platform produces the same bytes.

The train/test split (1437/360) is stratified and derived here, not by scikit-learn's
RNG, so it never changes: each class contributes its share of the 360 test images
(largest remainders, ties to the lower class), and within a class the images with the
smallest ``derive_seed(SPLIT_SALT, index)`` go to test.
"""

from __future__ import annotations

import numpy as np

from genbench.data.splits import ArraySplit, check_split
from genbench.data.store import cache_path, load_arrays, save_cache
from genbench.seeding import derive_seed

# Bump when the bytes of any split change; it names the cache entry.
VERSION = 1
SPLITS = {"train": 1437, "test": 360}
SPLIT_SALT = 0xD1617
LEVELS = 16


def upsample_levels(levels: np.ndarray) -> np.ndarray:
    """8×8 grey levels 0..16 (n, 8, 8) → uint8 (n, 16, 16) in 0..255, bilinear ×2.

    With half-pixel centres every output pixel weighs its nearest input pixel 3/4 and
    the next one 1/4 along each axis (edges replicate), so the result is
    ``(9a + 3b + 3c + d) / 16`` levels, scaled by 255/16 and rounded half up.
    """
    x = levels.astype(np.int64)

    def double(a: np.ndarray, axis: int) -> np.ndarray:
        before = np.concatenate([a.take([0], axis), a.take(range(a.shape[axis] - 1), axis)], axis)
        after = np.concatenate([a.take(range(1, a.shape[axis]), axis), a.take([-1], axis)], axis)
        out = np.stack([3 * a + before, 3 * a + after], axis=axis + 1)
        shape = list(a.shape)
        shape[axis] *= 2
        return out.reshape(shape)

    weighted = double(double(x, 1), 2)  # in units of 1/16 level
    return ((weighted * 255 + 128) // (16 * LEVELS)).astype(np.uint8)


def heldout_indices(labels: np.ndarray, n_test: int) -> np.ndarray:
    """The sorted indices of the stratified test split (see the module docstring)."""
    classes, counts = np.unique(labels, return_counts=True)
    quota = counts * n_test
    take = quota // len(labels)
    remainder = quota % len(labels)
    extra = n_test - int(take.sum())
    # Largest remainders first; a stable sort keeps lower classes first among ties.
    take[np.argsort(-remainder, kind="stable")[:extra]] += 1
    chosen: list[int] = []
    for cls, k in zip(classes, take, strict=True):
        members = np.flatnonzero(labels == cls)
        ranked = sorted(members.tolist(), key=lambda i: derive_seed(SPLIT_SALT, i))
        chosen.extend(ranked[: int(k)])
    return np.sort(np.asarray(chosen, dtype=np.int64))


def build_arrays() -> dict[str, np.ndarray]:
    from sklearn.datasets import load_digits

    raw = load_digits()
    levels = np.rint(raw.images).astype(np.int64)
    labels = raw.target.astype(np.int64)
    images = upsample_levels(levels)[:, None]
    test = np.zeros(len(labels), dtype=bool)
    test[heldout_indices(labels, SPLITS["test"])] = True
    return {
        "train_image": images[~test],
        "train_label": labels[~test],
        "test_image": images[test],
        "test_label": labels[test],
    }


def load(split: str) -> ArraySplit:
    """A split of ``digits``; built from scikit-learn once, then read from the store."""
    check_split("digits", split, SPLITS)
    path = cache_path(f"digits-v{VERSION}.npz")
    arrays = load_arrays(path)
    if arrays is None or f"{split}_image" not in arrays:
        arrays = build_arrays()
        save_cache(path, arrays)
    return ArraySplit(
        {"image": arrays[f"{split}_image"], "label": arrays[f"{split}_label"]},
        name=f"digits:{split}",
    )
