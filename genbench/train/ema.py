"""An exponential moving average of the generator's weights (Karras et al. 2018 sample
with one; Yazıcı et al. 2019 show it steadies GAN samples)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from torch import nn


class EMA:
    """``average = decay * average + (1 - decay) * weights`` after each generator step.

    Buffers (batch-norm running statistics) are copied, not averaged.
    """

    def __init__(self, network: nn.Module, decay: float) -> None:
        self.decay = decay
        self.average = copy.deepcopy(network).eval().requires_grad_(False)

    def update(self, network: nn.Module) -> None:
        import torch

        with torch.no_grad():
            pairs = zip(self.average.parameters(), network.parameters(), strict=True)
            for average, weight in pairs:
                average.lerp_(weight, 1 - self.decay)
            for copied, buffer in zip(self.average.buffers(), network.buffers(), strict=True):
                copied.copy_(buffer)
