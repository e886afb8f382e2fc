"""The discriminator of Progressive GAN (Karras et al. 2018, Table 2), StyleGAN's too.

One block per resolution, from the full one down to 4×4: two 3×3 convolutions and a 2×2
average pool, LeakyReLU(0.2), no normalization; ``from_rgb`` (a 1×1 convolution) turns an
image into features at each resolution. The 4×4 block ends with the minibatch standard
deviation, a 3×3 and a 4×4 convolution (a dense layer here) and one linear score.

While growing, it trains at a lower resolution: the input is average-pooled down to it,
and during a fade-in the new block's output is blended with ``from_rgb`` of the half
resolution: (1 − α) · from_rgb(pool(x)) + α · block(from_rgb(x)).
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
import torch.nn.functional as F
from torch import nn

from genbench_gankit.layers import (
    EqualizedConv2d,
    EqualizedLinear,
    leaky_relu,
    minibatch_stddev,
)


class DownBlock(nn.Module):
    """Two 3×3 convolutions, then halve the resolution."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.conv1 = EqualizedConv2d(in_channels, in_channels, 3)
        self.conv2 = EqualizedConv2d(in_channels, out_channels, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = leaky_relu(self.conv2(leaky_relu(self.conv1(x))))
        return F.avg_pool2d(x, 2)


class ProgressiveDiscriminator(nn.Module):
    """images (n, image_channels, resolution, resolution) -> one score each.

    ``widths`` maps each resolution (4, 8, …, ``resolution``) to its feature channels.
    """

    # buffers: the stage an EMA copy and a saved file carry along
    stage_resolution: torch.Tensor
    stage_alpha: torch.Tensor

    def __init__(
        self,
        widths: Mapping[int, int],
        image_channels: int,
        resolution: int,
        stddev_group: int = 4,
    ) -> None:
        super().__init__()
        self.resolutions = [4 * 2**i for i in range(int(resolution).bit_length() - 2)]
        if self.resolutions[-1] != resolution:
            raise ValueError(f"resolution {resolution} is not a power of two ≥ 4")
        self.stddev_group = stddev_group
        self.from_rgb = nn.ModuleDict(
            {str(r): EqualizedConv2d(image_channels, widths[r], 1) for r in self.resolutions}
        )
        self.blocks = nn.ModuleDict(
            {str(r): DownBlock(widths[r], widths[r // 2]) for r in self.resolutions[1:]}
        )
        width = widths[4]
        self.final_conv = EqualizedConv2d(width + 1, width, 3)
        self.final_dense = EqualizedLinear(width * 4 * 4, width)
        self.score = EqualizedLinear(width, 1, gain=1.0)
        self.register_buffer("stage_resolution", torch.tensor(resolution))
        self.register_buffer("stage_alpha", torch.tensor(1.0))

    def set_stage(self, resolution: int, alpha: float) -> None:
        self.stage_resolution.fill_(resolution)
        self.stage_alpha.fill_(alpha)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        current, alpha = int(self.stage_resolution), float(self.stage_alpha)
        full = images.shape[-1]
        x = F.avg_pool2d(images, full // current) if current < full else images
        h = leaky_relu(self.from_rgb[str(current)](x))
        if current > 4:
            h = self.blocks[str(current)](h)
            if alpha < 1:
                skip = leaky_relu(self.from_rgb[str(current // 2)](F.avg_pool2d(x, 2)))
                h = skip + alpha * (h - skip)
        for resolution in reversed(self.resolutions[1:]):
            if resolution < current:
                h = self.blocks[str(resolution)](h)
        h = leaky_relu(self.final_conv(minibatch_stddev(h, self.stddev_group)))
        h = leaky_relu(self.final_dense(h.flatten(1)))
        return self.score(h).flatten()
