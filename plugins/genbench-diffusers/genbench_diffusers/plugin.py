"""Registers the configured diffusers pipelines, the CLIP score and ``genbench diffusers``.

Registration reads the config file only; diffusers, transformers and torch are imported
when a model loads or the metric computes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import genbench
from genbench import GenbenchError
from genbench_diffusers.config import FAMILY, PipelineEntry, read_entries_and_problems


def load_generator(entry: PipelineEntry, device: str) -> Any:
    from genbench_diffusers.pipeline import DiffusersGenerator, load_pipeline

    return DiffusersGenerator(entry, load_pipeline(entry, device), device)


def model_spec(entry: PipelineEntry) -> genbench.ModelSpec:
    info = {"source": entry.source, "scheduler": entry.scheduler or "", "steps": entry.steps}
    if entry.task == "unconditional":
        # network evaluations per sample (the x axis of the harness's quality-vs-NFE plot);
        # guided pipelines evaluate a conditional and an unconditional branch per step
        info["nfe"] = entry.steps
    return genbench.ModelSpec(
        name=entry.model_name,
        family=FAMILY,
        task=entry.task,
        dataset=entry.dataset,
        load=partial(load_generator, entry),
        resolution=entry.resolution,
        channels=entry.channels,
        num_classes=entry.num_classes,
        description=entry.description or f"diffusers pipeline {entry.source}",
        info={key: value for key, value in info.items() if value},
    )


@genbench.hookimpl
def genbench_register_models(register: Callable[[genbench.ModelSpec], None]) -> None:
    entries, problems = read_entries_and_problems()
    for entry in entries:
        try:
            register(model_spec(entry))
        except genbench.SpecError as error:
            problems.append(f"diffusers config entry {entry.name!r}: {error}")
    if problems:  # the valid entries stay registered; `genbench plugins` shows the rest
        raise GenbenchError("; ".join(problems))


@genbench.hookimpl
def genbench_register_metrics(register: Callable[[genbench.MetricSpec], None]) -> None:
    from genbench_diffusers.clip_score import CLIP_SCORE

    register(CLIP_SCORE)


@genbench.hookimpl
def genbench_register_commands(cli: Any) -> None:
    from genbench_diffusers.cli import diffusers

    cli.add_command(diffusers)
