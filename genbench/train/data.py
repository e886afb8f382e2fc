"""Real training data for the loops: a dataset split in memory, scaled to [-1, 1].

The batch order is a function of (seed, batch index) alone: batch b comes from the
permutation of epoch ``b // batches_per_epoch``, drawn from a generator seeded with
``derive_seed(seed, epoch)``. A resumed run therefore sees exactly the batches an
uninterrupted run would, without saving any random state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genbench.errors import GenbenchError
from genbench.seeding import derive_seed

if TYPE_CHECKING:
    import torch


def to_unit_range(images: torch.Tensor) -> torch.Tensor:
    """uint8 pixels 0..255 to floats in [-1, 1] (what a tanh generator produces)."""
    return images.float() / 127.5 - 1


def to_uint8(images: torch.Tensor) -> torch.Tensor:
    """Floats in [-1, 1] to uint8 pixels 0..255, rounding to nearest."""
    import torch

    return ((images + 1) * 127.5).round().clamp(0, 255).to(torch.uint8)


class RealBatches:
    """Batches of ``batch_size`` real images (and labels) from a registered dataset split."""

    def __init__(self, dataset: str, split: str, batch_size: int, seed: int, device: str) -> None:
        import torch

        from genbench.plugins import get_registry

        data = get_registry().datasets.get(dataset).load(split)
        everything = list(range(len(data)))
        if len(everything) < batch_size:
            raise GenbenchError(
                f"dataset {dataset!r} split {split!r} has {len(everything)} images, fewer than"
                f" the batch size {batch_size}; pass a smaller batch_size"
            )
        self.images = to_unit_range(torch.from_numpy(data.read("image", everything))).to(device)
        self.labels = (
            torch.from_numpy(data.read("label", everything)).to(device)
            if "label" in data.fields
            else None
        )
        self.batch_size, self.seed = batch_size, seed
        self.batches_per_epoch = len(everything) // batch_size  # the ragged tail is dropped

    def batch(self, index: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Real batch number ``index`` of the run: (images, labels or None)."""
        import torch

        epoch, position = divmod(index, self.batches_per_epoch)
        order = torch.randperm(
            len(self.images), generator=torch.Generator().manual_seed(derive_seed(self.seed, epoch))
        )
        chosen = order[position * self.batch_size : (position + 1) * self.batch_size]
        chosen = chosen.to(self.images.device)
        labels = self.labels[chosen] if self.labels is not None else None
        return self.images[chosen], labels
