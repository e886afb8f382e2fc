"""CycleGAN's generator (Zhu et al. 2017, appendix 7.2; Johnson et al. 2016), sized for
32 px: c7s1-32, d64, d128, four residual blocks R128 at 8×8, u64, u32, c7s1-3.

``c7s1-k`` is a 7×7 convolution with stride 1 and k filters, ``dk`` a 3×3 stride-2
convolution, ``Rk`` a residual block of two 3×3 convolutions, ``uk`` a 3×3 fractionally
strided convolution; each is followed by instance norm and ReLU except the last (tanh).
Reflection padding avoids border artefacts. The network is deterministic: CycleGAN has no
noise input, so the sampler's per-sample stream is unused.
"""

from __future__ import annotations

import torch
from torch import nn

from genbench.seeding import PerSampleNoise


def _conv_norm_relu(channels: int, out: int, kernel: int, stride: int = 1) -> list[nn.Module]:
    padding = kernel // 2
    if stride == 1:
        conv: list[nn.Module] = [nn.ReflectionPad2d(padding), nn.Conv2d(channels, out, kernel)]
    else:
        conv = [nn.Conv2d(channels, out, kernel, stride, padding)]
    return [*conv, nn.InstanceNorm2d(out), nn.ReLU()]


class ResidualBlock(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            *_conv_norm_relu(channels, channels, 3),
            nn.ReflectionPad2d(1),
            nn.Conv2d(channels, channels, 3),
            nn.InstanceNorm2d(channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class ResnetGenerator(nn.Module):
    """Image (n, channels, H, W) in [-1, 1] -> image of the other domain, same shape."""

    def __init__(self, channels: int = 3, width: int = 32, blocks: int = 4) -> None:
        super().__init__()
        layers = [
            *_conv_norm_relu(channels, width, 7),
            *_conv_norm_relu(width, 2 * width, 3, stride=2),
            *_conv_norm_relu(2 * width, 4 * width, 3, stride=2),
            *(ResidualBlock(4 * width) for _ in range(blocks)),
        ]
        for out in (2 * width, width):
            layers += [
                nn.ConvTranspose2d(2 * out, out, 3, 2, padding=1, output_padding=1),
                nn.InstanceNorm2d(out),
                nn.ReLU(),
            ]
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(width, channels, 7), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor, noise: PerSampleNoise | None = None) -> torch.Tensor:
        return self.net(x)
