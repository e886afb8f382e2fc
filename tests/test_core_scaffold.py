"""`genbench new-plugin` writes a distribution that installs and passes its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from genbench.cli.scaffold import scaffold
from genbench.errors import GenbenchError


def test_scaffold_refuses_bad_names_and_full_directories(tmp_path: Path) -> None:
    with pytest.raises(GenbenchError, match="lower-case"):
        scaffold("Acme-Models", tmp_path / "x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(GenbenchError, match="not empty"):
        scaffold("acme", tmp_path / "full")


@pytest.mark.slow
def test_scaffolded_plugin_installs_lists_and_passes_its_tests(tmp_path: Path) -> None:
    plugin = tmp_path / "genbench-acme"
    subprocess.run(
        [sys.executable, "-m", "genbench", "new-plugin", "acme", str(plugin)], check=True
    )
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(plugin),
        ],
        check=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    listed = subprocess.run(
        [sys.executable, "-m", "genbench", "models", "acme.*"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "acme.tiny" in listed.stdout
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(plugin)],
        env=env,
        check=True,
        cwd=plugin,
    )
