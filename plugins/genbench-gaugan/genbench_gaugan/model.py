"""GauGAN's networks (Park et al. 2019), sized for 32 px.

SPADE (section 3): a parameter-free normalisation of the activations, then a scale γ and
bias β that vary per pixel, predicted from the segmentation map by a small convolutional
net. Feeding the map only at the input, as pix2pix does, lets normalisation wash out the
information of uniform label regions; SPADE re-injects the map at every block.

Generator (figure 4): a style vector z (256-d in the paper, 64 here) through a linear layer
to a 4×4 map, then SPADE residual blocks with nearest-neighbour upsampling 4 → 8 → 16 → 32
and a 3×3 convolution to RGB with tanh. The normalisation is instance norm without affine
parameters (the paper's code offers it beside synchronized batch norm); it keeps each
sample independent of its batch. Spectral norm on the blocks' convolutions, as the paper.

Encoder (section 4, multi-modal synthesis): image → (μ, log σ²) of z; training decodes a
reparameterised z from the real image, sampling draws z ~ N(0, I) from the sample's seed.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from genbench.seeding import PerSampleNoise


class SPADE(nn.Module):
    """x (n, channels, h, w), one-hot map (n, classes, H, W) -> norm(x)·(1 + γ) + β."""

    def __init__(self, channels: int, classes: int, hidden: int = 64) -> None:
        super().__init__()
        self.norm = nn.InstanceNorm2d(channels, affine=False)
        self.shared = nn.Sequential(nn.Conv2d(classes, hidden, 3, padding=1), nn.ReLU())
        self.gamma = nn.Conv2d(hidden, channels, 3, padding=1)
        self.beta = nn.Conv2d(hidden, channels, 3, padding=1)

    def forward(self, x: torch.Tensor, segmap: torch.Tensor) -> torch.Tensor:
        segmap = F.interpolate(segmap, size=x.shape[-2:], mode="nearest")
        hidden = self.shared(segmap)
        return self.norm(x) * (1 + self.gamma(hidden)) + self.beta(hidden)


class SPADEResBlock(nn.Module):
    """SPADE → LeakyReLU → conv 3×3, twice, plus a shortcut (SPADE → conv 1×1 when the
    channels change)."""

    def __init__(self, channels: int, out: int, classes: int) -> None:
        super().__init__()
        middle = min(channels, out)
        self.norm_0, self.conv_0 = (
            SPADE(channels, classes),
            spectral_norm(nn.Conv2d(channels, middle, 3, padding=1)),
        )
        self.norm_1, self.conv_1 = (
            SPADE(middle, classes),
            spectral_norm(nn.Conv2d(middle, out, 3, padding=1)),
        )
        self.learned_shortcut = channels != out
        if self.learned_shortcut:
            self.norm_s = SPADE(channels, classes)
            self.conv_s = spectral_norm(nn.Conv2d(channels, out, 1, bias=False))

    def forward(self, x: torch.Tensor, segmap: torch.Tensor) -> torch.Tensor:
        shortcut = self.conv_s(self.norm_s(x, segmap)) if self.learned_shortcut else x
        h = self.conv_0(F.leaky_relu(self.norm_0(x, segmap), 0.2))
        h = self.conv_1(F.leaky_relu(self.norm_1(h, segmap), 0.2))
        return shortcut + h


class SPADEGenerator(nn.Module):
    """One-hot map (n, classes, 32, 32) and z (n, z_dim) -> image (n, 3, 32, 32) in [-1, 1]."""

    def __init__(
        self, classes: int = 10, z_dim: int = 64, width: int = 32, out_channels: int = 3
    ) -> None:
        super().__init__()
        self.z_dim, self.width = z_dim, width
        self.fc = nn.Linear(z_dim, 4 * width * 4 * 4)
        channels = (4 * width, 4 * width, 4 * width, 2 * width, width)  # at 4, 8, 16, 32 px
        self.blocks = nn.ModuleList(
            SPADEResBlock(channels[i], channels[i + 1], classes) for i in range(4)
        )
        self.to_image = nn.Conv2d(width, out_channels, 3, padding=1)

    def synthesize(self, segmap: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        x = self.fc(z).view(len(z), 4 * self.width, 4, 4)
        for index, block in enumerate(self.blocks):
            if index > 0:
                x = F.interpolate(x, scale_factor=2, mode="nearest")
            x = block(x, segmap)
        return torch.tanh(self.to_image(F.leaky_relu(x, 0.2)))

    def forward(self, segmap: torch.Tensor, noise: PerSampleNoise | None = None) -> torch.Tensor:
        """Sampling: z ~ N(0, I) from each sample's stream (torch's generator without one)."""
        if noise is None:
            z = torch.randn(len(segmap), self.z_dim, device=segmap.device)
        else:
            z = noise.randn(self.z_dim, device=segmap.device)
        return self.synthesize(segmap, z)


class StyleEncoder(nn.Module):
    """Image (n, 3, 32, 32) -> mean and log-variance of its style vector z."""

    def __init__(self, z_dim: int = 64, width: int = 32, channels: int = 3) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for out in (width, 2 * width, 4 * width):  # 32 → 16 → 8 → 4
            layers += [
                spectral_norm(nn.Conv2d(channels, out, 3, 2, 1)),
                nn.InstanceNorm2d(out),
                nn.LeakyReLU(0.2),
            ]
            channels = out
        self.body = nn.Sequential(*layers, nn.Flatten())
        self.mu = nn.Linear(channels * 16, z_dim)
        self.logvar = nn.Linear(channels * 16, z_dim)

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.body(images)
        return self.mu(h), self.logvar(h)
