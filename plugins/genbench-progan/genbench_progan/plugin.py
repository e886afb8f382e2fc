"""Registers the Progressive GAN models with genbench. Cheap: torch is imported by ``load``."""

from __future__ import annotations

from pathlib import Path

from genbench_gankit.recipe import karras_recipe
from genbench_gankit.registration import GANModel, register_gan_models

import genbench
from genbench_progan.train import build, generator

PAPER = "https://arxiv.org/abs/1710.10196"

# README.md (the model card) says how each shipped generator was trained.
MODELS = (
    GANModel(
        "progan.shapes",
        dataset="shapes",
        resolution=32,
        channels=3,
        architecture={
            "latent_dim": 128,
            "widths": {"4": 64, "8": 64, "16": 32, "32": 16},
            "channels": 3,
            "resolution": 32,
        },
        recipe=karras_recipe(steps=16000, growth_phase=1000),
        sha256="178f909fdc3a6320b52fe7323f2a6fbe11aa79dbcc3fe83f1338b26c7de0088b",
        paper=PAPER,
        description="Progressive GAN on 32×32 shapes: growing 4→8→16→32 with fade-in, "
        "equalized lr, pixel norm, minibatch stddev, WGAN-GP + drift, EMA.",
    ),
    GANModel(
        "progan.digits",
        dataset="digits",
        resolution=16,
        channels=1,
        architecture={
            "latent_dim": 64,
            "widths": {"4": 64, "8": 64, "16": 32},
            "channels": 1,
            "resolution": 16,
        },
        recipe=karras_recipe(steps=14000, growth_phase=1000),
        sha256="5bfd163041d1024aff02389117b57d16ebee9b5ade424e9f0c03fd686944bf8f",
        paper=PAPER,
        description="Progressive GAN on 16×16 digits: growing 4→8→16 with fade-in, "
        "equalized lr, pixel norm, minibatch stddev, WGAN-GP + drift, EMA.",
    ),
)


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    register_gan_models(
        register,
        MODELS,
        family="progan",
        generator=generator,
        build=build,
        weights_folder=Path(__file__).parent / "weights",
    )
