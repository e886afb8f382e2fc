"""``genbench leaderboard show|render|publish``: tables and pages from run results."""

from __future__ import annotations

import math
import numbers
from pathlib import Path
from typing import Any

import click

# Columns ``show`` prints besides the metrics.
SHOW = ("model", "status", "images_per_s")


@click.group("leaderboard")
def leaderboard() -> None:
    """Show, render and publish leaderboards from run folders."""


@leaderboard.command("show")
@click.argument("sources", nargs=-1, type=click.Path(exists=True))
@click.option("--all-columns", is_flag=True, help="Print every column.")
def show(sources: tuple[str, ...], all_columns: bool) -> None:
    """Print the leaderboards of run folders or leaderboard folders (default: runs/latest)."""
    from genbench.bench.leaderboard import collect, tables
    from genbench.bench.report import metric_columns

    for (dataset, task), frame in tables(collect(sources or ("runs/latest",))).items():
        columns = list(frame.columns) if all_columns else [*SHOW, *metric_columns(frame)]
        click.echo(f"\n{dataset} · {task}")
        click.echo(frame[columns].to_string(index=False, float_format=lambda v: f"{v:.4g}"))


@leaderboard.command("render")
@click.argument("run_dir", default="runs/latest", type=click.Path(exists=True, file_okay=False))
def render_cmd(run_dir: str) -> None:
    """Write Markdown pages, plots and sample grids into RUN_DIR/leaderboards."""
    from genbench.bench.report import write_pages

    for page in write_pages((run_dir,), Path(run_dir) / "leaderboards"):
        click.echo(f"wrote {page}")


@leaderboard.command("publish")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--to",
    "target",
    default="leaderboards",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Published leaderboards folder; its CSVs are merged with the new rows.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Drop the published rows of every model the sources hold, whatever their"
    " configuration (e.g. after retraining: new weights are a new configuration).",
)
def publish(sources: tuple[str, ...], target: str, replace: bool) -> None:
    """Merge run folders into the published leaderboards (latest row per model and
    configuration) and render their pages."""
    from genbench.bench.report import write_pages
    from genbench.files import check_writable

    root = check_writable(target, "--to")
    for source in sources:
        _check_publishable(source)
    existing = (root,) if root.is_dir() and any(root.rglob("*.csv")) else ()
    if replace:
        pages = write_pages(sources, root, replacing=existing)
    else:
        pages = write_pages((*existing, *sources), root)
    for page in pages:
        click.echo(f"wrote {page}")


def _check_publishable(source: str) -> None:
    """Refuse a source without rows, or with ok rows that lack their primary metric: either
    would publish less than the user meant to, silently."""
    from genbench.bench.leaderboard import collect
    from genbench.errors import GenbenchError

    rows = collect([source])
    if not rows:
        raise GenbenchError(f"{source} holds no result rows; run `genbench run --out {source}`")
    unranked = [str(r["model"]) for r in rows if r.get("status") == "ok" and not _ranked(r)]
    if unranked:
        raise GenbenchError(
            f"{source}: ok rows without a value of their primary metric ({', '.join(unranked)});"
            " rerun those models with `genbench run` before publishing"
        )


def _ranked(row: dict[str, Any]) -> bool:
    value = row.get(str(row.get("primary_metric")))
    return isinstance(value, numbers.Real) and not math.isnan(value)


commands = [leaderboard]
