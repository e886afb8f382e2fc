"""Registers the class-conditional GAN with genbench. Cheap: torch is imported by ``load``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import genbench
from genbench.train import shipped_weights
from genbench.train.registration import gan_model_spec
from genbench_cgan.train import ARCHITECTURES, RECIPE, build, generator

WEIGHTS = Path(__file__).parent / "weights"

# sha256 of the shipped generator; README.md (the model card) says how it was trained.
SHA256 = {
    "cgan.digits": "946a41d6db9cc942096ceaa162eb420ba5df0e207e754f8971205213df3555e6",
}


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    for name, architecture in ARCHITECTURES.items():
        register(
            gan_model_spec(
                name,
                family="cgan",
                generator=generator,
                build=partial(build, name),
                recipe=RECIPE,
                architecture=architecture,
                weights=shipped_weights(name, SHA256[name], WEIGHTS),
                paper="https://arxiv.org/abs/1802.05637",
                description="Class-conditional DCGAN on digits: one-hot label into G, "
                "projection discriminator.",
                num_classes=architecture["num_classes"],
            )
        )
