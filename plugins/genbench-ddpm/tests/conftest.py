"""A tiny randomly initialised checkpoint: the rows' samplers run on it in milliseconds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch
from genbench.train import save_checkpoint

from genbench_ddpm.train import RECIPE
from genbench_ddpm.unet import UNet, UNetConfig

TINY = UNetConfig(channels=(8, 16), embedding_dim=16, groups=4, num_classes=10)
# the same, shaped for shapes: 3×32×32 and 9 classes
TINY_SHAPES = replace(TINY, image_channels=3, resolution=32, num_classes=9)


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


def _tiny(folder: Path, config: UNetConfig) -> Path:
    torch.manual_seed(0)
    network = UNet(config)
    path = folder / f"tiny-{config.resolution}.safetensors"
    save_checkpoint(
        path, network.state_dict(), {**RECIPE, "unet": config.to_dict(), "timesteps": 20}
    )
    return path


@pytest.fixture(scope="session")
def tiny_checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Per dataset, a class-conditional U-Net of 8/16 channels over a 20-step schedule."""
    folder = tmp_path_factory.mktemp("ddpm")
    return {"digits": _tiny(folder, TINY), "shapes": _tiny(folder, TINY_SHAPES)}


@pytest.fixture(scope="session")
def tiny_checkpoint(tiny_checkpoints: dict[str, Path]) -> Path:
    """The digits one."""
    return tiny_checkpoints["digits"]
