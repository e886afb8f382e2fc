"""Progressive growing (Karras et al. 2018, §3): the resolution a run trains at, by iteration.

Training starts at the lowest resolution; each new resolution block is faded in while α
rises linearly from 0 to 1 (the block then counts fully), then trained stable for a while.
Networks that grow implement ``set_stage(resolution, alpha)`` and keep their stage in
buffers, so an EMA copy of the generator follows it. Both networks take and return images
at the full resolution: the generator upsamples its current output (nearest), the
discriminator average-pools its input down to the current resolution, and nearest
upsampling followed by average pooling gives the small image back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import torch
    from torch import nn


@dataclass(frozen=True)
class Stage:
    """The resolution trained at and α, the weight of its newest block (1: faded in)."""

    resolution: int
    alpha: float


class Growth(Protocol):
    """What the GAN loop asks of a growing pair of networks at every iteration."""

    def stage(self, iteration: int) -> Stage: ...

    def enter(self, stage: Stage) -> None: ...

    def reals(self, images: torch.Tensor, stage: Stage) -> torch.Tensor: ...

    def complete(self, stage: Stage) -> bool: ...


def blend_resolutions(images: torch.Tensor, resolution: int, alpha: float) -> torch.Tensor:
    """``images`` seen at ``resolution`` and during a fade-in blended with the half
    resolution, as the generator's output is (Karras et al. 2018, Figure 2); returned at
    the input's full size, upsampled by nearest neighbour."""
    import torch.nn.functional as F

    full = images.shape[-1]
    small = F.avg_pool2d(images, full // resolution) if resolution < full else images
    if alpha < 1:
        coarse = F.interpolate(F.avg_pool2d(small, 2), scale_factor=2, mode="nearest")
        small = coarse + alpha * (small - coarse)
    return F.interpolate(small, size=full, mode="nearest") if resolution < full else small


class ProgressiveGrowth:
    """4 → 8 → … → the full resolution: ``stable`` iterations at each resolution, and
    ``fade`` iterations of fade-in before each new one; the last stays until the run ends."""

    def __init__(
        self,
        generator: nn.Module,
        discriminator: nn.Module,
        resolutions: tuple[int, ...],
        stable: int,
        fade: int,
    ) -> None:
        self.networks = (generator, discriminator)
        self.resolutions, self.stable, self.fade = resolutions, stable, fade

    def stage(self, iteration: int) -> Stage:
        """The stage of 1-based ``iteration``."""
        elapsed = iteration - 1
        for resolution in self.resolutions[1:]:
            if elapsed < self.stable:
                return Stage(resolution // 2, 1.0)
            elapsed -= self.stable
            if elapsed < self.fade:
                return Stage(resolution, (elapsed + 1) / self.fade)
            elapsed -= self.fade
        return Stage(self.resolutions[-1], 1.0)

    def enter(self, stage: Stage) -> None:
        for network in self.networks:
            network.set_stage(stage.resolution, stage.alpha)  # type: ignore[operator]

    def reals(self, images: torch.Tensor, stage: Stage) -> torch.Tensor:
        return blend_resolutions(images, stage.resolution, stage.alpha)

    def complete(self, stage: Stage) -> bool:
        return stage == Stage(self.resolutions[-1], 1.0)
