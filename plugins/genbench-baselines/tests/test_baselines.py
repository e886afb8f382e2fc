"""The baselines follow the generator contract and replay exactly what they claim."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from genbench_baselines.generators import Copy
from genbench_baselines.plugin import EMBEDDED, specs, translation_specs

import genbench
from genbench.testing import ConformanceError, assert_model_conforms

torch.set_num_threads(1)

# Shapes are rendered on first use (seconds per thousand images): those run with -m slow.
NAMES = [
    pytest.param(s.name, marks=pytest.mark.slow) if s.dataset == "shapes" else s.name
    for s in specs()
]


def _registered(name: str) -> genbench.ModelSpec:
    registry = genbench.get_registry()
    if name not in registry.models:
        pytest.fail(
            f"{name} is not registered: pip install -e plugins/genbench-baselines --no-deps"
        )
    spec = registry.models.get(name)
    if spec.dataset not in registry.datasets:
        pytest.skip(f"dataset {spec.dataset!r} is not registered in this checkout")
    return spec


@pytest.mark.parametrize("name", NAMES)
def test_conforms(name: str) -> None:
    assert_model_conforms(_registered(name))


@pytest.mark.slow
@pytest.mark.parametrize("name", [s.name for s in translation_specs()])
def test_translation_baselines_conform(name: str) -> None:
    spec = _registered(name)
    if spec.info["baseline"] != "mean-target":
        assert_model_conforms(spec)
        return
    # The mean target ignores its input by design: every other check of the kit passes.
    with pytest.raises(ConformanceError, match=r"changing the .* condition did not change"):
        assert_model_conforms(spec)


@pytest.mark.parametrize("name", [s.name for s in [*specs(), *translation_specs()]])
def test_matches_its_dataset(name: str) -> None:
    spec = _registered(name)
    dataset = genbench.get_registry().datasets.get(spec.dataset)
    assert (spec.resolution, spec.channels) == (dataset.resolution, dataset.channels)
    assert EMBEDDED[spec.dataset] == (dataset.resolution, dataset.channels, dataset.num_classes)


@pytest.mark.parametrize(("kind", "split"), [("oracle", "test"), ("memorizer", "train")])
def test_replays_walk_a_fixed_shuffle_of_the_split(kind: str, split: str) -> None:
    spec = _registered(f"baseline.{kind}-digits")
    data = genbench.get_registry().datasets.get("digits").load(split)
    everything = data.read("image", range(len(data)))
    n = len(data)
    indices = [*range(n), n + 3]
    images = spec.load("cpu").sample(genbench.SampleRequest(seeds=indices, indices=indices))
    images = images.numpy()
    # A permutation: each image once, then the walk wraps around.
    key = sorted(image.tobytes() for image in images[:n])
    assert key == sorted(image.tobytes() for image in everything)
    np.testing.assert_array_equal(images[n], images[3])
    # Spread over the split, not its first rows (digits are stored writer by writer).
    first = {image.tobytes() for image in everything[:100]}
    assert sum(image.tobytes() in first for image in images[:100]) < 30


@pytest.mark.parametrize(("kind", "split"), [("oracle", "test"), ("memorizer", "train")])
def test_labelled_replays_give_distinct_images_of_the_requested_class(
    kind: str, split: str
) -> None:
    spec = _registered(f"baseline.{kind}-digits-labels")
    data = genbench.get_registry().datasets.get("digits").load(split)
    images_of = {
        c: {
            data.read("image", [r])[0].tobytes()
            for r in np.flatnonzero(data.read("label", range(len(data))) == c)
        }
        for c in range(10)
    }
    indices = list(range(30))
    request = genbench.SampleRequest(
        seeds=indices, indices=indices, labels=[i % 10 for i in indices]
    )
    images = spec.load("cpu").sample(request).numpy()
    assert len({image.tobytes() for image in images}) == 30
    for i in indices:
        assert images[i].tobytes() in images_of[i % 10]


def test_mean_is_the_training_mean_up_to_jitter() -> None:
    spec = _registered("baseline.mean-digits")
    data = genbench.get_registry().datasets.get("digits").load("train")
    mean = data.read("image", range(len(data))).astype(np.float64).mean(0)
    images = spec.load("cpu").sample(genbench.SampleRequest(seeds=list(range(8)))).numpy()
    assert np.abs(images - mean).max() <= 2.5
    assert len({image.tobytes() for image in images}) == 8


def test_noise_covers_the_range() -> None:
    spec = _registered("baseline.noise-digits")
    images = spec.load("cpu").sample(genbench.SampleRequest(seeds=list(range(16)))).numpy()
    assert images.min() == 0 and images.max() == 255
    assert abs(images.mean() - 127.5) < 5


def test_copy_adapts_the_channels_of_its_input() -> None:
    rng = np.random.default_rng(0)
    grey = torch.from_numpy(rng.integers(0, 256, (3, 1, 4, 4), dtype=np.uint8))
    colour = torch.from_numpy(rng.integers(0, 256, (3, 3, 4, 4), dtype=np.uint8))
    request = genbench.SampleRequest(seeds=[0, 1, 2], inputs=grey)
    torch.testing.assert_close(Copy(3).sample(request), grey.repeat(1, 3, 1, 1))
    same = Copy(3).sample(genbench.SampleRequest(seeds=[0, 1, 2], inputs=colour))
    torch.testing.assert_close(same, colour)
    luma = Copy(1).sample(genbench.SampleRequest(seeds=[0, 1, 2], inputs=colour)).numpy()
    expected = np.round(np.tensordot([0.299, 0.587, 0.114], colour.numpy(), axes=([0], [1])))
    assert np.abs(luma[:, 0].astype(float) - expected).max() <= 1  # float32 rounding
    with pytest.raises(genbench.GenbenchError, match="one input image per seed"):
        Copy(3).sample(genbench.SampleRequest(seeds=[0, 1]))


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["baseline.oracle-shapes-paired", "baseline.oracle-shapes-day2night"]
)
def test_ground_truth_returns_the_target_of_each_input(name: str) -> None:
    spec = _registered(name)
    test = genbench.get_registry().datasets.get("shapes").load("test")
    rows = [4999, 7, 1234]
    inputs = torch.from_numpy(test.read(spec.inputs, rows))
    oracle = spec.load("cpu")
    images = oracle.sample(genbench.SampleRequest(seeds=[0, 0, 0], inputs=inputs))
    np.testing.assert_array_equal(images.numpy(), test.read(spec.targets, rows))
    train = genbench.get_registry().datasets.get("shapes").load("train")
    unknown = torch.from_numpy(train.read(spec.inputs, [0]))
    with pytest.raises(genbench.GenbenchError, match="knows only the held-out"):
        oracle.sample(genbench.SampleRequest(seeds=[0], inputs=unknown))


@pytest.mark.slow
def test_mean_target_is_the_mean_of_the_target_domain() -> None:
    spec = _registered("baseline.mean-shapes-day2night")
    train = genbench.get_registry().datasets.get("shapes").load("train")
    mean = train.read("domain_b", range(2048)).astype(np.float64).mean(0)
    inputs = torch.from_numpy(train.read("domain_a", range(4)))
    images = spec.load("cpu").sample(genbench.SampleRequest(seeds=[0, 1, 2, 3], inputs=inputs))
    assert np.abs(images.numpy() - mean).max() <= 2.5
