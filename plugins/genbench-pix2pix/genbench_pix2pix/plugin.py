"""Registers pix2pix's three shapes models. Cheap: torch is imported when a model loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from genbench_gankit.translation import TranslationFamily

import genbench
from genbench_pix2pix.recipe import FIELDS, RECIPE, architecture

FAMILY = TranslationFamily(
    family="pix2pix",
    network="genbench_pix2pix.model:UNetGenerator",
    trainer="genbench_pix2pix.train:Pix2pixTrainer",
    recipe=RECIPE,
    architecture=architecture,
    weights=Path(__file__).parent / "weights",
    paper="https://arxiv.org/abs/1611.07004",
)
# sha256 of each shipped generator; README.md (the model card) says how it was trained.
SHA256 = {
    "pix2pix.shapes-edges": "0137983d7c32028fcf1a9027dfb33564f3f5dde1facedbb47bce766f8fa69779",
    "pix2pix.shapes-gray": "7924b70c0ff44f44cd186f9b20cbc046a0ab8907c65ab5940d5abaf51eb971ee",
    "pix2pix.shapes-semantic": "c63f15a213a73ecd490728f14b6639b32d1c40363ad4371df7d2ae3e270cf940",
}
WHAT = {
    "pix2pix.shapes-edges": "Canny edges → scene",
    "pix2pix.shapes-gray": "grey → colour",
    "pix2pix.shapes-semantic": "semantic map → scene (the baseline GauGAN is compared with)",
}


@genbench.hookimpl
def genbench_register_models(register: Callable[[genbench.ModelSpec], None]) -> None:
    for name, fields in FIELDS.items():
        what = f"pix2pix: U-Net with dropout + 16×16 PatchGAN, {WHAT[name]}"
        register(FAMILY.spec(name, fields, SHA256[name], what))
