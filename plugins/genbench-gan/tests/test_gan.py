"""The original GAN: the generator contract, a learning discriminator, reproducible
shipped weights."""

from functools import partial

import pytest
import torch
from genbench_gan.train import ARCHITECTURES, RECIPE, build

from genbench.testing import assert_model_conforms
from genbench.train.checks import discriminator_losses, sample_digest

torch.set_num_threads(1)

# sha256 of the uint8 samples of genbench.train.checks.sample_digest, pinned at release
PINNED_SAMPLES = {
    "gan.digits": "de19aebc663630bae5f95ce1ea4a9077ba559ab56e5372304445d64efade9a28",
}


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_model_conforms(name: str) -> None:
    assert_model_conforms(name)


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_discriminator_steps_lower_its_loss_on_a_fixed_batch(name: str) -> None:
    losses = discriminator_losses(partial(build, name), RECIPE)
    assert losses[-1] < losses[0]


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_shipped_weights_reproduce_the_pinned_samples(name: str) -> None:
    assert sample_digest(name) == PINNED_SAMPLES[name]
