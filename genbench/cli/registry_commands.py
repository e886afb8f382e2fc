"""``genbench models``, ``genbench metrics`` and ``genbench plugins``: what is installed,
and what broke."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import click

from genbench.plugins import get_registry
from genbench.spec import TASKS


def spec_as_dict(spec: Any) -> dict[str, Any]:
    """A spec as JSON-ready data: callables are left out, nested specs become dicts."""
    out: dict[str, Any] = {}
    for f in fields(spec):
        value = getattr(spec, f.name)
        if isinstance(value, Callable):  # type: ignore[arg-type]  # typing.Callable works with isinstance
            continue
        if hasattr(value, "__dataclass_fields__"):
            value = spec_as_dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif hasattr(value, "items"):
            value = dict(value)
        out[f.name] = value
    return out


def echo_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """A plain left-aligned table, one row per line."""
    widths = {c: max([len(c)] + [len(str(r.get(c, ""))) for r in rows]) for c in columns}
    click.echo("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        click.echo("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns).rstrip())


def _list_specs(
    catalog: Any, pattern: str, as_json: bool, columns: list[str], show: Callable[..., Any]
) -> None:
    """The specs of ``catalog`` matching ``pattern`` as JSON or as a table of ``columns``
    (``show(row)`` makes a row's values printable), then the plugins that failed."""
    rows = [spec_as_dict(s) for s in catalog.select(pattern)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        echo_table([show(row) for row in rows], columns)
    _warn_broken_plugins(get_registry())


@click.command("models")
@click.argument("pattern", default="all")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def models(pattern: str, as_json: bool) -> None:
    """List registered models matching PATTERN (globs, comma lists, family:NAME)."""
    columns = ["name", "family", "task", "dataset", "plugin"]
    _list_specs(get_registry().models, pattern, as_json, columns, lambda row: row)


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def plugins(as_json: bool) -> None:
    """List loaded plugins: version, hooks, what each registered, status and error."""
    records = [r.as_dict() for r in get_registry().plugins.values()]
    if as_json:
        click.echo(json.dumps(records, indent=2))
        return
    rows = [
        {
            "name": r["name"] if not r["builtin"] else r["module"],
            "version": r["version"],
            "models": len(r["registered"].get("model", [])),
            "status": r["status"],
            "error": "; ".join(f"{e['phase']}: {e['error']}" for e in r["errors"])[:120],
        }
        for r in records
    ]
    echo_table(rows, ["name", "version", "models", "status", "error"])


@click.command("metrics")
@click.argument("pattern", default="all")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def metrics(pattern: str, as_json: bool) -> None:
    """List registered metrics matching PATTERN: columns, inputs, tasks, plugin."""

    def show(row: dict[str, Any]) -> dict[str, Any]:
        tasks = "all" if len(row["tasks"]) == len(TASKS) else ",".join(row["tasks"])
        return {
            **row,
            "columns": ",".join(row["columns"]),
            "consumes": ",".join(row["consumes"]),
            "tasks": tasks,
        }

    columns = ["name", "columns", "consumes", "tasks", "plugin"]
    _list_specs(get_registry().metrics, pattern, as_json, columns, show)


def _warn_broken_plugins(registry: Any) -> None:
    for record in registry.broken():
        click.echo(
            f"warning: plugin {record.describe_failure()} — see `genbench plugins`", err=True
        )


commands = [models, metrics, plugins]
