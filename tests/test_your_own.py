"""docs/your-own.md, executed: every ``$ `` command of each section runs as written, through
the CLI, in a scratch folder, and what the page promises of its output is checked."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from genbench.cli import build_cli
from genbench.train.checkpoint import sha256_file

PAGE = Path(__file__).parents[1] / "docs" / "your-own.md"


def _commands(section: str) -> list[str]:
    """The ``$ `` lines of the page's section titled ``section``."""
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    (body,) = [part for part in parts if part.startswith(section + "\n")]
    return [line[2:] for line in body.splitlines() if line.startswith("$ ")]


def _run(command: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """``command`` as a shell would run it: leading ``NAME=value`` words set the environment."""
    words = shlex.split(command)
    while "=" in words[0] and not words[0].startswith("-"):
        name, _, value = words.pop(0).partition("=")
        monkeypatch.setenv(name, value)
    assert words[0] == "genbench", command
    result = CliRunner().invoke(build_cli(), words[1:], catch_exceptions=False)
    assert result.exit_code == 0, f"{command}\n{result.output}"
    return result.output


def _rows(folder: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((folder / "results").glob("*.json"))]


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from genbench.weights import set_overrides

    monkeypatch.chdir(tmp_path)
    set_overrides({})
    yield tmp_path
    set_overrides({})


@pytest.mark.slow
def test_your_checkpoint(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    train, run = _commands("Your checkpoint")
    trained = _run(train, monkeypatch)
    weights = scratch / "runs" / "gan.digits" / "generator.safetensors"
    assert (scratch / "runs" / "gan.digits" / "samples" / "final.png").is_file()
    # train ends by printing the page's command
    assert [line for line in trained.splitlines() if line][-1] == f"benchmark them: {run}"
    _run(run, monkeypatch)
    (row,) = _rows(scratch / "runs" / "latest")
    sha = sha256_file(weights)
    assert row["status"] == "ok", row["error"]
    assert row["model"] == f"gan.digits@{sha[:8]}" and row["weights_sha256"] == sha
    assert f"--weights gan.digits={weights}" in row["reproduce"]
