"""Registers the DCGAN models with genbench. Cheap: torch is imported only by ``load``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import genbench
from genbench.train import shipped_weights
from genbench.train.registration import gan_model_spec
from genbench_dcgan.train import ARCHITECTURES, RECIPE, build, generator

WEIGHTS = Path(__file__).parent / "weights"

# sha256 of each shipped generator; README.md (the model card) says how each was trained.
SHA256 = {
    "dcgan.digits": "80c29ce5a518ead2c74fb44548d872fed090dfe00ea95ec9d3c1555f4c9132ec",
    "dcgan.digits-upsample": "0d857e1381daa303e62184f8935101821064e4762b8b6a2da69e90207b820b17",
}

DESCRIPTIONS = {
    "dcgan.digits": "DCGAN on 16×16 digits: project-and-reshape, strided transposed convs.",
    "dcgan.digits-upsample": "DCGAN on 16×16 digits, upsampling by bilinear resize + 3×3 conv.",
}


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    for name, architecture in ARCHITECTURES.items():
        register(
            gan_model_spec(
                name,
                family="dcgan",
                generator=generator,
                build=partial(build, name),
                recipe=RECIPE,
                architecture=architecture,
                weights=shipped_weights(name, SHA256[name], WEIGHTS),
                paper="https://arxiv.org/abs/1511.06434",
                description=DESCRIPTIONS[name],
            )
        )
