"""From a trained ε_θ to images: the sampler settings of one leaderboard row, and the
generator that the harness calls.

Two things keep sample i a function of ``seeds[i]`` and ``labels[i]`` alone, bit for bit:
its noise (x_T and every step's z) comes from its own stream of
``genbench.seeding.PerSampleNoise``, and the network only ever sees micro-batches of
exactly ``MICRO_BATCH`` rows (the last one padded). CPU convolution kernels are chosen by
batch size — on this machine a batch of one rounds differently from any other — and
after hundreds of steps such last-bit differences flip uint8 pixels; a fixed micro-batch
makes every sample go through the same kernels whatever the request size.
"""

from __future__ import annotations

import torch
from genbench import GenbenchError, SampleRequest
from genbench.seeding import PerSampleNoise

from genbench_ddpm.config import SamplerConfig
from genbench_ddpm.diffusion import Schedule, ddim_step, ddim_timesteps, p_sample
from genbench_ddpm.unet import UNet

MICRO_BATCH = 64


def guided_eps(
    network: UNet, x: torch.Tensor, t: int, labels: torch.Tensor | None, guidance: float
) -> torch.Tensor:
    """ε_θ(x_t, t) for the batch: unconditional, conditional, or guided (both in one pass)."""
    null = network.config.num_classes
    if labels is None:
        y = None if null is None else torch.full((len(x),), null, dtype=torch.long)
        return _micro_batched(network, x, t, y)
    if not guidance:
        return _micro_batched(network, x, t, labels)
    both = _micro_batched(
        network, torch.cat([x, x]), t, torch.cat([labels, torch.full_like(labels, null)])
    )
    conditional, unconditional = both.chunk(2)
    return (1 + guidance) * conditional - guidance * unconditional


def _micro_batched(network: UNet, x: torch.Tensor, t: int, y: torch.Tensor | None) -> torch.Tensor:
    """``network(x, t, y)`` evaluated MICRO_BATCH rows at a time (see the module docstring)."""
    outputs = []
    for start in range(0, len(x), MICRO_BATCH):
        xs = x[start : start + MICRO_BATCH]
        ys = None if y is None else y[start : start + MICRO_BATCH].to(x.device)
        rows = len(xs)
        if rows < MICRO_BATCH:
            xs = torch.cat([xs, xs.new_zeros((MICRO_BATCH - rows, *xs.shape[1:]))])
            if ys is not None:
                ys = torch.cat([ys, ys.new_zeros(MICRO_BATCH - rows)])
        if xs.device.type == "cpu":  # oneDNN convolutions run about twice as fast so
            xs = xs.contiguous(memory_format=torch.channels_last)
        steps = torch.full((MICRO_BATCH,), t, dtype=torch.long, device=x.device)
        outputs.append(network(xs, steps, ys)[:rows].contiguous())
    return torch.cat(outputs)


def sample(
    network: UNet,
    schedule: Schedule,
    config: SamplerConfig,
    noise: PerSampleNoise,
    labels: torch.Tensor | None = None,
    device: str | torch.device = "cpu",
) -> torch.Tensor:
    """Run the reverse process from x_T ~ N(0, I); returns x_0 as floats in about [-1, 1]."""
    shape = (network.config.image_channels, network.config.resolution, network.config.resolution)
    x = noise.randn(*shape, device=device)
    if config.method == "ancestral":
        for t in reversed(range(schedule.steps)):
            eps = guided_eps(network, x, t, labels, config.guidance)
            z = noise.randn(*shape, device=device)
            x = p_sample(schedule, x, t, eps, z, config.variance, config.clip_denoised)
        return x
    if config.method != "ddim":
        raise ValueError(f"unknown sampler {config.method!r}; use 'ancestral' or 'ddim'")
    timesteps = ddim_timesteps(schedule.steps, config.steps)
    for t, t_prev in zip(timesteps, [*timesteps[1:], -1], strict=True):
        eps = guided_eps(network, x, t, labels, config.guidance)
        z = noise.randn(*shape, device=device) if config.eta else torch.zeros_like(x)
        x = ddim_step(schedule, x, t, t_prev, eps, config.eta, z, config.clip_denoised)
    return x


class DiffusionGenerator:
    """A loaded network and one row's sampler: ``sample(request)`` → uint8 (n, C, H, W)."""

    def __init__(
        self, network: UNet, schedule: Schedule, config: SamplerConfig, device: str
    ) -> None:
        self.network, self.schedule, self.config, self.device = network, schedule, config, device

    def sample(self, request: SampleRequest) -> torch.Tensor:
        from genbench.train import to_uint8

        noise = PerSampleNoise(request.seeds)
        with torch.inference_mode():
            labels = self._labels(request, noise)
            x = sample(self.network, self.schedule, self.config, noise, labels, self.device)
        return to_uint8(x)

    def _labels(self, request: SampleRequest, noise: PerSampleNoise) -> torch.Tensor | None:
        """Each sample's label as ``config.condition`` says; None asks for ε(x_t, ∅)."""
        classes = self.network.config.num_classes or 0
        if self.config.condition == "null" or (self.config.condition == "seed" and not classes):
            return None
        if self.config.condition == "seed":
            return noise.randint(classes, device=self.device)
        if request.labels is None or any(not 0 <= y < classes for y in request.labels):
            raise GenbenchError(
                f"a class-conditional DDPM row needs request.labels in 0..{classes - 1}"
                f" (one per seed), got {request.labels!r}"
            )
        return torch.as_tensor(list(request.labels), dtype=torch.long, device=self.device)
