"""Registers the baselines of each embedded dataset (no dataset is opened here)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import genbench
from genbench_baselines.generators import LabelledReplay, Mean, Noise, Replay

# (resolution, channels, classes) of the embedded datasets, so that registration opens nothing.
EMBEDDED = {"digits": (16, 1, 10), "shapes": (32, 3, 9)}

DESCRIPTIONS = {
    "oracle": "held-out real images (test split): the best score a model can reach",
    "memorizer": "replays training images: excellent FID, caught by the memorization metric",
    "noise": "uniform noise: the floor",
    "mean": "the mean training image with ±2 grey levels of per-seed noise: no diversity",
    "oracle-labels": "held-out real images of the requested class: the class-conditional ceiling",
    "memorizer-labels": "training images of the requested class: a class-conditional copier",
}


def _replay(dataset: str, split: str, device: str) -> Any:
    return Replay(dataset, split)


def _labelled(dataset: str, split: str, classes: int, device: str) -> Any:
    return LabelledReplay(dataset, split, classes)


def _noise(channels: int, resolution: int, device: str) -> Any:
    return Noise(channels, resolution)


def _mean(dataset: str, device: str) -> Any:
    return Mean(dataset)


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
    for spec in specs():
        register(spec)
