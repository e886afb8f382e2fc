"""Registers the baselines of each embedded dataset (no dataset is opened here)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import genbench
from genbench_baselines.generators import Copy, GroundTruth, LabelledReplay, Mean, Noise, Replay

# (resolution, channels, classes) of the embedded datasets, so that registration opens nothing.
EMBEDDED = {"digits": (16, 1, 10), "shapes": (32, 3, 9)}
# The translations each embedded dataset holds: name -> (input field, target field, paired).
TRANSLATIONS = {
    "shapes": {
        "edges": ("edges", "image", True),
        "gray": ("gray", "image", True),
        "semantic": ("semantic", "image", True),
        "day2night": ("domain_a", "domain_b", False),
    }
}
# The translation whose input the oracle and mean of each target domain are registered with
# (the oracle finds the ground truth by it; the mean ignores it).
TARGET_DOMAINS = {"shapes": {"paired": "semantic", "day2night": "day2night"}}

DESCRIPTIONS = {
    "oracle": "held-out real images (test split): the best score a model can reach",
    "memorizer": "replays training images: excellent FID, caught by the memorization metric",
    "noise": "uniform noise: the floor",
    "mean": "the mean training image with ±2 grey levels of per-seed noise: no diversity",
    "oracle-labels": "held-out real images of the requested class: the class-conditional ceiling",
    "memorizer-labels": "training images of the requested class: a class-conditional copier",
    "copy": "the input itself, channels adapted: what a translation must improve on",
    "ground-truth": "the ground truth of each input (held-out split): the translation ceiling",
    "mean-target": "the mean training target with ±2 grey levels of per-seed noise, whatever"
    " the input",
}


def _replay(dataset: str, split: str, device: str) -> Any:
    return Replay(dataset, split)


def _labelled(dataset: str, split: str, classes: int, device: str) -> Any:
    return LabelledReplay(dataset, split, classes)


def _noise(channels: int, resolution: int, device: str) -> Any:
    return Noise(channels, resolution)


def _mean(dataset: str, device: str, field: str = "image") -> Any:
    return Mean(dataset, field)


def _copy(channels: int, device: str) -> Any:
    return Copy(channels)


def _ground_truth(dataset: str, inputs: str, targets: str, device: str) -> Any:
    return GroundTruth(dataset, "test", inputs, targets)


def translation_specs() -> list[genbench.ModelSpec]:
    """Per translation, copy-the-input; per target domain, the ground truth and the mean."""
    out = []
    for dataset, translations in TRANSLATIONS.items():
        resolution, channels, _ = EMBEDDED[dataset]
        rows = [
            (f"copy-{dataset}-{name}", "copy", name, partial(_copy, channels))
            for name in translations
        ]
        for domain, name in TARGET_DOMAINS[dataset].items():
            inputs, targets, _ = translations[name]
            oracle = partial(_ground_truth, dataset, inputs, targets)
            rows.append((f"oracle-{dataset}-{domain}", "ground-truth", name, oracle))
            mean = partial(_mean, dataset, field=targets)
            rows.append((f"mean-{dataset}-{domain}", "mean-target", name, mean))
        for variant, kind, name, load in rows:
            inputs, targets, paired = translations[name]
            out.append(
                genbench.ModelSpec(
                    name=f"baseline.{variant}",
                    family="baseline",
                    task="paired-translation" if paired else "unpaired-translation",
                    dataset=dataset,
                    load=load,
                    resolution=resolution,
                    channels=channels,
                    inputs=inputs,
                    targets=targets,
                    description=DESCRIPTIONS[kind],
                    license="MIT",
                    info={"baseline": kind, "translation": f"{inputs}→{targets}"},
                )
            )
    return out


def specs() -> list[genbench.ModelSpec]:
    """Every baseline: four unconditional and two class-conditional per embedded dataset."""
    out = []
    for dataset, (resolution, channels, classes) in EMBEDDED.items():
        loads = {
            "oracle": partial(_replay, dataset, "test"),
            "memorizer": partial(_replay, dataset, "train"),
            "noise": partial(_noise, channels, resolution),
            "mean": partial(_mean, dataset),
            "oracle-labels": partial(_labelled, dataset, "test", classes),
            "memorizer-labels": partial(_labelled, dataset, "train", classes),
        }
        for kind, load in loads.items():
            conditional = kind.endswith("-labels")
            out.append(
                genbench.ModelSpec(
                    name=f"baseline.{kind.removesuffix('-labels')}-{dataset}"
                    + ("-labels" if conditional else ""),
                    family="baseline",
                    task="class-conditional" if conditional else "unconditional",
                    dataset=dataset,
                    load=load,
                    resolution=resolution,
                    channels=channels,
                    num_classes=classes if conditional else None,
                    description=DESCRIPTIONS[kind],
                    license="MIT",
                    info={"baseline": kind.removesuffix("-labels")},
                )
            )
    return out


@genbench.hookimpl
def genbench_register_models(register: Callable[[genbench.ModelSpec], None]) -> None:
    for spec in [*specs(), *translation_specs()]:
        register(spec)
