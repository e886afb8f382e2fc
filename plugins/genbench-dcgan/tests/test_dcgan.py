"""DCGAN: the generator contract, a learning discriminator, reproducible
shipped weights."""

from functools import partial

import pytest
import torch
from genbench_dcgan.train import ARCHITECTURES, RECIPE, build

from genbench.testing import assert_model_conforms
from genbench.train.checks import discriminator_losses, sample_digest

torch.set_num_threads(1)

# sha256 of the uint8 samples of genbench.train.checks.sample_digest, pinned at release
PINNED_SAMPLES = {
    "dcgan.digits": "59bc6a8bd29c01eb4c7b1540f41d541c64b0b538782e6925b1dfbb54b05939a4",
    "dcgan.digits-upsample": "facd5a74b6715d5da9150da836129d330936fc30fef57575f7d00b65e595dcd2",
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
