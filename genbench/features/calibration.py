"""Random but well-scaled weights for nets whose real weights cannot be downloaded here.

Tests and benchmarks compare genbench with the reference implementations on identical
weights files in the real format. Random weights work for that only if activations stay
finite through ~90 layers, so each BatchNorm's running statistics are set to the batch
statistics of random input (one forward pass in training mode, cumulative averaging).
"""

from __future__ import annotations

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


def random_inception_state_dict(seed: int = 0, images: int = 4) -> dict[str, torch.Tensor]:
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
    inputs = torch.rand(images, 3, 299, 299, generator=generator) * 2 - 1
    calibrate_batchnorm(net, inputs)
    return {k: v.clone() for k, v in net.state_dict().items()}
