"""WGAN and WGAN-GP: the generator contract, a learning discriminator, reproducible
shipped weights."""

import pytest
import torch
from genbench_wgan.train import ARCHITECTURES, RECIPES, build

from genbench.testing import assert_model_conforms
from genbench.train.checks import discriminator_losses, sample_digest

torch.set_num_threads(1)

# sha256 of the uint8 samples of genbench.train.checks.sample_digest, pinned at release
PINNED_SAMPLES = {
    "wgan.digits": "b833d3bf6d29cadde4e5e99ce5558c2aec42b9704daaf2c95c505b195940de4a",
    "wgan-gp.digits": "eb7673fb87d28c588bd64da1283fb12f93a198d91674c10e81633a56cb72e9d8",
}


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_model_conforms(name: str) -> None:
    assert_model_conforms(name)


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_critic_steps_lower_its_loss_on_a_fixed_batch(name: str) -> None:
    losses = discriminator_losses(build(name), RECIPES[name])
    assert losses[-1] < losses[0]


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_shipped_weights_reproduce_the_pinned_samples(name: str) -> None:
    assert sample_digest(name) == PINNED_SAMPLES[name]
