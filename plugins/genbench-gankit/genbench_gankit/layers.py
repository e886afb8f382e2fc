"""The layers Karras et al. introduced in Progressive GAN (2018, §3–4) and StyleGAN reuses.

- Equalized learning rate: weights are drawn from N(0, 1) and scaled at run time by He's
  constant c = gain / sqrt(fan_in), so that Adam, which normalises each update by its own
  scale, changes every layer at the same relative speed. ``lr_multiplier`` λ' shrinks a
  layer's effective learning rate (StyleGAN's mapping network uses 0.01): the stored
  weights are N(0, 1/λ'²) and the run-time scale is c·λ'.
- Pixelwise feature normalization: each pixel's feature vector scaled to unit mean square.
- Minibatch standard deviation: the discriminator sees, as one more feature map, how much
  the features vary across a group of images, so it can tell a collapsed batch.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

LEAKY_SLOPE = 0.2


class EqualizedLinear(nn.Module):
    """A linear layer with an equalized learning rate; ``bias_init`` is its initial bias."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        gain: float = math.sqrt(2),
        lr_multiplier: float = 1.0,
        bias_init: float = 0.0,
    ) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / lr_multiplier)
        self.bias = nn.Parameter(torch.full((out_features,), bias_init / lr_multiplier))
        self.scale = gain / math.sqrt(in_features) * lr_multiplier
        self.lr_multiplier = lr_multiplier

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight * self.scale, self.bias * self.lr_multiplier)


class EqualizedConv2d(nn.Module):
    """A stride-1, same-padded convolution with an equalized learning rate."""

    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, gain: float = math.sqrt(2)
    ) -> None:
        super().__init__()
        shape = (out_channels, in_channels, kernel_size, kernel_size)
        self.weight = nn.Parameter(torch.randn(shape))
        self.bias = nn.Parameter(torch.zeros(out_channels))
        self.scale = gain / math.sqrt(in_channels * kernel_size * kernel_size)
        self.padding = kernel_size // 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.weight * self.scale, self.bias, padding=self.padding)


def leaky_relu(x: torch.Tensor) -> torch.Tensor:
    return F.leaky_relu(x, LEAKY_SLOPE)


def pixel_norm(x: torch.Tensor, epsilon: float = 1e-8) -> torch.Tensor:
    """b = a / sqrt(mean_j a_j² + ε) over the channels j of each pixel (§4.2)."""
    return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + epsilon)


def minibatch_stddev(x: torch.Tensor, group_size: int = 4) -> torch.Tensor:
    """``x`` with one more channel: the standard deviation of every feature over a group of
    images, averaged over features and pixels, one number per group (§3).

    The batch is split into groups of ``group_size`` (or the whole batch, if smaller),
    so that the statistic is cheap and still sees other images.
    """
    n, channels, height, width = x.shape
    group = min(group_size, n)
    if n % group:
        raise ValueError(f"minibatch stddev: batch {n} is not a multiple of group {group}")
    grouped = x.view(group, n // group, channels, height, width)
    deviation = torch.sqrt(grouped.var(dim=0, unbiased=False) + 1e-8)  # (n/g, C, H, W)
    statistic = deviation.mean(dim=(1, 2, 3)).view(-1, 1, 1, 1).repeat(group, 1, height, width)
    return torch.cat([x, statistic], dim=1)
