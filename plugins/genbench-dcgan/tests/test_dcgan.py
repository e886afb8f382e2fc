"""DCGAN: the generator contract, a learning discriminator, reproducible shipped weights."""

from typing import ClassVar

import pytest
import torch
from genbench_dcgan.plugin import MODELS
from genbench_dcgan.train import build
from genbench_gankit.checks import GANFamilyChecks

torch.set_num_threads(1)


@pytest.mark.parametrize("row", MODELS, ids=lambda row: row.name)
class TestDCGAN(GANFamilyChecks):
    build = staticmethod(build)
    # sha256 of the uint8 samples of genbench_gankit.checks.sample_digest, pinned at release
    pinned_samples: ClassVar[dict[str, str]] = {
        "dcgan.digits": "59bc6a8bd29c01eb4c7b1540f41d541c64b0b538782e6925b1dfbb54b05939a4",
        "dcgan.digits-upsample": "facd5a74b6715d5da9150da836129d330936fc30fef57575f7d00b65e595dcd2",
    }
