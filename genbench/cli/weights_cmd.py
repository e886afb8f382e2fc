"""``genbench weights list|fetch|import|verify``: the store of weights files.

``weights_option`` is the ``--weights NAME=PATH`` flag; any command that loads weights
adds it so a user can point at a file without touching the store.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from genbench import weights as store
from genbench.cli.registry_commands import echo_table

F = TypeVar("F", bound=Callable[..., Any])


def _apply_overrides(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    store.set_overrides(store.check_override_names(value))
    return value


def weights_option(command: F) -> F:
    """Add ``--weights NAME=PATH`` (repeatable); it takes effect before the command runs."""
    return click.option(
        "--weights",
        "weights_overrides",
        multiple=True,
        metavar="NAME=PATH",
        expose_value=False,
        callback=_apply_overrides,
        help="Use this file for the named weights instead of the store (repeatable).",
    )(command)


@click.group("weights")
def weights() -> None:
    """The weights store (GENBENCH_HOME/weights): list, fetch, import, verify."""


@weights.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def list_weights(as_json: bool) -> None:
    """Every known weights file, where it is and whether it is present."""
    rows = []
    for spec in store.known_weights().values():
        state, path = store.status(spec)
        rows.append(
            {
                "name": spec.name,
                "filename": spec.filename,
                "sha256": spec.sha256 if as_json else spec.sha256[:12],
                "size": spec.size,
                "status": state,
                "path": str(path or store.store_path(spec)),
                "license": spec.license,
                "urls": list(spec.urls),
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        echo_table(rows, ["name", "status", "sha256", "filename", "path"])


@weights.command("fetch")
@click.argument("name")
def fetch(name: str) -> None:
    """Download NAME from its registered URLs into the store (sha256 checked)."""
    click.echo(store.fetch(name))


@weights.command("import")
@click.argument("name")
@click.argument("path", type=click.Path(dir_okay=False))
def import_(name: str, path: str) -> None:
    """Copy PATH (e.g. from ~/.cache/torch/hub/checkpoints) into the store as NAME."""
    click.echo(store.import_file(name, path))


@weights.command("verify")
def verify() -> None:
    """Re-hash every present file; exits non-zero if one does not match its sha256."""
    rows = []
    for spec in store.known_weights().values():
        state, path = store.status(spec)
        rows.append({"name": spec.name, "status": state, "path": str(path or "")})
    echo_table(rows, ["name", "status", "path"])
    if any(r["status"] == "corrupt" for r in rows):
        raise click.exceptions.Exit(1)


commands = [weights]
