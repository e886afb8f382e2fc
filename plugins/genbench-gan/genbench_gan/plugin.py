"""Registers the original GAN with genbench. Cheap: torch is imported only by ``load``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import genbench
from genbench.train import shipped_weights
from genbench.train.registration import gan_model_spec
from genbench_gan.train import ARCHITECTURES, RECIPE, build, generator

WEIGHTS = Path(__file__).parent / "weights"

# sha256 of the shipped generator; README.md (the model card) says how it was trained.
SHA256 = {
    "gan.digits": "a67bd6587073c9ec465321eadd9211979f341d3fad514e43e670861e16933134",
}


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    for name, architecture in ARCHITECTURES.items():
        register(
            gan_model_spec(
                name,
                family="gan",
                generator=generator,
                build=partial(build, name),
                recipe=RECIPE,
                architecture=architecture,
                weights=shipped_weights(name, SHA256[name], WEIGHTS),
                paper="https://arxiv.org/abs/1406.2661",
                description="The original GAN on 16×16 digits: MLP generator, maxout "
                "discriminator.",
            )
        )
