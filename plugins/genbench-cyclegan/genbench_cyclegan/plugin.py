"""Registers CycleGAN's day → night model. Cheap: torch is imported when a model loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from genbench_gankit.translation import TranslationFamily

import genbench
from genbench_cyclegan.recipe import FIELDS, RECIPE, architecture

FAMILY = TranslationFamily(
    family="cyclegan",
    network="genbench_cyclegan.model:ResnetGenerator",
    trainer="genbench_cyclegan.train:CycleGANTrainer",
    recipe=RECIPE,
    architecture=architecture,
    weights=Path(__file__).parent / "weights",
    paper="https://arxiv.org/abs/1703.10593",
)
# sha256 of the shipped generator; README.md (the model card) says how it was trained.
SHA256 = {
    "cyclegan.shapes-day2night": "06b48e630e4ef6d7595e5c97c215f69359d05538d08f1462e141e470e16a8ff6"
}
DESCRIPTION = (
    "CycleGAN: ResNet generators, LSGAN PatchGANs, cycle and identity losses; day → night,"
    " trained on unpaired domains"
)


@genbench.hookimpl
def genbench_register_models(register: Callable[[genbench.ModelSpec], None]) -> None:
    for name, fields in FIELDS.items():
        register(FAMILY.spec(name, fields, SHA256[name], DESCRIPTION))
