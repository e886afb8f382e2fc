"""Sampling a trained GAN generator under genbench's per-sample seed contract.

``z`` for sample i is drawn from its own seed (``PerSampleNoise``). The generator then runs
on one sample at a time, in eval mode: CPU matmul and convolution kernels block their work
by batch size, so the same row can differ in the last bits between a batch of 1 and a batch
of 64, and a last-bit difference can flip a pixel's uint8 rounding. A batch of one is the
only batch size that every request shares, which makes a sample's pixels depend on its seed
and label alone. The networks are small, so this costs little.

A generator with noise inputs besides z (StyleGAN's per-pixel noise) lists their shapes in
its ``noise_shapes`` attribute: each sample's maps are drawn from its own stream after its
z and passed as ``generator(z, noise=[maps])``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from genbench import GenbenchError, SampleRequest, Weights
from genbench.seeding import PerSampleNoise
from genbench.train import one_cpu_thread

if TYPE_CHECKING:
    import torch
    from torch import nn


class GANSampler:
    """A ``genbench.Generator`` around a generator network ``G(z)`` or ``G(z, labels)``."""

    def __init__(self, generator: nn.Module, latent_dim: int, num_classes: int | None) -> None:
        self.generator = generator.eval()
        self.latent_dim, self.num_classes = latent_dim, num_classes
        self.noise_shapes: tuple[tuple[int, ...], ...] = getattr(generator, "noise_shapes", ())

    def sample(self, request: SampleRequest) -> torch.Tensor:
        import torch

        from genbench.train import to_uint8

        device = next(self.generator.parameters()).device
        noise = PerSampleNoise(request.seeds)
        z = noise.randn(self.latent_dim, device=device)
        maps = [noise.randn(*shape, device=device) for shape in self.noise_shapes]
        labels = self._labels(request, device)
        with torch.no_grad(), one_cpu_thread():
            images = []
            for i in range(len(request)):
                inputs = [z[i : i + 1]] if labels is None else [z[i : i + 1], labels[i : i + 1]]
                extra = {"noise": [m[i : i + 1] for m in maps]} if maps else {}
                images.append(self.generator(*inputs, **extra))
        if not images:
            return torch.empty((0, 1, 1, 1), dtype=torch.uint8)
        return to_uint8(torch.cat(images))

    def _labels(self, request: SampleRequest, device: Any) -> torch.Tensor | None:
        import torch

        if self.num_classes is None:
            return None
        if request.labels is None or len(request.labels) != len(request):
            raise GenbenchError(
                "this class-conditional GAN needs one label per seed in SampleRequest.labels"
            )
        labels = torch.as_tensor(list(request.labels), dtype=torch.long)
        if len(labels) and (labels.min() < 0 or labels.max() >= self.num_classes):
            raise GenbenchError(f"labels must lie in 0..{self.num_classes - 1}")
        return labels.to(device)


def export_generator(
    path: str | os.PathLike[str], generator: nn.Module, config: dict[str, Any]
) -> str:
    """Save a generator alone (what is shipped); ``config`` must say how to rebuild it."""
    from genbench.train import save_checkpoint

    return save_checkpoint(path, generator.state_dict(), config)


def load_sampler(
    weights: Weights,
    build: Callable[..., nn.Module],
    device: str,
) -> GANSampler:
    """Rebuild a generator from its weights (the shipped file, sha256 checked, or the user's
    ``--weights``) and wrap it for sampling.

    ``build(**config["architecture"])`` makes the untrained network.
    """
    from genbench.train import load_network

    generator, config = load_network(weights, lambda c: build(**c["architecture"]), device)
    return GANSampler(generator.to(device), config["latent_dim"], config.get("num_classes"))
