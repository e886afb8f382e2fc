"""Per-sample deterministic noise.

The contract: sample i depends only on the weights, ``seeds[i]`` and its condition, never
on batch size, batch composition or the number of processes. Each sample therefore owns a
CPU ``torch.Generator`` seeded with its seed; noise is drawn per sample on the CPU (which
is bit-identical everywhere) and then moved to the model's device.

Typical use inside ``Generator.sample``::

    noise = genbench.seeding.PerSampleNoise(request.seeds)
    z = noise.randn(latent_dim, device=device)          # (n, latent_dim)
    for t in reversed(range(T)):
        x = step(x, t, noise.randn(*x.shape[1:], device=device))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

__all__ = ["PerSampleNoise", "derive_seed", "randn", "sample_seeds", "seed_everything"]

_MASK64 = (1 << 64) - 1


def _splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def derive_seed(*parts: int) -> int:
    """A well-mixed 63-bit seed from integers, e.g. ``derive_seed(run_seed, index)``."""
    state = 0x5EED
    for part in parts:
        state = _splitmix64(state ^ (int(part) & _MASK64))
    return state >> 1


def sample_seeds(run_seed: int, indices: Sequence[int] | range) -> list[int]:
    """The per-sample seeds of a benchmark run: one for each sample index."""
    return [derive_seed(run_seed, i) for i in indices]


class PerSampleNoise:
    """One random stream per sample; each call draws the next block of every stream."""

    def __init__(self, seeds: Sequence[int]) -> None:
        import torch

        self.seeds = [int(s) for s in seeds]
        self._generators = [torch.Generator().manual_seed(s) for s in self.seeds]

    def __len__(self) -> int:
        return len(self.seeds)

    def _draw(self, make: Any, shape: tuple[int, ...], device: Any) -> torch.Tensor:
        import torch

        rows = [make(generator) for generator in self._generators]
        out = torch.stack(rows) if rows else torch.empty((0, *shape))
        return out.to(device) if device is not None else out

    def randn(self, *shape: int, device: Any = None) -> torch.Tensor:
        """Standard normal noise of shape (n, *shape), float32."""
        import torch

        return self._draw(lambda g: torch.randn(shape, generator=g), shape, device)

    def rand(self, *shape: int, device: Any = None) -> torch.Tensor:
        """Uniform [0, 1) noise of shape (n, *shape), float32."""
        import torch

        return self._draw(lambda g: torch.rand(shape, generator=g), shape, device)

    def randint(self, high: int, *shape: int, device: Any = None) -> torch.Tensor:
        """Integers in [0, high) of shape (n, *shape), int64."""
        import torch

        return self._draw(lambda g: torch.randint(high, shape, generator=g), shape, device)


def randn(seeds: Sequence[int], *shape: int, device: Any = None) -> torch.Tensor:
    """One standard-normal draw of ``shape`` per seed, stacked: (len(seeds), *shape)."""
    return PerSampleNoise(seeds).randn(*shape, device=device)


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch for training runs (not for sampling: use the above)."""
    import random

    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
