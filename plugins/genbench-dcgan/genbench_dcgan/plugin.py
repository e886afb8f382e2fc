"""Registers the DCGAN models with genbench. Cheap: torch is imported only by ``load``."""

from __future__ import annotations

from pathlib import Path

from genbench_gankit.registration import GANModel, register_gan_models

import genbench
from genbench_dcgan.train import RECIPE, build, generator

PAPER = "https://arxiv.org/abs/1511.06434"

# README.md (the model card) says how each shipped generator was trained.
MODELS = (
    GANModel(
        "dcgan.digits",
        dataset="digits",
        resolution=16,
        channels=1,
        architecture={"latent_dim": 64, "width": 64, "channels": 1, "upsampling": "transposed"},
        recipe=RECIPE,
        sha256="80c29ce5a518ead2c74fb44548d872fed090dfe00ea95ec9d3c1555f4c9132ec",
        paper=PAPER,
        description="DCGAN on 16×16 digits: project-and-reshape, strided transposed convs.",
    ),
    GANModel(
        "dcgan.digits-upsample",
        dataset="digits",
        resolution=16,
        channels=1,
        architecture={"latent_dim": 64, "width": 64, "channels": 1, "upsampling": "bilinear"},
        recipe=RECIPE,
        sha256="0d857e1381daa303e62184f8935101821064e4762b8b6a2da69e90207b820b17",
        paper=PAPER,
        description="DCGAN on 16×16 digits, upsampling by bilinear resize + 3×3 conv.",
    ),
)


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    register_gan_models(
        register,
        MODELS,
        family="dcgan",
        generator=generator,
        build=build,
        weights_folder=Path(__file__).parent / "weights",
    )
