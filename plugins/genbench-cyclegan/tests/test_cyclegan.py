"""CycleGAN: the generator contract, losses that fall on a fixed batch, a network that
ignores its seed, and shipped weights that reproduce their pinned outputs."""

from __future__ import annotations

import pytest
import torch
from genbench_cyclegan.recipe import FIELDS, RECIPE
from genbench_cyclegan.train import CycleGANTrainer
from genbench_gankit.translation_checks import losses_on_a_fixed_batch, sample_digest

import genbench
from genbench.testing import assert_model_conforms

torch.set_num_threads(1)

# sha256 of genbench_gankit.translation_checks.sample_digest, pinned at release
PINNED_SAMPLES = {
    "cyclegan.shapes-day2night": "1ca4bdc38931f5d8c6f7f51c39230bd36c2f0354691f242bf2d903a9d284dfd4",
}


@pytest.mark.parametrize("name", FIELDS)
def test_model_conforms(name: str) -> None:
    assert_model_conforms(name)


@pytest.mark.slow  # ~8 CPU-s: two generators (and an encoder) per step
def test_training_steps_lower_the_losses_on_a_fixed_batch() -> None:
    torch.manual_seed(0)
    trainer = CycleGANTrainer("cyclegan.shapes-day2night", RECIPE, "cpu")
    losses = losses_on_a_fixed_batch(trainer)
    for key in ("d_a", "d_b", "cycle", "identity"):
        assert losses[-1][key] < losses[0][key], key


def test_the_translation_is_deterministic() -> None:
    spec = genbench.get_registry().models.get("cyclegan.shapes-day2night")
    data = genbench.get_registry().datasets.get("shapes").load("test")
    inputs = torch.from_numpy(data.read("domain_a", [3, 3]))
    images = spec.load("cpu").sample(genbench.SampleRequest(seeds=[1, 2], inputs=inputs))
    assert torch.equal(images[0], images[1])


@pytest.mark.parametrize("name", FIELDS)
def test_shipped_weights_reproduce_the_pinned_samples(name: str) -> None:
    assert sample_digest(name) == PINNED_SAMPLES[name]
