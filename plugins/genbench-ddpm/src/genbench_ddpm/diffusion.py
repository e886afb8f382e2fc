"""The diffusion process of Ho et al. 2020 and the samplers that invert it.

Forward process: q(x_t | x_{t-1}) = N(√(1-β_t) x_{t-1}, β_t I), so in closed form
q(x_t | x_0) = N(√ᾱ_t x_0, (1-ᾱ_t) I) with ᾱ_t = ∏_{s≤t} (1-β_s) (:func:`q_sample`).
Reverse process: Algorithm 2's ancestral step (:func:`p_sample`) and the DDIM step of
Song et al. 2021 (:func:`ddim_step`), both driven by a noise prediction ε_θ(x_t, t).
Timesteps are 0-based here: the paper's t = 1..T is t = 0..T-1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import torch


def linear_betas(steps: int = 1000, start: float = 1e-4, end: float = 0.02) -> torch.Tensor:
    """Ho et al.'s schedule: β_t rising linearly from 1e-4 to 0.02 over T = 1000 steps."""
    return torch.linspace(start, end, steps, dtype=torch.float64)


def cosine_betas(steps: int = 1000, offset: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    """Nichol & Dhariwal 2021: ᾱ_t = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s) · π/2)."""
    t = torch.arange(steps + 1, dtype=torch.float64) / steps
    f = torch.cos((t + offset) / (1 + offset) * math.pi / 2) ** 2
    alpha_bar = f / f[0]
    return (1 - alpha_bar[1:] / alpha_bar[:-1]).clamp(max=max_beta)


SCHEDULES = {"linear": linear_betas, "cosine": cosine_betas}


@dataclass(frozen=True)
class Schedule:
    """β_t and the quantities derived from it, as float64 tensors indexed by t = 0..T-1."""

    betas: torch.Tensor

    @classmethod
    def named(cls, name: str, steps: int = 1000) -> Schedule:
        if name not in SCHEDULES:
            raise ValueError(f"unknown beta schedule {name!r}; choose one of {sorted(SCHEDULES)}")
        return cls(SCHEDULES[name](steps))

    @property
    def steps(self) -> int:
        return len(self.betas)

    @cached_property
    def alphas(self) -> torch.Tensor:
        return 1 - self.betas

    @cached_property
    def alpha_bar(self) -> torch.Tensor:
        return torch.cumprod(self.alphas, dim=0)

    def alpha_bar_at(self, t: int) -> float:
        """ᾱ_t, with ᾱ_{-1} = 1 (the clean image) so that samplers can step to t = -1."""
        return 1.0 if t < 0 else float(self.alpha_bar[t])

    def posterior_variance(self, t: int) -> float:
        """β̃_t = (1 - ᾱ_{t-1}) / (1 - ᾱ_t) · β_t, the variance of q(x_{t-1} | x_t, x_0)."""
        return (1 - self.alpha_bar_at(t - 1)) / (1 - self.alpha_bar_at(t)) * float(self.betas[t])


def q_sample(
    schedule: Schedule, x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor
) -> torch.Tensor:
    """x_t = √ᾱ_t x_0 + √(1-ᾱ_t) ε: a draw from q(x_t | x_0) for per-sample timesteps t."""
    alpha_bar = schedule.alpha_bar.to(x0.device)[t].float().view(-1, *([1] * (x0.dim() - 1)))
    return alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise


def predict_x0(
    schedule: Schedule, x_t: torch.Tensor, t: int, eps: torch.Tensor, clip: bool
) -> torch.Tensor:
    """x̂_0 = (x_t - √(1-ᾱ_t) ε) / √ᾱ_t, optionally clipped to the data range [-1, 1].

    Ho et al.'s released sampler clips x̂_0 ("clip_denoised"): an ε slightly off at a
    low noise level otherwise sends pixels far outside the data range, and the next
    steps amplify them into speckle.
    """
    alpha_bar = schedule.alpha_bar_at(t)
    x0 = (x_t - math.sqrt(1 - alpha_bar) * eps) / math.sqrt(alpha_bar)
    return x0.clamp(-1, 1) if clip else x0


def p_sample(
    schedule: Schedule,
    x_t: torch.Tensor,
    t: int,
    eps: torch.Tensor,
    z: torch.Tensor,
    variance: str = "beta",
    clip: bool = False,
) -> torch.Tensor:
    """Algorithm 2, one step: x_{t-1} = (x_t - β_t/√(1-ᾱ_t) ε) / √α_t + σ_t z.

    Computed as the posterior mean μ̃_t(x_t, x̂_0) = β_t √ᾱ_{t-1}/(1-ᾱ_t) x̂_0 +
    (1-ᾱ_{t-1}) √α_t/(1-ᾱ_t) x_t, which is the same mean when x̂_0 is not clipped.
    σ_t² is β_t (``"beta"``) or the posterior variance β̃_t (``"posterior"``); Ho et al.
    found both work. No noise is added on the last step (t = 0).
    """
    beta, alpha_bar, alpha_bar_prev = (
        float(schedule.betas[t]),
        schedule.alpha_bar_at(t),
        schedule.alpha_bar_at(t - 1),
    )
    x0 = predict_x0(schedule, x_t, t, eps, clip)
    mean = (
        beta * math.sqrt(alpha_bar_prev) * x0 + (1 - alpha_bar_prev) * math.sqrt(1 - beta) * x_t
    ) / (1 - alpha_bar)
    if t == 0:
        return mean
    sigma2 = beta if variance == "beta" else schedule.posterior_variance(t)
    return mean + math.sqrt(sigma2) * z


def ddim_step(
    schedule: Schedule,
    x_t: torch.Tensor,
    t: int,
    t_prev: int,
    eps: torch.Tensor,
    eta: float,
    z: torch.Tensor,
    clip: bool = False,
) -> torch.Tensor:
    """Song et al. 2021, eq. 12: from x_t to x_{t_prev} through the predicted x_0.

    x_prev = √ᾱ_prev x̂_0 + √(1-ᾱ_prev-σ²) ε + σ z with
    σ = η √((1-ᾱ_prev)/(1-ᾱ_t)) √(1-ᾱ_t/ᾱ_prev). η = 0 is deterministic DDIM; η = 1
    with consecutive timesteps is DDPM's ancestral step with σ_t² = β̃_t. A clipped x̂_0
    comes with the ε that it implies, so that x_t stays consistent.
    """
    alpha_bar, alpha_bar_prev = schedule.alpha_bar_at(t), schedule.alpha_bar_at(t_prev)
    x0 = predict_x0(schedule, x_t, t, eps, clip)
    if clip:
        eps = (x_t - math.sqrt(alpha_bar) * x0) / math.sqrt(1 - alpha_bar)
    sigma = eta * math.sqrt(
        (1 - alpha_bar_prev) / (1 - alpha_bar) * (1 - alpha_bar / alpha_bar_prev)
    )
    direction = math.sqrt(max(1 - alpha_bar_prev - sigma**2, 0.0)) * eps
    return math.sqrt(alpha_bar_prev) * x0 + direction + sigma * z


def ddim_timesteps(total: int, steps: int) -> list[int]:
    """``steps`` timesteps spread evenly over 0..total-1, from the noisiest down to 0."""
    if not 1 <= steps <= total:
        raise ValueError(f"DDIM needs 1..{total} steps, got {steps}")
    return sorted({round(i * (total - 1) / max(steps - 1, 1)) for i in range(steps)}, reverse=True)
