"""Fixtures: tiny pipelines built once per session, and a config that registers them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import tiny_pipelines  # the test helpers next to this file
from genbench_diffusers.config import PipelineEntry, write_entries

from genbench import reset_registry

# Few steps keep the whole suite fast; the schedules stay the trained 1000-step ones.
TINY_ENTRIES: dict[str, dict[str, Any]] = {
    "tiny-ddpm": {
        "builder": "ddpm",
        "task": "unconditional",
        "dataset": "digits",
        "resolution": 16,
        "channels": 1,
        "steps": 4,
    },
    "tiny-ddim": {
        "builder": "ddpm",
        "task": "unconditional",
        "dataset": "digits",
        "resolution": 16,
        "channels": 1,
        "steps": 4,
        "pipeline": "DDIMPipeline",
        "scheduler": "DDIMScheduler",
        "eta": 1.0,
    },
    "tiny-dit": {
        "builder": "dit",
        "task": "class-conditional",
        "dataset": "shapes",
        "resolution": 32,
        "channels": 3,
        "num_classes": 9,
        "steps": 3,
    },
    "tiny-sd": {
        "builder": "stable_diffusion",
        "task": "text-to-image",
        "dataset": "shapes",
        "resolution": 32,
        "channels": 3,
        "steps": 3,
    },
}


@pytest.fixture(autouse=True)
def _offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test touches the network or the user's home; each has its own config file and a
    fresh registry. The store is shared by the session, as the core tests share it, so the
    shapes renders and reference features are computed once."""
    import torch

    torch.set_num_threads(1)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("GENBENCH_OFFLINE", "1")
    monkeypatch.setenv("GENBENCH_LOAD_PLUGINS", "genbench-diffusers")  # no other family
    monkeypatch.setenv("GENBENCH_HOME", str(tmp_path_factory.getbasetemp() / "genbench-home"))
    monkeypatch.setenv("GENBENCH_DIFFUSERS_CONFIG", str(tmp_path / "diffusers.toml"))
    reset_registry()
    yield
    reset_registry()


@pytest.fixture(scope="session")
def pipeline_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The tiny pipelines, saved with save_pretrained (about 2 s, once)."""
    import torch

    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("pipelines")
    builders: dict[str, Callable[..., Path]] = {
        "ddpm": tiny_pipelines.build_ddpm,
        "dit": tiny_pipelines.build_dit,
        "stable_diffusion": tiny_pipelines.build_stable_diffusion,
    }
    return {name: build(root / name) for name, build in builders.items()}


@pytest.fixture
def tiny_entries(pipeline_dirs: dict[str, Path]) -> list[PipelineEntry]:
    entries = []
    for name, table in TINY_ENTRIES.items():
        fields = {k: v for k, v in table.items() if k != "builder"}
        entries.append(
            PipelineEntry(name=name, source=str(pipeline_dirs[table["builder"]]), **fields)
        )
    return entries


@pytest.fixture
def registered(tiny_entries: list[PipelineEntry]) -> list[PipelineEntry]:
    """The tiny pipelines written to the config file that the plugin reads."""
    write_entries(tiny_entries)
    reset_registry()
    return tiny_entries
