"""The history of generated images a discriminator is shown (Shrivastava et al. 2017;
CycleGAN section 4): D is updated on a mix of the newest fakes and older ones, which damps
the oscillation of G and D chasing each other.

Until the pool holds ``size`` images each new fake is stored and returned; then each is,
with probability 1/2, returned as is, or swapped for a random stored image that it
replaces. Random draws come from the caller's generator, so training stays deterministic,
and the stored images are part of the resumable state.
"""

from __future__ import annotations

import torch


class ImagePool:
    def __init__(self, size: int = 50) -> None:
        self.size = size
        self.images: list[torch.Tensor] = []

    def query(self, fakes: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
        """The images to show D in place of ``fakes`` (detached)."""
        if self.size == 0:
            return fakes.detach()
        out = []
        for image in fakes.detach():
            if len(self.images) < self.size:
                self.images.append(image.clone())
                out.append(image)
                continue
            swap, slot = (
                torch.rand(1, generator=rng).item(),
                torch.randint(self.size, (1,), generator=rng).item(),
            )
            if swap < 0.5:
                out.append(self.images[int(slot)].clone())
                self.images[int(slot)] = image.clone()
            else:
                out.append(image)
        return torch.stack(out)

    def state(self) -> torch.Tensor:
        """The stored images as one tensor (0 rows when empty), for a checkpoint."""
        return torch.stack(self.images) if self.images else torch.empty(0)

    def load_state(self, images: torch.Tensor) -> None:
        self.images = [image.clone() for image in images] if images.numel() else []
