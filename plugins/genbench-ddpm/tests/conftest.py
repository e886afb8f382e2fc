"""A tiny randomly initialised checkpoint: the rows' samplers run on it in milliseconds."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from genbench.train import save_checkpoint

from genbench_ddpm.train import RECIPE
from genbench_ddpm.unet import UNet, UNetConfig

TINY = UNetConfig(channels=(8, 16), embedding_dim=16, groups=4, num_classes=10)


def assert_close(
    actual: torch.Tensor, expected: torch.Tensor, atol: float = 1e-9, rtol: float = 0.0
) -> None:
    """``torch.allclose`` with the largest difference in the message.

    (``torch.testing.assert_close`` imports torch.distributed on first use: seconds.)"""
    difference = (actual - expected).abs().max().item()
    assert torch.allclose(actual, expected, rtol=rtol, atol=atol), f"max |difference| {difference}"


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A class-conditional U-Net of 8/16 channels over a 20-step schedule."""
    torch.manual_seed(0)
    network = UNet(TINY)
    path = tmp_path_factory.mktemp("ddpm") / "tiny.safetensors"
    save_checkpoint(path, network.state_dict(), {**RECIPE, "unet": TINY.to_dict(), "timesteps": 20})
    return path
