"""The discriminator of "Generative Adversarial Nets" (Goodfellow et al. 2014), for 16×16
images: a multilayer perceptron of maxout units with dropout, as in the paper's MNIST
experiments. The generator is the MLP of ``genbench_gankit.mlp``.
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
