"""Registers CycleGAN's day → night model. Cheap: torch is imported when a model loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from genbench_gankit.translation import translation_spec

import genbench
from genbench.train import shipped_weights
from genbench_cyclegan.recipe import FIELDS, RECIPE, architecture

WEIGHTS = Path(__file__).parent / "weights"

# sha256 of each shipped generator; README.md (the model card) says how it was trained.
SHA256 = {
    "cyclegan.shapes-day2night": "0" * 64,
}


def specs() -> list[genbench.ModelSpec]:
    return [
        translation_spec(
            name,
            family="cyclegan",
            fields=fields,
            weights=shipped_weights(name, SHA256[name], WEIGHTS),
            network="genbench_cyclegan.model:ResnetGenerator",
            trainer="genbench_cyclegan.train:CycleGANTrainer",
            recipe=RECIPE,
            architecture=architecture(name),
            paper="https://arxiv.org/abs/1703.10593",
            description="CycleGAN: two ResNet generators, LSGAN PatchGANs, cycle and identity"
            " losses; day → night, trained on unpaired domains",
            info={"translation": f"{fields.inputs}→{fields.targets}"},
        )
        for name, fields in FIELDS.items()
    ]


@genbench.hookimpl
def genbench_register_models(register: Callable[[genbench.ModelSpec], None]) -> None:
    for spec in specs():
        register(spec)
