"""The embedded ``digits`` dataset: sizes, fixed split, exact upsampling, store cache."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

import genbench
from genbench.data import digits


@pytest.fixture(scope="module")
def splits() -> dict[str, genbench.DatasetSplit]:
    spec = genbench.get_registry().datasets.get("digits")
    return {name: spec.load(name) for name in spec.splits}


def test_spec_matches_the_splits(splits: dict[str, genbench.DatasetSplit]) -> None:
    spec = genbench.get_registry().datasets.get("digits")
    assert spec.plugin == "genbench"
    assert {name: len(split) for name, split in splits.items()} == {"train": 1437, "test": 360}
    assert dict(spec.splits) == {"train": 1437, "test": 360}
    assert spec.n_samples == len(splits[spec.heldout_split])
    for split in splits.values():
        assert set(split.fields) == set(spec.fields)
        images = split.read("image", range(len(split)))
        assert images.dtype == np.uint8 and images.shape[1:] == (1, 16, 16)
        assert images.min() == 0 and images.max() == 255
        labels = split.read("label", range(len(split)))
        assert labels.dtype == np.int64 and set(labels.tolist()) == set(range(10))


def test_split_is_stratified_and_covers_every_image_once(
    splits: dict[str, genbench.DatasetSplit],
) -> None:
    from sklearn.datasets import load_digits

    raw = load_digits()
    test_labels = splits["test"].read("label", range(360))
    per_class = np.bincount(test_labels, minlength=10)
    expected = np.bincount(raw.target) * 360 / 1797
    assert np.all(np.abs(per_class - expected) < 1)
    everything = np.concatenate([s.read("image", range(len(s))) for s in splits.values()])
    upsampled = digits.upsample_levels(np.rint(raw.images).astype(np.int64))[:, None]
    as_rows = sorted(bytes(row) for row in everything.reshape(1797, -1))
    assert as_rows == sorted(bytes(row) for row in upsampled.reshape(1797, -1))


def test_split_never_changes(splits: dict[str, genbench.DatasetSplit]) -> None:
    """Pinned: changing these bytes breaks every published digits result (bump VERSION)."""
    test = splits["test"]
    digest = hashlib.sha256()
    digest.update(test.read("image", range(360)).tobytes())
    digest.update(test.read("label", range(360)).tobytes())
    assert digest.hexdigest() == PINNED_TEST_SHA256


def test_upsampling_is_bilinear_with_half_pixel_centres() -> None:
    """Our integer bilinear ×2 equals PIL's float one, up to the final rounding."""
    from PIL import Image

    levels = np.random.default_rng(0).integers(0, 17, size=(4, 8, 8))
    ours = digits.upsample_levels(levels).astype(np.float64)
    for image, level in zip(ours, levels, strict=True):
        scaled = Image.fromarray((level * 255.0 / 16).astype(np.float32))  # mode F
        theirs = np.asarray(scaled.resize((16, 16), Image.Resampling.BILINEAR))
        assert np.abs(image - theirs).max() <= 0.5 + 1e-4


def test_second_load_reads_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    digits.load("test")

    def no_sklearn() -> None:
        raise AssertionError("digits were rebuilt instead of read from the store")

    monkeypatch.setattr("sklearn.datasets.load_digits", no_sklearn)
    assert len(digits.load("train")) == 1437


def test_unknown_split_names_the_dataset_and_its_splits() -> None:
    with pytest.raises(genbench.GenbenchError, match=r"'digits' has no split 'val'.*train, test"):
        digits.load("val")


PINNED_TEST_SHA256 = "845f355e8f245d87297ff233e12f9742b02ee680b0f7390fac078b1ce265a617"
