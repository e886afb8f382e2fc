"""Registers the original GAN with genbench. Cheap: torch is imported only by ``load``."""

from __future__ import annotations

from pathlib import Path

from genbench_gankit.registration import GANModel, register_gan_models

import genbench
from genbench_gan.train import RECIPE, build, generator

PAPER = "https://arxiv.org/abs/1406.2661"

# README.md (the model card) says how each shipped generator was trained.
MODELS = (
    GANModel(
        "gan.digits",
        dataset="digits",
        resolution=16,
        channels=1,
        architecture={"latent_dim": 64, "hidden": 512, "channels": 1, "resolution": 16},
        recipe=RECIPE,
        sha256="a67bd6587073c9ec465321eadd9211979f341d3fad514e43e670861e16933134",
        paper=PAPER,
        description="The original GAN on 16×16 digits: MLP generator, maxout discriminator.",
    ),
)


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    register_gan_models(
        register,
        MODELS,
        family="gan",
        generator=generator,
        build=build,
        weights_folder=Path(__file__).parent / "weights",
    )
