"""The procedural ``shapes`` dataset: purity, pinned bytes, fields that agree, the cache."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

import genbench
from genbench.data import shapes
from genbench.data import shapes_render as render

FIRST = range(8)


@pytest.fixture(scope="module")
def test_items() -> dict[str, np.ndarray]:
    split = shapes.load("test")
    return {field: split.read(field, range(40)) for field in split.fields}


def test_spec_describes_the_splits() -> None:
    spec = genbench.get_registry().datasets.get("shapes")
    assert dict(spec.splits) == {"train": 20000, "test": 5000}
    assert spec.num_classes == len(render.CLASSES) == 9
    assert spec.fields == shapes.load("train").fields
    assert spec.n_reference is not None and spec.n_reference <= spec.splits["train"]


def test_an_item_is_the_same_alone_and_in_any_batch() -> None:
    batch = shapes.generate("test", range(12))
    for i in (0, 5, 11):
        alone = shapes.generate("test", [i])
        for field, values in batch.items():
            np.testing.assert_array_equal(alone[field][0], values[i], err_msg=field)


def test_first_items_are_pinned(test_items: dict[str, np.ndarray]) -> None:
    """Pinned: a change here alters published shapes results; bump shapes.VERSION."""
    digest = hashlib.sha256()
    for field in shapes.FIELDS:
        values = test_items[field][: len(FIRST)]
        digest.update(field.encode())
        digest.update(values.astype(str).tobytes() if field == "caption" else values.tobytes())
    assert digest.hexdigest() == PINNED_FIRST_SHA256


def test_fields_have_the_promised_types(test_items: dict[str, np.ndarray]) -> None:
    shapes_of = {k: v.shape[1:] for k, v in test_items.items() if k not in ("label", "caption")}
    assert shapes_of == {
        "image": (3, 32, 32),
        "domain_a": (3, 32, 32),
        "domain_b": (3, 32, 32),
        "semantic": (1, 32, 32),
        "edges": (1, 32, 32),
        "gray": (1, 32, 32),
    }
    assert all(test_items[k].dtype == np.uint8 for k in shapes_of)
    assert test_items["label"].dtype == np.int64
    assert set(np.unique(test_items["edges"]).tolist()) == {0, 255}


def test_label_semantic_and_caption_agree(test_items: dict[str, np.ndarray]) -> None:
    for label, semantic, caption in zip(
        test_items["label"], test_items["semantic"], test_items["caption"], strict=True
    ):
        assert label + 1 in semantic  # the main object is on the map
        assert set(np.unique(semantic).tolist()) <= set(range(10))
        assert str(caption).startswith(f"a {render.CLASSES[label]}")


def test_edges_follow_object_outlines(test_items: dict[str, np.ndarray]) -> None:
    semantic = test_items["semantic"][:, 0].astype(np.int16)
    boundary = np.zeros(semantic.shape, dtype=bool)
    for axis in (1, 2):
        step = np.diff(semantic, axis=axis) != 0
        before = [(0, 0)] * 3
        after = [(0, 0)] * 3
        before[axis], after[axis] = (1, 0), (0, 1)
        boundary |= np.pad(step, before) | np.pad(step, after)
    near = boundary.copy()
    for shift in (-1, 1):
        near |= np.roll(boundary, shift, axis=1) | np.roll(boundary, shift, axis=2)
    edge = test_items["edges"][:, 0] > 0
    assert edge.sum() > 0 and (edge & near).sum() / edge.sum() > 0.8


def test_gray_matches_pil(test_items: dict[str, np.ndarray]) -> None:
    from PIL import Image

    for rgb, grey in zip(test_items["image"][:4], test_items["gray"][:4], strict=True):
        expected = np.asarray(Image.fromarray(rgb.transpose(1, 2, 0)).convert("L"))
        np.testing.assert_array_equal(grey[0], expected)


def test_test_domains_show_one_scene_and_train_domains_do_not() -> None:
    test = shapes.generate("test", range(6))
    night_of_same = render.render(render.draw_scenes(shapes.scene_seeds("test", range(6))), True)
    np.testing.assert_array_equal(test["domain_b"], night_of_same[0])
    assert test["domain_b"].mean() < test["image"].mean() - 60  # night is darker

    train = shapes.generate("train", range(6))
    main = render.render(render.draw_scenes(shapes.scene_seeds("train", range(6))), True)[0]
    assert not any(np.array_equal(a, b) for a, b in zip(main, train["domain_b"], strict=True))
    seeds_a = set(shapes.scene_seeds("train", range(20000)))
    seeds_b = set(shapes.scene_seeds("train", range(20000), stream=1))
    assert not seeds_a & seeds_b


def test_classes_are_roughly_balanced() -> None:
    labels = render.draw_scenes(shapes.scene_seeds("train", range(900))).label
    counts = np.bincount(labels, minlength=9)
    assert counts.min() > 60 and counts.max() < 140  # 100 expected each


def test_cache_is_written_atomically_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENBENCH_HOME", str(tmp_path))
    first = shapes.load("test").read("image", [3, 501])  # two chunks
    files = sorted(p.name for p in (tmp_path / "datasets" / f"shapes-v{shapes.VERSION}").iterdir())
    assert files == ["test-000.npz", "test-001.npz"]

    def no_generation(*args: object) -> None:
        raise AssertionError("shapes were regenerated instead of read from the store")

    monkeypatch.setattr(shapes, "generate", no_generation)
    np.testing.assert_array_equal(shapes.load("test").read("image", [3, 501]), first)

    monkeypatch.undo()
    monkeypatch.setenv("GENBENCH_HOME", str(tmp_path))
    damaged = tmp_path / "datasets" / f"shapes-v{shapes.VERSION}" / "test-001.npz"
    damaged.write_bytes(damaged.read_bytes()[:1000])  # e.g. a disk that filled up
    np.testing.assert_array_equal(shapes.load("test").read("image", [3, 501]), first)


def test_reads_check_split_field_and_range() -> None:
    with pytest.raises(genbench.GenbenchError, match="'shapes' has no split 'val'"):
        shapes.load("val")
    split = shapes.load("test")
    with pytest.raises(genbench.GenbenchError, match="has no field 'depth'"):
        split.read("depth", [0])
    with pytest.raises(IndexError, match="5000 is out of range"):
        split.read("label", [5000])


PINNED_FIRST_SHA256 = "d5f42d8d0bb5579c001fdd458d8535461ef036faac949a684ca7278f665af6e1"
