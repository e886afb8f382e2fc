"""Registers the DDPM rows: one trained network, one row per sampler setting.

All rows share one class-conditional network trained with label dropout. The
unconditional rows draw each sample's label from its own seed and sample p(x | y), which
samples p(x) = Σ_y p(y) p(x | y); ``-null50`` asks the network's unconditional score
ε(x_t, t, ∅) instead; the ``cfg`` rows generate the requested labels and mix conditional
and unconditional predictions with guidance weight w. The rows differ only in how they
sample, so the leaderboard shows quality against network evaluations (NFE).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genbench
from genbench import ModelSpec, Weights

from genbench_ddpm.config import SamplerConfig

WEIGHTS = Weights(
    name="ddpm-digits",
    sha256="35673f8d42318485635a19c2147458780a2fb34e0d775fbe69ae2c6a741c3353",
    path=str(Path(__file__).parent / "weights" / "ddpm-digits.safetensors"),
    license="MIT",
)

PAPER = (
    "Ho, Jain, Abbeel. Denoising Diffusion Probabilistic Models. NeurIPS 2020; "
    "Song, Meng, Ermon. Denoising Diffusion Implicit Models. ICLR 2021; "
    "Ho, Salimans. Classifier-Free Diffusion Guidance. 2022"
)

# name → (sampler, description)
ROWS: dict[str, tuple[SamplerConfig, str]] = {
    "ddpm.digits": (
        SamplerConfig("ancestral", 1000),
        "DDPM, ancestral sampling over all 1000 steps (Algorithm 2, σ_t² = β_t);"
        " each sample's label drawn from its seed",
    ),
    "ddpm.digits-ddim50": (
        SamplerConfig("ddim", 50),
        "the same network, DDIM with 50 steps, η = 0; label drawn from the seed",
    ),
    "ddpm.digits-ddim50-eta1": (
        SamplerConfig("ddim", 50, eta=1.0),
        "the same network, stochastic DDIM with 50 steps, η = 1; label drawn from the seed",
    ),
    "ddpm.digits-ddim10": (
        SamplerConfig("ddim", 10),
        "the same network, DDIM with 10 steps, η = 0; label drawn from the seed",
    ),
    "ddpm.digits-null50": (
        SamplerConfig("ddim", 50, condition="null"),
        "the same network's unconditional score ε(x_t, ∅) (the null label), DDIM 50 steps",
    ),
    "ddpm.digits-cfg0": (
        SamplerConfig("ddim", 50, condition="request"),
        "class-conditional, no guidance (w = 0), DDIM 50 steps",
    ),
    "ddpm.digits-cfg2": (
        SamplerConfig("ddim", 50, condition="request", guidance=2.0),
        "class-conditional, classifier-free guidance w = 2, DDIM 50 steps",
    ),
    "ddpm.digits-cfg4": (
        SamplerConfig("ddim", 50, condition="request", guidance=4.0),
        "class-conditional, classifier-free guidance w = 4, DDIM 50 steps",
    ),
}


@dataclass(frozen=True)
class RowLoader:
    """``load(device)`` of a row: the network from ``checkpoint``, sampled as ``sampler`` says."""

    checkpoint: str
    sha256: str | None
    sampler: SamplerConfig

    def __call__(self, device: str = "cpu") -> Any:
        from genbench_ddpm.sampler import DiffusionGenerator
        from genbench_ddpm.train import load_model

        if not Path(self.checkpoint).is_file():
            raise genbench.GenbenchError(
                f"DDPM weights {self.checkpoint} are missing: reinstall genbench-ddpm, or train"
                " them with `genbench train ddpm.digits` and point a row at the result"
            )
        network, schedule, _ = load_model(self.checkpoint, self.sha256, device)
        return DiffusionGenerator(network, schedule, self.sampler, device)


def _train(**kwargs: Any) -> Path:
    from genbench_ddpm.train import train

    return train(**kwargs)


def row_spec(
    name: str, sampler: SamplerConfig, description: str, loader: Callable[[str], Any]
) -> ModelSpec:
    """The leaderboard row ``name``: its task follows from whether it uses labels."""
    conditional = sampler.condition == "request"
    info: dict[str, Any] = {
        "nfe": sampler.nfe,
        "sampler": sampler.method,
        "steps": sampler.steps,
        "eta": sampler.eta,
    }
    if conditional:
        info["guidance"] = sampler.guidance
    return ModelSpec(
        name=name,
        family="ddpm",
        task="class-conditional" if conditional else "unconditional",
        dataset="digits",
        load=loader,
        resolution=16,
        channels=1,
        num_classes=10 if conditional else None,
        weights=WEIGHTS,
        paper=PAPER,
        license="MIT",
        description=description,
        train=_train,
        info=info,
    )


@genbench.hookimpl
def genbench_register_models(register: Callable[[ModelSpec], None]) -> None:
    for name, (sampler, description) in ROWS.items():
        assert WEIGHTS.path is not None
        register(
            row_spec(name, sampler, description, RowLoader(WEIGHTS.path, WEIGHTS.sha256, sampler))
        )
