"""The forward process against its closed form, and the samplers against each other."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import torch
from genbench.seeding import PerSampleNoise

from genbench_ddpm.config import SamplerConfig
from genbench_ddpm.diffusion import (
    Schedule,
    cosine_betas,
    ddim_step,
    ddim_timesteps,
    linear_betas,
    p_sample,
    q_sample,
)
from genbench_ddpm.sampler import sample
from genbench_ddpm.unet import UNet

from .conftest import TINY, assert_close


def test_linear_schedule_is_ho_et_al() -> None:
    betas = linear_betas()
    assert len(betas) == 1000
    assert betas[0].item() == pytest.approx(1e-4) and betas[-1].item() == pytest.approx(0.02)
    assert torch.all(betas[1:] > betas[:-1])
    # ᾱ_T ≈ 4e-5: x_T is almost pure noise, as the paper's L_T ≈ 0 needs
    assert Schedule(betas).alpha_bar[-1].item() == pytest.approx(4.04e-5, rel=0.01)


def test_cosine_schedule_follows_its_alpha_bar() -> None:
    steps, s = 1000, 0.008
    alpha_bar = Schedule(cosine_betas(steps)).alpha_bar
    t = torch.tensor([100, 500, 900], dtype=torch.float64)
    f = torch.cos((t / steps + s) / (1 + s) * math.pi / 2) ** 2
    f0 = math.cos(s / (1 + s) * math.pi / 2) ** 2
    expected = f / f0  # ᾱ at the paper's t = 100, 500, 900 is index t-1 here
    assert_close(alpha_bar[[99, 499, 899]], expected, rtol=1e-9, atol=0)
    with pytest.raises(ValueError, match="unknown beta schedule"):
        Schedule.named("quadratic")


def test_posterior_variance_is_zero_at_the_first_step() -> None:
    schedule = Schedule.named("linear")
    assert schedule.posterior_variance(0) == 0.0
    t = 500
    a, a_prev, beta = schedule.alpha_bar_at(t), schedule.alpha_bar_at(t - 1), schedule.betas[t]
    assert schedule.posterior_variance(t) == pytest.approx((1 - a_prev) / (1 - a) * beta)


@pytest.mark.parametrize("name", ["linear", "cosine"])
def test_q_sample_matches_the_markov_chain(name: str) -> None:
    """x_t from the closed form and from t one-step transitions q(x_t | x_{t-1}) agree in
    mean √ᾱ_t x_0 and variance 1-ᾱ_t."""
    schedule = Schedule.named(name, 100)
    generator = torch.Generator().manual_seed(0)
    x0 = torch.tensor([-0.8, 0.0, 0.5, 1.0])
    draws, t = 40000, 60
    closed = q_sample(
        schedule,
        x0.expand(draws, 4),
        torch.full((draws,), t),
        torch.randn(draws, 4, generator=generator),
    )
    chain = x0.expand(draws, 4).clone()
    for beta in schedule.betas[: t + 1].float():
        chain = (1 - beta).sqrt() * chain + beta.sqrt() * torch.randn(draws, 4, generator=generator)
    alpha_bar = schedule.alpha_bar_at(t)
    for x in (closed, chain):
        assert_close(x.mean(0), math.sqrt(alpha_bar) * x0, atol=0.02, rtol=0)
        assert_close(x.var(0), torch.full((4,), 1 - alpha_bar), atol=0.02, rtol=0)


def test_ddim_with_eta_one_is_the_ancestral_step_with_posterior_variance() -> None:
    schedule = Schedule.named("linear")
    generator = torch.Generator().manual_seed(1)
    x, eps, z = (
        torch.randn(3, 1, 4, 4, generator=generator, dtype=torch.float64) for _ in range(3)
    )
    for t in (999, 500, 10, 1):
        ddim = ddim_step(schedule, x, t, t - 1, eps, eta=1.0, z=z)
        ancestral = p_sample(schedule, x, t, eps, z, variance="posterior")
        assert_close(ddim, ancestral, rtol=1e-9, atol=1e-9)
    # and at t = 0 both return the noiseless mean
    assert_close(ddim_step(schedule, x, 0, -1, eps, 1.0, z), p_sample(schedule, x, 0, eps, z))


def test_full_ddim_eta_one_sampler_equals_ancestral_sampler(tiny_checkpoint: object) -> None:
    """Whole trajectories: DDIM over every timestep with η = 1 reproduces Algorithm 2
    (σ² = β̃) from the same per-sample noise, up to float32 rounding."""
    torch.manual_seed(0)
    network = UNet(TINY).eval()
    schedule = Schedule.named("linear", 20)
    labels = torch.tensor([3, 7])
    with torch.inference_mode():
        ancestral = sample(
            network,
            schedule,
            SamplerConfig("ancestral", 20, variance="posterior", guidance=1.0),
            PerSampleNoise([5, 6]),
            labels,
        )
        ddim = sample(
            network,
            schedule,
            SamplerConfig("ddim", 20, eta=1.0, guidance=1.0),
            PerSampleNoise([5, 6]),
            labels,
        )
    assert_close(ddim, ancestral, rtol=1e-4, atol=1e-4)


def test_ddim_timesteps_span_the_schedule() -> None:
    assert ddim_timesteps(1000, 10) == [999, 888, 777, 666, 555, 444, 333, 222, 111, 0]
    steps = ddim_timesteps(1000, 50)
    assert len(steps) == 50 and steps[0] == 999 and steps[-1] == 0
    assert ddim_timesteps(20, 20) == list(range(19, -1, -1))
    with pytest.raises(ValueError, match="DDIM needs"):
        ddim_timesteps(20, 21)


class _PerfectDenoiser(torch.nn.Module):
    """The exact ε of a data set holding one image x*: ε = (x_t - √ᾱ_t x*) / √(1-ᾱ_t)."""

    def __init__(self, target: torch.Tensor, schedule: Schedule) -> None:
        super().__init__()
        self.target, self.alpha_bar = target, schedule.alpha_bar.float()
        self.config = replace(TINY, num_classes=None)

    def forward(self, x: torch.Tensor, t: torch.Tensor, y: object = None) -> torch.Tensor:
        alpha_bar = self.alpha_bar[t].view(-1, 1, 1, 1)
        return (x - alpha_bar.sqrt() * self.target) / (1 - alpha_bar).sqrt()


@pytest.mark.parametrize(
    "config",
    [
        SamplerConfig("ancestral", 1000, variance="beta"),
        SamplerConfig("ancestral", 1000, variance="posterior"),
        SamplerConfig("ddim", 10, eta=0.0),
        SamplerConfig("ddim", 25, eta=1.0),
    ],
    ids=["ancestral-beta", "ancestral-posterior", "ddim10", "ddim25-eta1"],
)
def test_samplers_recover_the_image_of_a_perfect_denoiser(config: SamplerConfig) -> None:
    schedule = Schedule.named("linear")
    target = torch.linspace(-1, 1, 256).reshape(1, 1, 16, 16)
    with torch.inference_mode():
        x0 = sample(_PerfectDenoiser(target, schedule), schedule, config, PerSampleNoise([1, 2]))
    assert_close(x0, target.expand(2, 1, 16, 16), atol=1e-3, rtol=0)
