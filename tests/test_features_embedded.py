"""The embedded feature nets: shipped weights, accuracy, input handling, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

import genbench
from genbench import weights as store
from genbench.features import load_extractor
from genbench.features.training import train_embedded


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _split(name: str, split: str):
    return genbench.get_registry().datasets.get(name).load(split)


# net -> (dataset, accuracy it must reach on its card and on the first test images): the
# targets of the feature-net issue (shapes-cnn's card records 99.9% on all 5000).
EMBEDDED = {"digits-cnn": ("digits", 0.97), "shapes-cnn": ("shapes", 0.99)}


@pytest.mark.parametrize("name", EMBEDDED)
def test_shipped_card_matches_spec_and_file(name):
    spec = genbench.get_registry().feature_extractors.get(name)
    path = Path(spec.weights.path)
    card = json.loads(path.with_suffix(".json").read_text())
    assert card["sha256"] == spec.weights.sha256 == store.digest(path)
    assert card["test_accuracy"] >= EMBEDDED[name][1]
    assert card["seed"] == 0 and card["command"].startswith(f"genbench features train {name}")
    assert card["architecture"]["num_classes"] == spec.outputs["logits"]


@pytest.mark.parametrize("name", EMBEDDED)
def test_accuracy_measured_now(name):
    dataset, floor = EMBEDDED[name]
    extractor = load_extractor(name)
    test = _split(dataset, "test")
    idx = list(range(min(len(test), 1000)))
    out = extractor(test.read("image", idx))
    assert out["features"].shape == (len(idx), 128)
    assert out["logits"].shape == (len(idx), extractor.spec.outputs["logits"])
    accuracy = (out["logits"].argmax(1).numpy() == test.read("label", idx)).mean()
    assert accuracy >= floor
    assert extractor.weights_sha256 == extractor.spec.weights.sha256


@pytest.mark.parametrize("name", EMBEDDED)
def test_outputs_do_not_depend_on_batch(name):
    # shapes-cnn is batch-normed: at inference it must use its running statistics
    extractor = load_extractor(name)
    images = _split(EMBEDDED[name][0], "test").read("image", list(range(12)))
    together = extractor(images)["features"]
    alone = torch.cat([extractor(images[i : i + 1])["features"] for i in range(12)])
    torch.testing.assert_close(together, alone, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", EMBEDDED)
def test_outputs_do_not_depend_on_the_thread_count(name):
    # With 2 threads MKL split the embedding's matmul and ~10k of 16k features of a chunk
    # differed in the last bits from 1 thread; the published leaderboards rest on these.
    extractor = load_extractor(name)
    images = _split(EMBEDDED[name][0], "train").read("image", list(range(128)))
    outputs = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        outputs.append(extractor(images))
    for key in ("features", "logits"):
        assert torch.equal(outputs[0][key], outputs[1][key])
    assert torch.get_num_threads() == 2  # the caller's setting is restored


def test_rgb_and_other_sizes_are_accepted():
    extractor = load_extractor("digits-cnn")
    grey = _split("digits", "test").read("image", list(range(4)))
    rgb = np.repeat(grey, 3, axis=1)
    # equal-weight grey → RGB → luma is the identity up to rounding
    torch.testing.assert_close(
        extractor(rgb)["logits"], extractor(grey)["logits"], rtol=1e-4, atol=1e-4
    )
    big = torch.nn.functional.interpolate(torch.from_numpy(grey).float(), size=32).to(torch.uint8)
    assert extractor(big)["features"].shape == (4, 128)


def test_bad_input_is_a_clear_error():
    extractor = load_extractor("digits-cnn")
    with pytest.raises(genbench.GenbenchError, match="uint8"):
        extractor(torch.zeros(2, 1, 16, 16))
    with pytest.raises(genbench.GenbenchError, match="C = 1 or 3"):
        extractor(torch.zeros(2, 4, 16, 16, dtype=torch.uint8))


def test_unknown_resize_mode_names_the_choices():
    with pytest.raises(genbench.GenbenchError, match="bilinear"):
        load_extractor("digits-cnn", resize="lanczos")


def test_training_is_deterministic_per_seed(tmp_path):
    first = train_embedded("digits-cnn", seed=3, out=tmp_path / "a", epochs=1)
    second = train_embedded("digits-cnn", seed=3, out=tmp_path / "b", epochs=1)
    other = train_embedded("digits-cnn", seed=4, out=tmp_path / "c", epochs=1)
    assert first.card["sha256"] == second.card["sha256"]
    assert first.path.read_bytes() == second.path.read_bytes()
    assert other.card["sha256"] != first.card["sha256"]
    assert json.loads(first.card_path.read_text())["seed"] == 3
