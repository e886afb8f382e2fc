"""The conditional GAN: the generator contract, a learning discriminator, reproducible
shipped weights."""

from typing import ClassVar

import pytest
import torch
from genbench_cgan.plugin import MODELS
from genbench_cgan.train import build
from genbench_gankit.checks import GANFamilyChecks

torch.set_num_threads(1)


@pytest.mark.parametrize("row", MODELS, ids=lambda row: row.name)
class TestCGAN(GANFamilyChecks):
    build = staticmethod(build)
    # sha256 of the uint8 samples of genbench_gankit.checks.sample_digest, pinned at release
    pinned_samples: ClassVar[dict[str, str]] = {
        "cgan.digits": "31e849cb0f91f76f22a66f6e2f94971dbed514b35917e3c403af03b8b56ec042",
    }
