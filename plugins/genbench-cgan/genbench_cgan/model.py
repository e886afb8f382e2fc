"""A class-conditional DCGAN: labels into both networks.

Generator (Mirza and Osindero 2014): the one-hot label joins z at the input of DCGAN's
generator. Discriminator (Miyato and Koyama 2018, "cGANs with Projection Discriminator"):
``D(x, y) = psi(phi(x)) + embed(y) · phi(x)``, where ``phi`` is DCGAN's convolutional
body, ``psi`` its output layer, and the inner product with a learned class embedding
scores how well the image matches the label.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from genbench_gankit.dcgan import Discriminator, Generator
from torch import nn


class ConditionalGenerator(nn.Module):
    """(z, labels) -> images (n, channels, 16, 16) in [-1, 1]."""

    def __init__(
        self,
        latent_dim: int = 64,
        num_classes: int = 10,
        width: int = 64,
        channels: int = 1,
        upsampling: str = "transposed",
    ) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.generator = Generator(latent_dim + num_classes, width, channels, upsampling)

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        condition = F.one_hot(labels, self.num_classes).to(z.dtype)
        return self.generator(torch.cat([z, condition], dim=1))


class ProjectionDiscriminator(nn.Module):
    """(images, labels) -> one logit each: unconditional term plus the class projection."""

    def __init__(self, num_classes: int = 10, width: int = 64, channels: int = 1) -> None:
        super().__init__()
        self.discriminator = Discriminator(width, channels)
        self.embed = nn.Embedding(num_classes, 2 * width * 4 * 4)

    def forward(self, images: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        phi = self.discriminator.features(images)
        psi = self.discriminator.head(phi).flatten()
        return psi + (self.embed(labels) * phi.flatten(1)).sum(dim=1)
