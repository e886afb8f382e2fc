"""Reference features: computed once, cached by content, recomputed when the content changes."""

from __future__ import annotations

import numpy as np
import pytest

import genbench
from genbench.features import load_extractor, reference_features
from genbench.features import reference as cache


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("GENBENCH_HOME", str(tmp_path))
    return tmp_path


def test_second_call_reuses_cache(home, monkeypatch):
    extractor = load_extractor("digits-cnn")
    first = reference_features("digits", "test", extractor, n=40)
    files = list((home / "features").rglob("*.npz"))
    assert len(files) == 1
    calls = []
    monkeypatch.setattr(type(extractor), "extract", lambda *a, **k: calls.append(1))
    second = reference_features("digits", "test", extractor, n=40)
    assert not calls
    for key in ("features", "logits"):
        np.testing.assert_array_equal(first[key], second[key])
    assert first["features"].shape == (40, 128)


def test_cache_matches_direct_extraction(home):
    extractor = load_extractor("digits-cnn")
    cached = reference_features("digits", "test", extractor, n=20)
    images = (
        genbench.get_registry().datasets.get("digits").load("test").read("image", list(range(20)))
    )
    # one chunk of 20 either way: the same kernels, the same bits
    np.testing.assert_array_equal(cached["features"], extractor(images)["features"].numpy())


def test_key_changes_with_content(home):
    extractor = load_extractor("digits-cnn")
    spec = genbench.get_registry().datasets.get("digits")
    data = spec.load("test")
    base = cache.cache_key(spec, "test", data, 40, extractor)
    assert cache.cache_key(spec, "test", data, 41, extractor) != base
    extractor.weights_sha256 = "0" * 64
    assert cache.cache_key(spec, "test", data, 40, extractor) != base
    reference_features("digits", "test", extractor, n=40)
    reference_features("digits", "train", extractor, n=40)
    assert len(list((home / "features").rglob("*.npz"))) == 2


def test_corrupt_cache_file_is_recomputed(home):
    extractor = load_extractor("digits-cnn")
    first = reference_features("digits", "test", extractor, n=10)
    (path,) = (home / "features").rglob("*.npz")
    path.write_bytes(b"truncated")
    again = reference_features("digits", "test", extractor, n=10)
    np.testing.assert_array_equal(first["features"], again["features"])


def test_bad_split_and_n(home):
    extractor = load_extractor("digits-cnn")
    with pytest.raises(genbench.GenbenchError, match="no split"):
        reference_features("digits", "valid", extractor)
    with pytest.raises(genbench.GenbenchError, match="n=9999"):
        reference_features("digits", "test", extractor, n=9999)
