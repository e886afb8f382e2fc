"""The config file that lists diffusers pipelines, and the entries it holds.

One TOML table per pipeline; each registers the model ``diffusers.<name>``::

    [models."cifar10-ddim50"]
    source = "google/ddpm-cifar10-32"     # a hub id or a local directory
    scheduler = "DDIMScheduler"           # swapped in with from_config
    steps = 50                            # num_inference_steps

The file is ``$GENBENCH_DIFFUSERS_CONFIG`` or ``$GENBENCH_HOME/diffusers.toml``. Reading
it is all registration does: diffusers and torch are imported only when a model loads.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from genbench import TASKS, GenbenchError, atomic_path, home
from genbench_diffusers.known import KNOWN_CHECKPOINTS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_ENV = "GENBENCH_DIFFUSERS_CONFIG"
FAMILY = "diffusers"


@dataclass(frozen=True)
class PipelineEntry:
    """One diffusers pipeline as a genbench model.

    ``source`` is a local directory saved with ``save_pretrained`` or a hub id; ``pipeline``
    names the diffusers pipeline class that loads it when not the one it was saved with
    (``DDIMPipeline`` for a DDPM checkpoint, to set ``eta``). ``dataset``,
    ``resolution`` and ``channels`` say what the samples are compared with; the pipeline's
    output is resized and converted to match. ``scheduler`` names a diffusers scheduler
    class swapped in with ``from_config``; ``steps``, ``guidance_scale``, ``eta``,
    ``negative_prompt`` and ``size`` (height and width of text-to-image generation, before
    resizing) are passed to the pipeline when set. ``dtype`` is the torch dtype it runs in.
    """

    name: str
    source: str
    task: str
    dataset: str
    resolution: int
    channels: int
    num_classes: int | None = None
    pipeline: str | None = None
    scheduler: str | None = None
    steps: int | None = None
    guidance_scale: float | None = None
    eta: float | None = None
    size: int | None = None
    negative_prompt: str | None = None
    revision: str | None = None
    dtype: str = "float32"
    description: str = ""

    @property
    def model_name(self) -> str:
        return f"{FAMILY}.{self.name}"

    def pipeline_options(self) -> dict[str, Any]:
        """Keyword arguments of the pipeline call that this entry sets."""
        options: dict[str, Any] = {
            "num_inference_steps": self.steps,
            "guidance_scale": self.guidance_scale,
            "eta": self.eta,
            "negative_prompt": self.negative_prompt,
            "height": self.size,
            "width": self.size,
        }
        return {key: value for key, value in options.items() if value is not None}

    def as_table(self) -> dict[str, Any]:
        """The entry's config keys, without defaults (what ``add`` writes)."""
        defaults = {f.name: f.default for f in fields(self)}
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "name" and getattr(self, f.name) != defaults[f.name]
        }


_TYPES: dict[str, tuple[type, ...]] = {
    "source": (str,),
    "task": (str,),
    "dataset": (str,),
    "resolution": (int,),
    "channels": (int,),
    "num_classes": (int,),
    "pipeline": (str,),
    "scheduler": (str,),
    "steps": (int,),
    "guidance_scale": (int, float),
    "eta": (int, float),
    "size": (int,),
    "negative_prompt": (str,),
    "revision": (str,),
    "dtype": (str,),
    "description": (str,),
}
_REQUIRED = ("source", "task", "dataset", "resolution", "channels")


def config_path() -> Path:
    """Where the pipelines are listed: ``$GENBENCH_DIFFUSERS_CONFIG`` or the store's file."""
    chosen = os.environ.get(CONFIG_ENV)
    return Path(chosen).expanduser() if chosen else home() / "diffusers.toml"


def make_entry(name: str, table: dict[str, Any], where: str) -> PipelineEntry:
    """An entry from one config table; a known hub id fills in the keys it leaves out."""
    unknown = sorted(set(table) - set(_TYPES))
    if unknown:
        raise GenbenchError(
            f"{where}: unknown key(s) {', '.join(unknown)}; the keys are {', '.join(_TYPES)}"
        )
    for key, value in table.items():
        if not isinstance(value, _TYPES[key]) or isinstance(value, bool):
            expected = " or ".join(t.__name__ for t in _TYPES[key])
            raise GenbenchError(f"{where}: {key} = {value!r} must be of type {expected}")
    merged = {**KNOWN_CHECKPOINTS.get(str(table.get("source", "")), {}), **table}
    missing = [key for key in _REQUIRED if key not in merged]
    if missing:
        raise GenbenchError(
            f"{where}: missing {', '.join(missing)} (only known hub ids, listed by "
            "`genbench diffusers known`, may leave them out)"
        )
    if merged["task"] not in TASKS:
        raise GenbenchError(f"{where}: task {merged['task']!r} must be one of {', '.join(TASKS)}")
    if merged["task"] == "class-conditional" and "num_classes" not in merged:
        raise GenbenchError(f"{where}: a class-conditional pipeline needs num_classes")
    return PipelineEntry(name=name, **merged)


def read_entries(path: Path | None = None) -> list[PipelineEntry]:
    """The entries of the config file (none if it does not exist)."""
    entries, problems = read_entries_and_problems(path)
    if problems:
        raise GenbenchError("; ".join(problems))
    return entries


def read_entries_and_problems(path: Path | None = None) -> tuple[list[PipelineEntry], list[str]]:
    """The valid entries, and one message per invalid one (registration keeps the valid)."""
    path = path or config_path()
    tables = _read_tables(path)
    entries: list[PipelineEntry] = []
    problems: list[str] = []
    for name, table in tables.items():
        where = f"{path} [models.{name}]"
        if not isinstance(table, dict):
            problems.append(f"{where} must be a table")
            continue
        try:
            entries.append(make_entry(name, table, where))
        except GenbenchError as error:
            problems.append(str(error))
    return entries, problems


def _read_tables(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise GenbenchError(f"cannot read the diffusers config {path}: {error}") from error
    extra = sorted(set(document) - {"models"})
    if extra:
        raise GenbenchError(f"{path}: unknown table(s) {', '.join(extra)}; use [models.NAME]")
    models = document.get("models", {})
    if not isinstance(models, dict):
        raise GenbenchError(f"{path}: 'models' must be a table of [models.NAME] tables")
    return models


def write_entries(entries: list[PipelineEntry], path: Path | None = None) -> Path:
    """Rewrite the config file with ``entries`` (atomically; comments are not kept)."""
    path = path or config_path()
    lines = [
        "# diffusers pipelines registered as genbench models diffusers.NAME",
        "# (written by `genbench diffusers add`; see the genbench-diffusers README)",
    ]
    for entry in entries:
        lines += ["", f"[models.{json.dumps(entry.name)}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in entry.as_table().items()]
    with atomic_path(path) as partial:
        partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml_value(value: Any) -> str:
    # A JSON string is a valid TOML basic string; numbers print the same in both.
    return json.dumps(value)
