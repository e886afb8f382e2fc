"""Helpers of the harness tests: install the tiny plugin, run the CLI, read results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

PLUGIN = Path(__file__).with_name("bench_tiny_plugin.py")
# Columns that say how fast or where a row was computed, not what it measured.
VOLATILE = {
    "images_per_s",
    "wall_s",
    "load_s",
    "sampling_s",
    "features_s",
    "metrics_s",
    "timestamp",
    "batch_size",
    "world_size",
}


def install_tiny(
    install_plugin: Callable[..., None], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> dict[str, str]:
    """Install the tiny plugin (alone among third-party plugins); the environment that
    subprocesses need to find it."""
    install_plugin("genbench-tiny", PLUGIN.read_text(), module="genbench_tiny")
    monkeypatch.setenv("GENBENCH_LOAD_PLUGINS", "genbench-tiny")
    site = str(tmp_path / "site")
    path = os.pathsep.join(p for p in (site, os.environ.get("PYTHONPATH", "")) if p)
    monkeypatch.setenv("PYTHONPATH", path)
    return {**os.environ, "PYTHONPATH": path, "OMP_NUM_THREADS": "1"}


def cli(*args: str) -> Result:
    """Run ``genbench ARGS`` in this process."""
    from genbench.cli import build_cli

    return CliRunner().invoke(
        build_cli(), [*args, "--no-progress"] if args[0] == "run" else list(args)
    )


def run_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``genbench ARGS --no-progress`` in a process of its own (``--isolate``, signals)."""
    return subprocess.run(
        [PYTHON, "-m", "genbench", *args, "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def rows(out: Path) -> dict[str, dict[str, Any]]:
    """The result rows of a run folder, by model."""
    return {
        r["model"]: r
        for r in (json.loads(p.read_text()) for p in sorted((out / "results").glob("*.json")))
    }


def values(row: dict[str, Any]) -> dict[str, Any]:
    """What a row measured (timing, batch size and process count left out)."""
    return {k: v for k, v in row.items() if k not in VOLATILE}


PYTHON = sys.executable


PUBLISHED = Path(__file__).parents[1] / "leaderboards"
