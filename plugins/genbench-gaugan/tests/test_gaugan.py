"""GauGAN: the generator contract, losses that fall on a fixed batch, outputs that change
with the style noise, SPADE's per-pixel modulation, and shipped weights that reproduce
their pinned outputs."""

from __future__ import annotations

import pytest
import torch
from genbench_gankit.translation_checks import losses_on_a_fixed_batch, sample_digest
from genbench_gaugan.model import SPADE
from genbench_gaugan.recipe import FIELDS, RECIPE
from genbench_gaugan.train import GauGANTrainer

import genbench
from genbench.testing import assert_model_conforms

torch.set_num_threads(1)

# sha256 of genbench_gankit.translation_checks.sample_digest, pinned at release
PINNED_SAMPLES = {
    "gaugan.shapes": "898e9d3b011315995affda1373415431155333ede2724e2a76cbabfe6d0f05d2",
}


@pytest.mark.parametrize("name", FIELDS)
def test_model_conforms(name: str) -> None:
    assert_model_conforms(name)


@pytest.mark.slow  # ~8 CPU-s: a SPADE generator, its style encoder and two discriminators
def test_training_steps_lower_the_losses_on_a_fixed_batch() -> None:
    torch.manual_seed(0)
    losses = losses_on_a_fixed_batch(GauGANTrainer("gaugan.shapes", RECIPE, "cpu"))
    for key in ("d_loss", "feature_matching", "kl"):
        assert losses[-1][key] < losses[0][key], key


def test_spade_modulates_each_pixel_by_its_class() -> None:
    """Instance norm alone would erase what a uniform region holds; SPADE scales and shifts
    the normalised activations by γ and β predicted, pixel by pixel, from the map."""
    torch.manual_seed(0)
    spade = SPADE(channels=4, classes=3, hidden=8)
    x = torch.randn(1, 4, 8, 8)
    segmap = torch.zeros(1, 3, 8, 8)
    segmap[:, 1, :, :4], segmap[:, 2, :, 4:] = 1, 1  # class 1 left, class 2 right
    hidden = spade.shared(segmap)
    gamma, beta = spade.gamma(hidden), spade.beta(hidden)
    normalised = torch.nn.InstanceNorm2d(4)(x)
    torch.testing.assert_close(spade(x, segmap), normalised * (1 + gamma) + beta)
    # Two 3×3 convolutions see 2 pixels around: columns 1 and 6 see one class each.
    inner_left, inner_right = (slice(2, 6), 1), (slice(2, 6), 6)
    for modulation in (gamma, beta):
        left = modulation[0, :, inner_left[0], inner_left[1]]
        right = modulation[0, :, inner_right[0], inner_right[1]]
        torch.testing.assert_close(left, left[:, :1].expand_as(left))  # one class: one value
        assert not torch.allclose(left, right)


def test_the_style_noise_makes_outputs_differ() -> None:
    spec = genbench.get_registry().models.get("gaugan.shapes")
    data = genbench.get_registry().datasets.get("shapes").load("test")
    inputs = torch.from_numpy(data.read("semantic", [0, 0]))
    images = spec.load("cpu").sample(genbench.SampleRequest(seeds=[1, 2], inputs=inputs))
    assert (images[0].float() - images[1].float()).abs().mean() > 1


@pytest.mark.parametrize("name", FIELDS)
def test_shipped_weights_reproduce_the_pinned_samples(name: str) -> None:
    assert sample_digest(name) == PINNED_SAMPLES[name]
