"""WGAN and WGAN-GP: the generator contract, a learning critic, reproducible shipped
weights."""

from typing import ClassVar

import pytest
import torch
from genbench_gankit.checks import GANFamilyChecks
from genbench_wgan.plugin import MODELS
from genbench_wgan.train import build

torch.set_num_threads(1)


@pytest.mark.parametrize("row", MODELS, ids=lambda row: row.name)
class TestWGAN(GANFamilyChecks):
    build = staticmethod(build)
    # losses[0] is measured before WGAN's first update clips the initial weights into
    # [-0.01, 0.01], which rescales the critic; from then on the loss must fall.
    first_loss = 1
    # sha256 of the uint8 samples of genbench_gankit.checks.sample_digest, pinned at release
    pinned_samples: ClassVar[dict[str, str]] = {
        "wgan.digits": "752a2bb7203fe427861b10d8e03107936fc3c9e29e3f39b91afa163aa0b1a3f4",
        "wgan-gp.digits": "3151001f2067317e316321d7b68d88d2d23ffb504e4f739ff60c48d89ffc880c",
    }
