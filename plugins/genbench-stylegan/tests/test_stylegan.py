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
        "stylegan.shapes": "27bca8ddf4d561c5606ee769969f5d83d74fc9aa08366bb79c49f4ce1434e828",
        "stylegan.shapes-psi0.7": (
            "2eb05771dea6c67ddd3459f94b54af985744b03e47559837ffe343711764d935"
        ),
        "stylegan.shapes-psi0.5": (
            "e7f917fd5357946a82c6fb9a3e6a37f45b3d1cf6ecc51f35b913cb942b044926"
        ),
    }
