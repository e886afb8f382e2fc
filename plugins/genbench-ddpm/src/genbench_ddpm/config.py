"""The sampler settings of one leaderboard row. No torch here: rows register cheaply."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SamplerConfig:
    """How one row samples: Algorithm 2 (``"ancestral"``) over every timestep, or DDIM
    over ``steps`` of them with noise scale ``eta``. ``guidance`` is the classifier-free
    guidance weight w of Ho & Salimans 2022, ε̃ = (1+w) ε(x, c) - w ε(x, ∅); None samples
    unconditionally (the null label)."""

    method: str = "ancestral"
    steps: int = 1000
    eta: float = 0.0
    variance: str = "beta"
    guidance: float | None = None

    @property
    def nfe(self) -> int:
        """Network evaluations per sample: guidance evaluates ε twice per step."""
        return self.steps * (2 if self.guidance else 1)
