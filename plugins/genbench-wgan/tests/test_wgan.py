"""WGAN and WGAN-GP: the generator contract, a learning discriminator, reproducible
shipped weights."""

from functools import partial

import pytest
import torch
from genbench_wgan.train import ARCHITECTURES, RECIPES, build

from genbench.testing import assert_model_conforms
from genbench.train.checks import discriminator_losses, sample_digest

torch.set_num_threads(1)

# sha256 of the uint8 samples of genbench.train.checks.sample_digest, pinned at release
PINNED_SAMPLES = {
    "wgan.digits": "752a2bb7203fe427861b10d8e03107936fc3c9e29e3f39b91afa163aa0b1a3f4",
    "wgan-gp.digits": "3151001f2067317e316321d7b68d88d2d23ffb504e4f739ff60c48d89ffc880c",
}


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_model_conforms(name: str) -> None:
    assert_model_conforms(name)


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_critic_steps_lower_its_loss_on_a_fixed_batch(name: str) -> None:
    losses = discriminator_losses(partial(build, name), RECIPES[name])
    # losses[0] is measured before WGAN's first update clips the initial weights into
    # [-0.01, 0.01], which rescales the critic; from then on the loss must fall.
    assert losses[-1] < losses[1]


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_shipped_weights_reproduce_the_pinned_samples(name: str) -> None:
    assert sample_digest(name) == PINNED_SAMPLES[name]
