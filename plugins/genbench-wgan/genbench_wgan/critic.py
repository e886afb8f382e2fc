"""The critic of both Wasserstein GANs: a multilayer perceptron.

The generator is the MLP of ``genbench_gankit.mlp`` (Goodfellow et al. 2014's
architecture). The critic's output is read as an unbounded score ``f(x)``, never squashed
by a sigmoid, and it has no normalization: WGAN-GP's gradient penalty is a per-sample
quantity that batch statistics would blur (Gulrajani et al. 2017, §4), and WGAN's clipped
weights need none. Arjovsky et al. (2017, Figure 6) train MLP generators with WGAN, and
Gulrajani et al. use MLPs in their toy and architecture-robustness experiments. Both models
share these networks, so their rows differ only in how the critic is kept Lipschitz.
"""

from __future__ import annotations

import torch
from torch import nn


class Critic(nn.Module):
    """images -> one unbounded score each: two LeakyReLU(0.2) hidden layers, no norm."""

    def __init__(self, hidden: int = 512, channels: int = 1, resolution: int = 16) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(channels * resolution * resolution, hidden),
            nn.LeakyReLU(0.2),
            nn.Linear(hidden, hidden),
            nn.LeakyReLU(0.2),
            nn.Linear(hidden, 1),
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images).flatten()
