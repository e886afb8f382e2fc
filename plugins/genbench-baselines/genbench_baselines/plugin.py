"""Registers the baselines of each embedded dataset (no dataset is opened here)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import genbench
from genbench_baselines.generators import Mean, Noise, Replay

# (resolution, channels) of the embedded datasets, so that registration opens nothing.
EMBEDDED = {"digits": (16, 1), "shapes": (32, 3)}

DESCRIPTIONS = {
    "oracle": "held-out real images (test split): the best score a model can reach",
    "memorizer": "replays training images: excellent FID, caught by the memorization metric",
    "noise": "uniform noise: the floor",
    "mean": "the mean training image with ±2 grey levels of per-seed noise: no diversity",
}


def _oracle(dataset: str, device: str) -> Any:
    return Replay(dataset, "test")


def _memorizer(dataset: str, device: str) -> Any:
    return Replay(dataset, "train")


def _noise(channels: int, resolution: int, device: str) -> Any:
    return Noise(channels, resolution)


def _mean(dataset: str, device: str) -> Any:
    return Mean(dataset)


def specs() -> list[genbench.ModelSpec]:
    """Every baseline, four per embedded dataset."""
    out = []
    for dataset, (resolution, channels) in EMBEDDED.items():
        loads = {
            "oracle": partial(_oracle, dataset),
            "memorizer": partial(_memorizer, dataset),
            "noise": partial(_noise, channels, resolution),
            "mean": partial(_mean, dataset),
        }
        for kind, load in loads.items():
            out.append(
                genbench.ModelSpec(
                    name=f"baseline.{kind}-{dataset}",
                    family="baseline",
                    task="unconditional",
                    dataset=dataset,
                    load=load,
                    resolution=resolution,
                    channels=channels,
                    description=DESCRIPTIONS[kind],
                    license="MIT",
                    info={"baseline": kind},
                )
            )
    return out


@genbench.hookimpl
def genbench_register_models(register: Callable[[genbench.ModelSpec], None]) -> None:
    for spec in specs():
        register(spec)
