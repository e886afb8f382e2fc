"""Messages name only commands that exist: every `genbench ...` quoted in the source (error
messages included), the docs and the README, and the listing each "no such name" error
points to, is a command of the installed CLI."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from genbench.cli import build_cli
from genbench.errors import LISTINGS
from genbench.testing import run_cli

ROOT = Path(__file__).parents[1]
QUOTED = re.compile(r"`genbench ([a-z][\w-]*)(?: ([a-z][a-z-]*))?")


def _sources() -> list[Path]:
    return [
        *sorted((ROOT / "genbench").rglob("*.py")),
        *sorted((ROOT / "plugins").rglob("*.py")),
        *sorted((ROOT / "docs").glob("*.md")),
        ROOT / "README.md",
    ]


def missing_commands(text: str, cli: click.Group) -> list[str]:
    """The quoted ``genbench`` commands of ``text`` that ``cli`` does not have."""
    missing = []
    for match in QUOTED.finditer(text):
        command, sub = match.groups()
        found = cli.commands.get(command)
        if found is None or (isinstance(found, click.Group) and sub and sub not in found.commands):
            missing.append(match.group(0) + "`")
    return missing


def test_the_scan_finds_a_command_that_does_not_exist() -> None:
    cli = build_cli()
    text = "see `genbench models`, `genbench features list`, `genbench feature-extractors`"
    assert missing_commands(text + ", `genbench weights frob`", cli) == [
        "`genbench feature-extractors`",
        "`genbench weights frob`",
    ]


def test_quoted_commands_exist() -> None:
    cli = build_cli()
    missing = {
        str(path.relative_to(ROOT)): found
        for path in _sources()
        if (found := missing_commands(path.read_text(), cli))
    }
    assert not missing, f"messages or docs name commands that do not exist: {missing}"


@pytest.mark.parametrize("kind", sorted(LISTINGS))
def test_each_kind_of_name_has_its_listing_command(kind: str) -> None:
    result = run_cli(*LISTINGS[kind].split()[1:])
    assert result.exit_code == 0, result.output
