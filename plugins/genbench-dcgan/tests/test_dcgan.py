"""DCGAN: the generator contract, a learning discriminator, reproducible
shipped weights."""

import pytest
import torch
from genbench_dcgan.train import ARCHITECTURES, RECIPE, build

from genbench.testing import assert_model_conforms
from genbench.train.checks import discriminator_losses, sample_digest

torch.set_num_threads(1)

# sha256 of the uint8 samples of genbench.train.checks.sample_digest, pinned at release
PINNED_SAMPLES = {
    "dcgan.digits": "f690f09dc5c2c07e744490ed48425858f407f66eb928bb817e166e3530835925",
    "dcgan.digits-upsample": "b853b018e08ffd145a5391602759f89477f30e3c20ab9b8ee03ddc07d4ed176b",
}


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_model_conforms(name: str) -> None:
    assert_model_conforms(name)


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_discriminator_steps_lower_its_loss_on_a_fixed_batch(name: str) -> None:
    losses = discriminator_losses(build(name), RECIPE)
    assert losses[-1] < losses[0]


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_shipped_weights_reproduce_the_pinned_samples(name: str) -> None:
    assert sample_digest(name) == PINNED_SAMPLES[name]
