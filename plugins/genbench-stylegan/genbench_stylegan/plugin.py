"""Registers StyleGAN with genbench: one network, one row per truncation ψ. Cheap: torch
is imported only by ``load``."""

from __future__ import annotations

from pathlib import Path

from genbench_gankit.registration import GANModel, register_gan_models

import genbench
from genbench_stylegan.train import RECIPE, build, generator

ARCHITECTURE = {
    "latent_dim": 64,
    "w_dim": 64,
    "mapping_depth": 8,
    "widths": {"4": 64, "8": 64, "16": 32, "32": 16},
    "channels": 3,
    "resolution": 32,
}

SHA256 = "f9311ba1e4d4affb5d3f413f380294eb87580e3ce1ad9d6a5aee1b763479f476"

PAPER = "https://arxiv.org/abs/1812.04948"

# README.md (the model card) says how the shipped generator was trained.
MODELS = tuple(
    GANModel(
        "stylegan.shapes" + (f"-psi{psi}" if psi != 1 else ""),
        dataset="shapes",
        resolution=32,
        channels=3,
        architecture=ARCHITECTURE,
        recipe=RECIPE,
        sha256=SHA256,
        paper=PAPER,
        description="StyleGAN on 32×32 shapes: mapping network, constant input, AdaIN, "
        "per-pixel noise, style mixing"
        + (f"; truncation ψ = {psi} around the mean w" if psi != 1 else ""),
        weights="stylegan.shapes",
        sampling={"psi": psi},
    )
    for psi in (1.0, 0.7, 0.5)
)


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    register_gan_models(
        register,
        MODELS,
        family="stylegan",
        generator=generator,
        build=build,
        weights_folder=Path(__file__).parent / "weights",
    )


@genbench.hookimpl
def genbench_register_commands(cli):  # type: ignore[no-untyped-def]
    from genbench_stylegan.commands import stylegan_latents

    cli.add_command(stylegan_latents)
