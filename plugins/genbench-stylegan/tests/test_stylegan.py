"""StyleGAN: the generator contract for every truncation row, a learning discriminator,
reproducible shipped weights."""

from typing import ClassVar

import pytest
import torch
from genbench_gankit.checks import GANFamilyChecks
from genbench_stylegan.plugin import MODELS
from genbench_stylegan.train import build

torch.set_num_threads(1)


@pytest.mark.parametrize("row", MODELS, ids=lambda row: row.name)
class TestStyleGAN(GANFamilyChecks):
    build = staticmethod(build)
    # sha256 of the uint8 samples of genbench_gankit.checks.sample_digest, pinned at release
    pinned_samples: ClassVar[dict[str, str]] = {
        "stylegan.shapes": "abeb544ea415f1f60a677626921997e831570938f2b7052810c08fad261f3d2d",
        "stylegan.shapes-psi0.7": (
            "d3c5670fd86c6f666fa1866bc5bf6dbe9e1e7367ab2ce128eaff0bb3b5e3900b"
        ),
        "stylegan.shapes-psi0.5": (
            "fc83de6b0858c090040a3a28e38ffddd0b582b62113703a7f7d0f9f4f46d2df9"
        ),
    }
