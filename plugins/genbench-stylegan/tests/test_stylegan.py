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
        "stylegan.shapes": "6be2115fd570c783d26fcb03e1640b806d7692eb578deeb63cb9e001d8db8df8",
        "stylegan.shapes-psi0.7": (
            "c364a1c345a1e437b17a1ed606de0ded4588aaa1c1dc483e7e44ec9b8f5c236d"
        ),
        "stylegan.shapes-psi0.5": (
            "7c172a01eddfd3375a0dfb9a4a951fa8456dbc2b5daff1f1c23eb54e3e90660c"
        ),
    }
