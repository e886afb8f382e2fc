"""Registers the DDPM rows: one trained network per dataset, one row per sampler setting.

All rows of a dataset share one class-conditional network trained with label dropout. The
unconditional rows draw each sample's label from its own seed and sample p(x | y), which
samples p(x) = Σ_y p(y) p(x | y); ``-null50`` asks the network's unconditional score
ε(x_t, t, ∅) instead; the ``cfg`` rows generate the requested labels and mix conditional
and unconditional predictions with guidance weight w. The rows differ only in how they
sample, so the leaderboard shows quality against network evaluations (NFE).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import genbench
from genbench import ModelSpec, Weights

from genbench_ddpm.config import SamplerConfig


@dataclass(frozen=True)
class Network:
    """One trained ε_θ that rows sample from: its data, shipped weights and the recipe
    (overrides of ``train.RECIPE``) that trained them."""

    dataset: str
    resolution: int
    channels: int
    num_classes: int
    weights: Weights
    recipe: Mapping[str, Any] = field(default_factory=dict)


def _weights(dataset: str, sha256: str) -> Weights:
    filename = f"ddpm-{dataset}.safetensors"
    path = str(Path(__file__).parent / "weights" / filename)
    return Weights(name=f"ddpm-{dataset}", sha256=sha256, path=path, license="MIT")


DIGITS = Network(
    "digits",
    resolution=16,
    channels=1,
    num_classes=10,
    weights=_weights("digits", "35673f8d42318485635a19c2147458780a2fb34e0d775fbe69ae2c6a741c3353"),
)

# 32×32 colour: two U-Net levels at 16×16 and 8×8 after space-to-depth (0.39 M parameters),
# minibatches of 64; README.md says how it was trained.
SHAPES = Network(
    "shapes",
    resolution=32,
    channels=3,
    num_classes=9,
    weights=_weights("shapes", "21bd5031fd86b85326a89f9e2e16713abad75a29912873dc021b536ba39c8f10"),
    recipe={
        "steps": 19000,
        "batch_size": 64,
        "checkpoint_every": 250,
        "unet": {"channels": (32, 64), "attention_levels": (1,)},  # the rest as UNetConfig's
    },
)

PAPER = (
    "Ho, Jain, Abbeel. Denoising Diffusion Probabilistic Models. NeurIPS 2020; "
    "Song, Meng, Ermon. Denoising Diffusion Implicit Models. ICLR 2021; "
    "Ho, Salimans. Classifier-Free Diffusion Guidance. 2022"
)

# name → (network, sampler, description)
ROWS: dict[str, tuple[Network, SamplerConfig, str]] = {
    "ddpm.digits": (
        DIGITS,
        SamplerConfig("ancestral", 1000),
        "DDPM, ancestral sampling over all 1000 steps (Algorithm 2, σ_t² = β_t);"
        " each sample's label drawn from its seed",
    ),
    "ddpm.digits-ddim50": (
        DIGITS,
        SamplerConfig("ddim", 50),
        "the same network, DDIM with 50 steps, η = 0; label drawn from the seed",
    ),
    "ddpm.digits-ddim50-eta1": (
        DIGITS,
        SamplerConfig("ddim", 50, eta=1.0),
        "the same network, stochastic DDIM with 50 steps, η = 1; label drawn from the seed",
    ),
    "ddpm.digits-ddim10": (
        DIGITS,
        SamplerConfig("ddim", 10),
        "the same network, DDIM with 10 steps, η = 0; label drawn from the seed",
    ),
    "ddpm.digits-null50": (
        DIGITS,
        SamplerConfig("ddim", 50, condition="null"),
        "the same network's unconditional score ε(x_t, ∅) (the null label), DDIM 50 steps",
    ),
    "ddpm.digits-cfg0": (
        DIGITS,
        SamplerConfig("ddim", 50, condition="request"),
        "class-conditional, no guidance (w = 0), DDIM 50 steps",
    ),
    "ddpm.digits-cfg2": (
        DIGITS,
        SamplerConfig("ddim", 50, condition="request", guidance=2.0),
        "class-conditional, classifier-free guidance w = 2, DDIM 50 steps",
    ),
    "ddpm.digits-cfg4": (
        DIGITS,
        SamplerConfig("ddim", 50, condition="request", guidance=4.0),
        "class-conditional, classifier-free guidance w = 4, DDIM 50 steps",
    ),
    # Few-step samplers only: `genbench run --models all` samples every row, and one
    # network evaluation of 1000 shapes samples costs about 1.3 s on one core.
    "ddpm.shapes": (
        SHAPES,
        SamplerConfig("ddim", 25),
        "DDPM on 32×32 shapes, DDIM with 25 steps, η = 0; each sample's label drawn from its seed",
    ),
    "ddpm.shapes-cfg0": (
        SHAPES,
        SamplerConfig("ddim", 25, condition="request"),
        "DDPM on shapes, class-conditional, no guidance (w = 0), DDIM 25 steps",
    ),
    "ddpm.shapes-cfg2": (
        SHAPES,
        SamplerConfig("ddim", 25, condition="request", guidance=2.0),
        "DDPM on shapes, class-conditional, classifier-free guidance w = 2, DDIM 25 steps",
    ),
}


@dataclass(frozen=True)
class RowLoader:
    """``load(device)`` of a row: the network of ``weights`` (the shipped file, or the user's
    ``--weights``), sampled as ``sampler`` says."""

    weights: Weights
    sampler: SamplerConfig

    def __call__(self, device: str = "cpu") -> Any:
        from genbench.train import load_network

        from genbench_ddpm.sampler import DiffusionGenerator
        from genbench_ddpm.train import build, for_sampling

        network, config = load_network(self.weights, lambda c: build(c)[0], device)
        _, schedule = build(config)
        return DiffusionGenerator(for_sampling(network, device), schedule, self.sampler, device)


def _train(recipe: Mapping[str, Any], steps: int | None = None, **kwargs: Any) -> Path:
    """``genbench train``'s call, with the network's recipe; ``--steps`` wins over its steps."""
    from genbench_ddpm.train import train

    others = {key: value for key, value in recipe.items() if key != "steps"}
    return train(steps=steps or recipe.get("steps"), **kwargs, **others)


def row_spec(
    name: str,
    network: Network,
    sampler: SamplerConfig,
    description: str,
    loader: Callable[[str], Any],
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
        dataset=network.dataset,
        load=loader,
        resolution=network.resolution,
        channels=network.channels,
        num_classes=network.num_classes if conditional else None,
        weights=network.weights,
        paper=PAPER,
        license="MIT",
        description=description,
        train=partial(_train, network.recipe),
        recipe=network.recipe,
        info=info,
    )


@genbench.hookimpl
def genbench_register_models(register: Callable[[ModelSpec], None]) -> None:
    for name, (network, sampler, description) in ROWS.items():
        register(row_spec(name, network, sampler, description, RowLoader(network.weights, sampler)))
