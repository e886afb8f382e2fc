"""The original GAN: the generator contract, a learning discriminator, reproducible
shipped weights."""

from typing import ClassVar

import pytest
import torch
from genbench_gan.plugin import MODELS
from genbench_gan.train import build
from genbench_gankit.checks import GANFamilyChecks

torch.set_num_threads(1)


@pytest.mark.parametrize("row", MODELS, ids=lambda row: row.name)
class TestGAN(GANFamilyChecks):
    build = staticmethod(build)
    # sha256 of the uint8 samples of genbench_gankit.checks.sample_digest, pinned at release
    pinned_samples: ClassVar[dict[str, str]] = {
        "gan.digits": "de19aebc663630bae5f95ce1ea4a9077ba559ab56e5372304445d64efade9a28",
    }
