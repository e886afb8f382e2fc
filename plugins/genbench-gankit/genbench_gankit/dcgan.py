"""DCGAN's networks (Radford, Metz and Chintala 2016), sized for 16×16 images, and its
weight initialisation: the DCGAN family registers them as they are, the conditional GAN
family builds its conditional pair from them.

Generator: project-and-reshape (a linear map of z to a 4×4 stack of feature maps), then
two ×2 upsampling stages to 16×16; batch norm and ReLU inside, tanh at the output. The
upsampling is a strided transposed convolution, as in the paper, or bilinear upsampling
followed by a convolution, the lecture's other answer to "how do we upsample?".
Discriminator: strided convolutions (no pooling), LeakyReLU(0.2), batch norm on every
layer but the input one, one logit out.
"""

from __future__ import annotations

import torch
from torch import nn

UPSAMPLING = ("transposed", "bilinear")
NORMS = ("batch", "layer", "none")


def upsample(in_channels: int, out_channels: int, mode: str, bias: bool) -> nn.Module:
    """Double the spatial size: a fractionally-strided conv, or bilinear + 3×3 conv."""
    if mode == "transposed":
        return nn.ConvTranspose2d(in_channels, out_channels, 4, stride=2, padding=1, bias=bias)
    if mode == "bilinear":
        return nn.Sequential(
            nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
            nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=bias),
        )
    raise ValueError(f"upsampling {mode!r}: choose one of {UPSAMPLING}")


def normalization(kind: str, channels: int) -> nn.Module:
    """Batch norm (DCGAN), layer norm over (C, H, W) or nothing (WGAN-GP critics)."""
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    if kind == "layer":
        return nn.GroupNorm(1, channels)
    if kind == "none":
        return nn.Identity()
    raise ValueError(f"normalization {kind!r}: choose one of {NORMS}")


class Generator(nn.Module):
    """z (n, latent_dim) -> images (n, channels, 16, 16) in [-1, 1]."""

    def __init__(
        self,
        latent_dim: int = 64,
        width: int = 64,
        channels: int = 1,
        upsampling: str = "transposed",
    ) -> None:
        super().__init__()
        self.latent_dim, self.width = latent_dim, width
        self.project = nn.Linear(latent_dim, 4 * width * 4 * 4, bias=False)
        self.project_norm = nn.BatchNorm2d(4 * width)
        self.synthesis = nn.Sequential(
            upsample(4 * width, 2 * width, upsampling, bias=False),  # 8×8
            nn.BatchNorm2d(2 * width),
            nn.ReLU(),
            upsample(2 * width, channels, upsampling, bias=True),  # 16×16
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.project(z).view(-1, 4 * self.width, 4, 4)
        return self.synthesis(torch.relu(self.project_norm(x)))


class Discriminator(nn.Module):
    """images (n, channels, 16, 16) -> one logit each; ``features`` exposes the 4×4 maps."""

    def __init__(self, width: int = 64, channels: int = 1, norm: str = "batch") -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(channels, width, 4, stride=2, padding=1),  # 8×8, no norm on the input
            nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, stride=2, padding=1, bias=norm == "none"),  # 4×4
            normalization(norm, 2 * width),
            nn.LeakyReLU(0.2),
        )
        self.head = nn.Conv2d(2 * width, 1, 4)  # the 4×4 maps -> one number

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(images)).flatten()


def dcgan_init(module: nn.Module) -> None:
    """Radford et al.: all weights from N(0, 0.02); batch-norm scales from N(1, 0.02)."""
    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d | nn.Linear | nn.Embedding):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if getattr(module, "bias", None) is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
