"""Progressive GAN: the generator contract, a learning discriminator, reproducible shipped
weights."""

from typing import ClassVar

import pytest
import torch
from genbench_gankit.checks import GANFamilyChecks
from genbench_progan.plugin import MODELS
from genbench_progan.train import build

torch.set_num_threads(1)


@pytest.mark.parametrize("row", MODELS, ids=lambda row: row.name)
class TestProGAN(GANFamilyChecks):
    build = staticmethod(build)
    # sha256 of the uint8 samples of genbench_gankit.checks.sample_digest, pinned at release
    pinned_samples: ClassVar[dict[str, str]] = {
        "progan.shapes": "93dbc068bc86ac2fd9eabab1306548ae6544a881ea5d9768f5949755be51a9da",
        "progan.digits": "dcea1916ccaae38e2c47ec99e9fbc1fdb9cad6c511ff0dd3c3a0a4965d1e31c0",
    }
