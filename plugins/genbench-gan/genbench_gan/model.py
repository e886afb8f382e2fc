"""The networks of "Generative Adversarial Nets" (Goodfellow et al. 2014), for 16×16 images.

Both are multilayer perceptrons, as in the paper's MNIST experiments: the generator uses
ReLU hidden units (the paper: "a mixture of rectifier linear activations and sigmoid"; our
data live in [-1, 1], so the output is tanh), the discriminator maxout units with dropout.
"""

from __future__ import annotations

import torch
from torch import nn


class Maxout(nn.Module):
    """Goodfellow et al. 2013: the max over ``pieces`` linear maps of the input."""

    def __init__(self, in_features: int, out_features: int, pieces: int) -> None:
        super().__init__()
        self.out_features, self.pieces = out_features, pieces
        self.linear = nn.Linear(in_features, out_features * pieces)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x).view(-1, self.out_features, self.pieces).amax(dim=2)


class Generator(nn.Module):
    """z (n, latent_dim) -> images (n, channels, resolution, resolution) in [-1, 1]."""

    def __init__(
        self, latent_dim: int = 64, hidden: int = 512, channels: int = 1, resolution: int = 16
    ) -> None:
        super().__init__()
        self.shape = (channels, resolution, resolution)
        self.net = nn.Sequential(
            nn.Linear(latent_dim, hidden // 2),
            nn.ReLU(),
            nn.Linear(hidden // 2, hidden),
            nn.ReLU(),
            nn.Linear(hidden, channels * resolution * resolution),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).view(-1, *self.shape)


class Discriminator(nn.Module):
    """images -> one logit each, through two maxout layers with dropout."""

    def __init__(
        self,
        hidden: int = 240,
        pieces: int = 5,
        dropout: float = 0.5,
        channels: int = 1,
        resolution: int = 16,
    ) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(0.2),  # the paper's input dropout
            Maxout(channels * resolution * resolution, hidden, pieces),
            nn.Dropout(dropout),
            Maxout(hidden, hidden, pieces),
            nn.Dropout(dropout),
            nn.Linear(hidden, 1),
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images).flatten()
