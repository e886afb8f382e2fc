"""Registers WGAN and WGAN-GP with genbench. Cheap: torch is imported only by ``load``."""

from __future__ import annotations

from pathlib import Path

from genbench_gankit.registration import GANModel, register_gan_models

import genbench
from genbench_wgan.train import WGAN, WGAN_GP, build, generator

# The generator's constructor arguments (recorded in every checkpoint), shared by both.
ARCHITECTURE = {"latent_dim": 64, "hidden": 512, "channels": 1, "resolution": 16}

# README.md (the model card) says how each shipped generator was trained.
MODELS = (
    GANModel(
        "wgan.digits",
        dataset="digits",
        resolution=16,
        channels=1,
        architecture=ARCHITECTURE,
        recipe=WGAN,
        paper="https://arxiv.org/abs/1701.07875",
        sha256="413403c14f688905770b2bee536f4be5bda174bc66ecb2dab4ad35f93d41998c",
        description="WGAN on 16×16 digits: MLP networks, critic weights clipped to ±0.01, EMA.",
    ),
    GANModel(
        "wgan-gp.digits",
        dataset="digits",
        resolution=16,
        channels=1,
        architecture=ARCHITECTURE,
        recipe=WGAN_GP,
        paper="https://arxiv.org/abs/1704.00028",
        sha256="0998e48c2c9e5291a9af06b37ffc4fe407a06eb0d6773fc0717e2fab6bf010c0",
        description="WGAN-GP on 16×16 digits: MLP networks, gradient penalty λ = 10, EMA.",
    ),
)


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    register_gan_models(
        register,
        MODELS,
        family="wgan",
        generator=generator,
        build=build,
        weights_folder=Path(__file__).parent / "weights",
    )
