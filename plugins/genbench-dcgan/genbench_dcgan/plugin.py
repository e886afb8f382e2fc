"""Registers the DCGAN models with genbench. Cheap: torch is imported only by ``load``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import genbench
from genbench.train.registration import gan_model_spec, shipped_weights
from genbench_dcgan.train import ARCHITECTURES, RECIPE, build, generator

WEIGHTS = Path(__file__).parent / "weights"

# sha256 of each shipped generator; README.md (the model card) says how each was trained.
SHA256 = {
    "dcgan.digits": "a5fa31cc5d7d8328aeed832b72dfbc4e241f94c081fbaddd6e5bdb918d8a3aaa",
    "dcgan.digits-upsample": "e4d873db433cdd3b4e30dcf805de5427b3e8894b01ae0560165a465554995bb4",
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
