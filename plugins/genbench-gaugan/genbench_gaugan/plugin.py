"""Registers GauGAN's shapes model. Cheap: torch is imported when a model loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from genbench_gankit.translation import translation_spec

import genbench
from genbench.train import shipped_weights
from genbench_gaugan.recipe import FIELDS, RECIPE, architecture

WEIGHTS = Path(__file__).parent / "weights"

# sha256 of each shipped generator; README.md (the model card) says how it was trained.
SHA256 = {
    "gaugan.shapes": "5a8e15ddec1ce3ef753403b7b8c5721cd09c4bfddccafed2c8708ebb427003ac",
}


def specs() -> list[genbench.ModelSpec]:
    return [
        translation_spec(
            name,
            family="gaugan",
            fields=fields,
            weights=shipped_weights(name, SHA256[name], WEIGHTS),
            network="genbench_gaugan.model:SPADEGenerator",
            trainer="genbench_gaugan.train:GauGANTrainer",
            recipe=RECIPE,
            architecture=architecture(name),
            paper="https://arxiv.org/abs/1903.07291",
            description="GauGAN: SPADE generator with a style encoder (multimodal),"
            " two-scale PatchGAN, hinge + feature matching; semantic map → scene",
            info={"translation": f"{fields.inputs}→{fields.targets}"},
        )
        for name, fields in FIELDS.items()
    ]


@genbench.hookimpl
def genbench_register_models(register: Callable[[genbench.ModelSpec], None]) -> None:
    for spec in specs():
        register(spec)
