"""Registers WGAN and WGAN-GP with genbench. Cheap: torch is imported only by ``load``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import genbench
from genbench.train import shipped_weights
from genbench.train.registration import gan_model_spec
from genbench_wgan.train import ARCHITECTURES, RECIPES, build, generator

WEIGHTS = Path(__file__).parent / "weights"

# sha256 of each shipped generator; README.md (the model card) says how each was trained.
SHA256 = {
    "wgan.digits": "413403c14f688905770b2bee536f4be5bda174bc66ecb2dab4ad35f93d41998c",
    "wgan-gp.digits": "0998e48c2c9e5291a9af06b37ffc4fe407a06eb0d6773fc0717e2fab6bf010c0",
}

PAPERS = {
    "wgan.digits": "https://arxiv.org/abs/1701.07875",
    "wgan-gp.digits": "https://arxiv.org/abs/1704.00028",
}

DESCRIPTIONS = {
    "wgan.digits": "WGAN on 16×16 digits: MLP networks, critic weights clipped to ±0.01, EMA.",
    "wgan-gp.digits": "WGAN-GP on 16×16 digits: MLP networks, gradient penalty λ = 10, EMA.",
}


@genbench.hookimpl
def genbench_register_models(register):  # type: ignore[no-untyped-def]
    for name, architecture in ARCHITECTURES.items():
        register(
            gan_model_spec(
                name,
                family="wgan",
                generator=generator,
                build=partial(build, name),
                recipe=RECIPES[name],
                architecture=architecture,
                weights=shipped_weights(name, SHA256[name], WEIGHTS),
                paper=PAPERS[name],
                description=DESCRIPTIONS[name],
            )
        )
