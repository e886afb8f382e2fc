"""The sampler settings of one leaderboard row. No torch here: rows register cheaply."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SamplerConfig:
    """How one row samples: Algorithm 2 (``"ancestral"``) over every timestep, or DDIM
    over ``steps`` of them with noise scale ``eta``.

    ``condition`` says which label each sample is generated for: ``"request"`` the
    requested one (a class-conditional row), ``"seed"`` one drawn uniformly from the
    sample's own noise stream, which samples p(x) = Σ_y p(y) p(x | y) (an unconditional
    row), or ``"null"`` the null label, ε(x_t, ∅) (an unconditional row).
    ``guidance`` is the classifier-free guidance weight w of Ho & Salimans 2022,
    ε̃ = (1+w) ε(x, c) - w ε(x, ∅). ``clip_denoised`` clips each step's predicted x_0 to
    [-1, 1], as Ho et al.'s released sampler does."""

    method: str = "ancestral"
    steps: int = 1000
    eta: float = 0.0
    variance: str = "beta"
    condition: str = "seed"
    guidance: float = 0.0
    clip_denoised: bool = True

    @property
    def nfe(self) -> int:
        """Network evaluations per sample: guidance evaluates ε twice per step."""
        return self.steps * (2 if self.guidance else 1)
