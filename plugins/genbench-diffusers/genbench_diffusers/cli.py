"""``genbench diffusers add|run|remove|list|known|fetch-clip``: the pipelines genbench scores.

``add`` registers a pipeline by writing its entry to the config file, so that
``genbench run --models diffusers.NAME`` needs no option of its own; ``run --model-path``
benchmarks one pipeline without keeping it. Both read the pipeline's class to infer the
task, and the dataset's spec for the resolution, channels and classes compared.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from genbench import GenbenchError, reset_registry
from genbench_diffusers.config import (
    CONFIG_ENV,
    PipelineEntry,
    config_path,
    make_entry,
    read_entries,
    write_entries,
)
from genbench_diffusers.hub import local_directory
from genbench_diffusers.known import KNOWN_CHECKPOINTS

F = TypeVar("F", bound=Callable[..., Any])


@click.group("diffusers")
def diffusers() -> None:
    """diffusers pipelines registered as models diffusers.NAME (config: see `list`)."""


_ENTRY_OPTIONS = [
    click.option(
        "--task",
        help="unconditional, class-conditional or text-to-image (default: from the pipeline).",
    ),
    click.option("--dataset", help="Registered dataset the samples are compared with."),
    click.option("--resolution", type=int, help="Image size compared (default: the dataset's)."),
    click.option("--channels", type=int, help="1 or 3 (default: the dataset's)."),
    click.option(
        "--num-classes",
        type=int,
        help="Classes of a class-conditional pipeline (default: the dataset's).",
    ),
    click.option("--pipeline", help="diffusers pipeline class to load with, e.g. DDIMPipeline."),
    click.option("--scheduler", help="diffusers scheduler class to swap in, e.g. DDIMScheduler."),
    click.option("--steps", type=int, help="num_inference_steps."),
    click.option("--guidance-scale", type=float, help="Classifier-free guidance scale."),
    click.option("--eta", type=float, help="DDIM eta."),
    click.option("--size", type=int, help="Text-to-image height and width (then resized)."),
    click.option("--negative-prompt", help="Text-to-image negative prompt."),
    click.option("--revision", help="Hub revision (branch, tag or commit)."),
    click.option("--dtype", help="torch dtype, e.g. float16 (default float32)."),
    click.option("--description", help="One line for listings."),
]


def entry_options(command: F) -> F:
    """The config keys of an entry as command-line options (shared by add and run)."""
    for option in reversed(_ENTRY_OPTIONS):
        command = option(command)
    return command


def build_entry(name: str, source: str, options: dict[str, Any]) -> PipelineEntry:
    """An entry from the command line: the task from the pipeline's class, the geometry
    from the dataset, unless given (or known for a public hub id)."""
    given = {key: value for key, value in options.items() if value is not None}
    directory = local_directory(source)
    if directory is not None:
        source = str(directory.resolve())
        given.setdefault("task", pipeline_task(directory, given.get("pipeline")))
    table = {"source": source, **given}
    if "dataset" in table or source not in KNOWN_CHECKPOINTS:
        table = {**_dataset_defaults(table), **table}
    return make_entry(name, table, f"diffusers.{name}")


@diffusers.command("add")
@click.argument("name")
@click.argument("source")
@entry_options
@click.option("--force", is_flag=True, help="Replace an entry of the same name.")
def add(name: str, source: str, force: bool, **options: Any) -> None:
    """Register the pipeline at SOURCE (a directory or a hub id) as diffusers.NAME."""
    entry = build_entry(name, source, options)
    entries = read_entries()
    if any(e.name == name for e in entries) and not force:
        raise GenbenchError(
            f"diffusers.{name} is already in {config_path()}; pass --force to replace it"
        )
    kept = [e for e in entries if e.name != name]
    path = write_entries([*kept, entry])
    click.echo(f"registered {entry.model_name} ({entry.task}, {entry.dataset}) in {path}")


@diffusers.command(
    "run", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.option("--model-path", "source", required=True, help="Pipeline directory or hub id.")
@click.option("--name", help="Model variant name (default: from the path).")
@entry_options
@click.pass_context
def run(ctx: click.Context, source: str, name: str | None, **options: Any) -> None:
    """Benchmark one pipeline without adding it to the config; other options go to
    `genbench run`, e.g. `genbench diffusers run --model-path DIR --dataset digits
    --n-samples 500`. The row's reproduce command needs the pipeline added
    (`genbench diffusers add`)."""
    variant = name or re.sub(r"[^a-z0-9_.-]+", "-", Path(source).name.lower()).strip("-.")
    entry = build_entry(variant, source, options)
    kept = [e for e in read_entries() if e.name != entry.name]
    previous = os.environ.get(CONFIG_ENV)
    with tempfile.TemporaryDirectory() as folder:
        os.environ[CONFIG_ENV] = str(write_entries([*kept, entry], Path(folder) / "diffusers.toml"))
        reset_registry()
        try:
            root = ctx.find_root()
            assert isinstance(root.command, click.Group)
            run_command = root.command.get_command(root, "run")
            if run_command is None:
                raise GenbenchError("`genbench run` is not installed with this genbench")
            args = ["--models", entry.model_name, *ctx.args]
            with run_command.make_context("run", args, parent=root) as run_context:
                run_command.invoke(run_context)
        finally:
            if previous is None:
                os.environ.pop(CONFIG_ENV, None)
            else:
                os.environ[CONFIG_ENV] = previous
            reset_registry()


def pipeline_task(directory: Path, class_name: str | None = None) -> str:
    """The task of a saved pipeline, from its class's call signature."""
    import inspect

    import diffusers as library

    index = directory / "model_index.json"
    try:
        class_name = class_name or json.loads(index.read_text())["_class_name"]
    except (OSError, ValueError, KeyError) as error:
        raise GenbenchError(f"{index}: not a saved diffusers pipeline ({error})") from error
    pipeline_class = getattr(library, class_name, None)
    if pipeline_class is None:
        raise GenbenchError(f"{index}: diffusers has no pipeline class {class_name!r}; pass --task")
    parameters = inspect.signature(pipeline_class.__call__).parameters
    if "prompt" in parameters:
        return "text-to-image"
    if "class_labels" in parameters:
        return "class-conditional"
    return "unconditional"


def _dataset_defaults(table: dict[str, Any]) -> dict[str, Any]:
    """Resolution, channels and classes of the entry's dataset (it must be registered)."""
    from genbench import get_registry

    if "dataset" not in table:
        raise GenbenchError("pass --dataset NAME: the dataset the samples are compared with")
    dataset = get_registry().datasets.get(table["dataset"])
    defaults = {"resolution": dataset.resolution, "channels": dataset.channels}
    if table.get("task") == "class-conditional" and dataset.num_classes:
        defaults["num_classes"] = dataset.num_classes
    return defaults


@diffusers.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Remove diffusers.NAME from the config file."""
    entries = read_entries()
    if not any(e.name == name for e in entries):
        raise GenbenchError(f"diffusers.{name} is not in {config_path()}")
    write_entries([e for e in entries if e.name != name])
    click.echo(f"removed diffusers.{name}")


@diffusers.command("list")
def list_entries() -> None:
    """The configured pipelines and the config file they come from."""
    click.echo(f"config: {config_path()}")
    for entry in read_entries():
        click.echo(f"{entry.model_name}  {entry.task}  {entry.dataset}  {_describe(entry)}")


def _describe(entry: PipelineEntry) -> str:
    extra = {k: v for k, v in entry.as_table().items() if k not in ("task", "dataset")}
    return " ".join(f"{k}={v}" for k, v in extra.items())


@diffusers.command("known")
def known() -> None:
    """Public checkpoints that `add NAME HUB_ID` can register without further options."""
    for hub_id, defaults in KNOWN_CHECKPOINTS.items():
        click.echo(
            f"{hub_id}  {defaults['task']}  {defaults['dataset']}  {defaults['description']}"
        )


@diffusers.command("fetch-clip")
def fetch_clip() -> None:
    """Download the CLIP model of the clip-score metric into the weights store."""
    from genbench_diffusers.clip_score import clip_directory

    click.echo(f"CLIP model ready in {clip_directory()}")
