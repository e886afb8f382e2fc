"""The conditional GAN: the generator contract, a learning discriminator, reproducible
shipped weights."""

from functools import partial

import pytest
import torch
from genbench_cgan.train import ARCHITECTURES, RECIPE, build

from genbench.testing import assert_model_conforms
from genbench.train.checks import discriminator_losses, sample_digest

torch.set_num_threads(1)

# sha256 of the uint8 samples of genbench.train.checks.sample_digest, pinned at release
PINNED_SAMPLES = {
    "cgan.digits": "31e849cb0f91f76f22a66f6e2f94971dbed514b35917e3c403af03b8b56ec042",
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
