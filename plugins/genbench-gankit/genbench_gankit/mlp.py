"""The multilayer-perceptron generator of "Generative Adversarial Nets" (Goodfellow et al.
2014), shared by the GAN family (with a maxout discriminator) and the Wasserstein GANs
(with an MLP critic), so that their rows differ only in the discriminator and the loss.

ReLU hidden units (the paper: "a mixture of rectifier linear activations and sigmoid"; our
data live in [-1, 1], so the output is tanh).
"""

from __future__ import annotations

import torch
from torch import nn


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
