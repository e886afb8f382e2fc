"""The generator of "Progressive Growing of GANs" (Karras et al. 2018, Table 2), small.

z is normalised to the unit hypersphere (pixel norm over its entries), mapped by a dense
layer to 4×4 feature maps, then each resolution block doubles the size (nearest
upsampling) and applies two 3×3 convolutions; every convolution is followed by
LeakyReLU(0.2) and pixelwise feature normalization, every layer has an equalized learning
rate. ``to_rgb`` (a 1×1 convolution, linear) reads an image out at each resolution.

While growing, the output comes from the current resolution; during a fade-in it is
(1 − α) · upsample(to_rgb(h_{r/2})) + α · to_rgb(h_r) (the paper's Figure 2). The output
is always returned at the full resolution, upsampled by nearest neighbour, so the rest of
the pipeline never sees the stage. The stage lives in buffers, which an EMA copy follows.
The discriminator is ``genbench_gankit.discriminator.ProgressiveDiscriminator``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import torch
import torch.nn.functional as F
from genbench_gankit.layers import EqualizedConv2d, EqualizedLinear, leaky_relu, pixel_norm
from torch import nn


class UpBlock(nn.Module):
    """Double the resolution, then two 3×3 convolutions, each with LReLU and pixel norm."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.conv1 = EqualizedConv2d(in_channels, out_channels, 3)
        self.conv2 = EqualizedConv2d(out_channels, out_channels, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        x = pixel_norm(leaky_relu(self.conv1(x)))
        return pixel_norm(leaky_relu(self.conv2(x)))


class Generator(nn.Module):
    """z (n, latent_dim) -> images (n, channels, resolution, resolution), about [-1, 1].

    ``widths`` maps each resolution (as a string: JSON keys) to its feature channels.
    """

    # buffers: the stage an EMA copy and a saved file carry along
    stage_resolution: torch.Tensor
    stage_alpha: torch.Tensor

    def __init__(
        self, latent_dim: int, widths: Mapping[str, int], channels: int, resolution: int
    ) -> None:
        super().__init__()
        self.resolutions = [4 * 2**i for i in range(int(resolution).bit_length() - 2)]
        if self.resolutions[-1] != resolution:
            raise ValueError(f"resolution {resolution} is not a power of two ≥ 4")
        width = {r: int(widths[str(r)]) for r in self.resolutions}
        # the paper's first layer is a 4×4 transposed convolution of z: a dense layer
        self.dense = EqualizedLinear(latent_dim, width[4] * 16, gain=math.sqrt(2) / 4)
        self.conv4 = EqualizedConv2d(width[4], width[4], 3)
        self.blocks = nn.ModuleDict(
            {str(r): UpBlock(width[r // 2], width[r]) for r in self.resolutions[1:]}
        )
        self.to_rgb = nn.ModuleDict(
            {str(r): EqualizedConv2d(width[r], channels, 1, gain=1.0) for r in self.resolutions}
        )
        self.width4 = width[4]
        self.register_buffer("stage_resolution", torch.tensor(resolution))
        self.register_buffer("stage_alpha", torch.tensor(1.0))

    def set_stage(self, resolution: int, alpha: float) -> None:
        self.stage_resolution.fill_(resolution)
        self.stage_alpha.fill_(alpha)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        current, alpha = int(self.stage_resolution), float(self.stage_alpha)
        h = self.dense(pixel_norm(z)).view(-1, self.width4, 4, 4)
        h = pixel_norm(leaky_relu(h))
        h = previous = pixel_norm(leaky_relu(self.conv4(h)))
        for resolution in self.resolutions[1:]:
            if resolution > current:
                break
            previous, h = h, self.blocks[str(resolution)](h)
        image = self.to_rgb[str(current)](h)
        if alpha < 1 and current > 4:
            coarse = self.to_rgb[str(current // 2)](previous)
            coarse = F.interpolate(coarse, scale_factor=2, mode="nearest")
            image = coarse + alpha * (image - coarse)
        full = self.resolutions[-1]
        if current < full:
            image = F.interpolate(image, scale_factor=full // current, mode="nearest")
        return image
