"""Registers WGAN and WGAN-GP with genbench. Cheap: torch is imported only by ``load``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import genbench
from genbench.train.registration import gan_model_spec, shipped_weights
from genbench_wgan.train import ARCHITECTURES, RECIPES, build, generator

WEIGHTS = Path(__file__).parent / "weights"

# sha256 of each shipped generator; README.md (the model card) says how each was trained.
SHA256 = {
    "wgan.digits": "38706ff3efdf7a5b880bf9cbc3969b07f32a08a57e42436e53ab85c2224ca545",
    "wgan-gp.digits": "41024d416bbff867cea7cc5f206e7c18d592c5eb14799b204f5970e55dd2136f",
}

PAPERS = {
    "wgan.digits": "https://arxiv.org/abs/1701.07875",
    "wgan-gp.digits": "https://arxiv.org/abs/1704.00028",
}

DESCRIPTIONS = {
    "wgan.digits": "WGAN on 16×16 digits: DCGAN networks, critic weights clipped to ±0.01.",
    "wgan-gp.digits": "WGAN-GP on 16×16 digits: DCGAN networks, gradient penalty λ = 10.",
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
