"""Registers GauGAN's shapes model. Cheap: torch is imported when a model loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from genbench_gankit.translation import TranslationFamily

import genbench
from genbench_gaugan.recipe import FIELDS, RECIPE, architecture

FAMILY = TranslationFamily(
    family="gaugan",
    network="genbench_gaugan.model:SPADEGenerator",
    trainer="genbench_gaugan.train:GauGANTrainer",
    recipe=RECIPE,
    architecture=architecture,
    weights=Path(__file__).parent / "weights",
    paper="https://arxiv.org/abs/1903.07291",
)
# sha256 of the shipped generator; README.md (the model card) says how it was trained.
SHA256 = {"gaugan.shapes": "5a8e15ddec1ce3ef753403b7b8c5721cd09c4bfddccafed2c8708ebb427003ac"}
DESCRIPTION = (
    "GauGAN: SPADE generator with a style encoder (multimodal), two-scale PatchGAN, hinge"
    " + feature matching; semantic map → scene"
)


@genbench.hookimpl
def genbench_register_models(register: Callable[[genbench.ModelSpec], None]) -> None:
    for name, fields in FIELDS.items():
        register(FAMILY.spec(name, fields, SHA256[name], DESCRIPTION))
