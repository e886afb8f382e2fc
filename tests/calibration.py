"""Random but well-scaled weights for nets whose real weights cannot be downloaded here
(test support: the agreement tests and benchmarks/bench_score.py import it from here).

Tests and benchmarks compare genbench with the reference implementations on identical
weights files in the real format. Random weights work for that only if activations stay
finite through ~90 layers, so each BatchNorm's running statistics are set to the batch
statistics of random input (one forward pass in training mode, cumulative averaging).
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


def calibrate_batchnorm(net: nn.Module, inputs: torch.Tensor) -> nn.Module:
    """Set every BatchNorm's running mean/var to those of ``inputs`` flowing through ``net``."""
    norms = [m for m in net.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # cumulative average: one pass sets the batch statistics
    net.train()
    with torch.no_grad():
        net(inputs)
    for norm in norms:
        norm.momentum = 0.1
    return net.eval()


def image_like_noise(n: int, size: int, generator: torch.Generator) -> torch.Tensor:
    """Inputs in [-1, 1] with the smooth structure of upsampled images plus fine noise.

    Calibrating on white noise alone leaves smooth images (most real ones) far out of the
    calibrated range after ~90 layers; this mix keeps both kinds of input well scaled.
    """
    import torch.nn.functional as F

    coarse = torch.rand(n, 3, 8, 8, generator=generator) * 2 - 1
    smooth = F.interpolate(coarse, size=(size, size), mode="bilinear", align_corners=False)
    fine = torch.rand(n, 3, size, size, generator=generator) * 2 - 1
    weight = torch.linspace(0.1, 0.9, n).view(n, 1, 1, 1)
    return (1 - weight) * smooth + weight * fine


def random_inception_state_dict(seed: int = 0, images: int = 8) -> dict[str, torch.Tensor]:
    """An FID-Inception state dict with pytorch-fid's exact keys and random, calibrated values."""
    from genbench.features.inception import fid_inception

    generator = torch.Generator().manual_seed(seed)
    net = fid_inception()
    with torch.no_grad():
        for name, tensor in net.state_dict().items():
            if name.endswith(("conv.weight", "fc.weight")):
                fan_in = tensor[0].numel()
                tensor.copy_(torch.randn(tensor.shape, generator=generator) / fan_in**0.5)
            elif name.endswith(("bn.bias", "fc.bias")):
                tensor.copy_(0.1 * torch.randn(tensor.shape, generator=generator))
    calibrate_batchnorm(net, image_like_noise(images, 299, generator))
    return {k: v.clone() for k, v in net.state_dict().items()}


INCEPTION_HUB_FILENAME = "pt_inception-2015-12-05-6726825d.pth"


def install_random_inception(torch_home: Path, seed: int = 0) -> Path:
    """Write random calibrated FID-Inception weights where torch.hub (hence pytorch-fid,
    clean-fid and torch-fidelity) looks first: ``torch_home/hub/checkpoints/<file name>``."""
    path = torch_home / "hub" / "checkpoints" / INCEPTION_HUB_FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(random_inception_state_dict(seed), path)
    return path
