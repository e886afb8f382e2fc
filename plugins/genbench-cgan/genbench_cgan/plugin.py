"""Registers the class-conditional GAN with genbench. Cheap: torch is imported by ``load``."""

from __future__ import annotations

from pathlib import Path

from genbench_gankit.registration import GANModel, register_gan_models

import genbench
from genbench_cgan.train import RECIPE, build, generator

PAPER = "https://arxiv.org/abs/1802.05637"

# README.md (the model card) says how each shipped generator was trained.
MODELS = (
    GANModel(
        "cgan.digits",
        dataset="digits",
        resolution=16,
        channels=1,
        num_classes=10,
        architecture={
            "latent_dim": 64,
            "num_classes": 10,
            "width": 64,
            "channels": 1,
            "upsampling": "transposed",
        },
        recipe=RECIPE,
        sha256="946a41d6db9cc942096ceaa162eb420ba5df0e207e754f8971205213df3555e6",
        paper=PAPER,
        description="Class-conditional DCGAN on digits: one-hot label into G, projection "
        "discriminator.",
    ),
)


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    register_gan_models(
        register,
        MODELS,
        family="cgan",
        generator=generator,
        build=build,
        weights_folder=Path(__file__).parent / "weights",
    )
