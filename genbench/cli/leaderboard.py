"""``genbench leaderboard show|render|publish|site|verify``: tables, pages and a static
site from run results, and reruns of published rows."""

from __future__ import annotations

import math
import numbers
import sys
from pathlib import Path
from typing import Any

import click

from genbench.site import build_site

# Columns ``show`` prints besides the metrics.
SHOW = ("rank", "model", "status", "images_per_s")


@click.group("leaderboard")
def leaderboard() -> None:
    """Show, render and publish leaderboards from run folders."""


@leaderboard.command("show")
@click.argument("sources", nargs=-1, type=click.Path(exists=True))
@click.option("--all-columns", is_flag=True, help="Print every column.")
def show(sources: tuple[str, ...], all_columns: bool) -> None:
    """Print the leaderboards of run folders or leaderboard folders (default: runs/latest).

    Rows of different protocols (samples, reference, feature space, seeds, ...) are printed
    as separate tables, each under its protocol, never ranked together."""
    from genbench.bench.leaderboard import collect, protocol_tables
    from genbench.bench.report import metric_cell, metric_columns, protocol_line

    found = protocol_tables(collect(sources or ("runs/latest",)))
    counts: dict[tuple[str, str], int] = {}
    for dataset, task, _ in found:
        counts[(dataset, task)] = counts.get((dataset, task), 0) + 1
    for (dataset, task, pid), frame in found.items():
        several = counts[(dataset, task)] > 1
        click.echo(f"\n{dataset} · {task}" + (f" · protocol {pid}" if several else ""))
        ok = frame[frame["status"] == "ok"]
        click.echo(protocol_line((ok if len(ok) else frame).iloc[0], dataset))
        if all_columns:
            shown = frame
        else:
            metrics = metric_columns(frame)
            shown = frame[[c for c in SHOW if c in frame.columns]].copy()
            for column in metrics:
                shown[column] = [metric_cell(row, column) for _, row in frame.iterrows()]
        click.echo(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if any(count > 1 for count in counts.values()):
        click.echo(
            "\nrows of different protocols are shown as separate tables: they are never"
            " ranked together"
        )


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
    from genbench.bench.leaderboard import leaderboard_csvs
    from genbench.bench.report import write_pages
    from genbench.files import check_writable

    root = check_writable(target, "--to")
    for source in sources:
        _check_publishable(source)
    existing = (root,) if root.is_dir() and leaderboard_csvs(root) else ()
    if replace:
        pages = write_pages(sources, root, replacing=existing)
    else:
        pages = write_pages((*existing, *sources), root)
    for page in pages:
        click.echo(f"wrote {page}")
    # the Markdown pages link to the site's pages beside them
    site = build_site([root], root)
    click.echo(f"wrote the site: {site[0]}")


@leaderboard.command("site")
@click.argument("folders", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--out",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of the site (index.html); the images are copied into it.",
)
def site_cmd(folders: tuple[str, ...], out: str) -> None:
    """Build a static site of published leaderboard FOLDERS (default: leaderboards): sortable
    tables, plots, sample grids and model cards that work offline from file://."""
    import time

    start = time.perf_counter()
    pages = build_site(folders or ("leaderboards",), out)
    seconds = time.perf_counter() - start
    click.echo(f"wrote {len(pages)} pages in {seconds:.1f} s; open {Path(pages[0]).resolve()}")


@leaderboard.command("verify")
@click.argument("folder", default="leaderboards", type=click.Path(exists=True))
@click.option(
    "--models",
    default="all",
    show_default=True,
    help="Published rows to rerun: 'all', comma-separated globs, or family:NAME.",
)
@click.option(
    "--out",
    default=None,
    type=click.Path(file_okay=False),
    help="Keep the reruns' results here (default: a temporary folder, deleted).",
)
def verify(folder: str, models: str, out: str | None) -> None:
    """Rerun published rows from their recorded commands and compare every value.

    A value has moved when it differs by more than 1e-4 relative (8x the largest
    difference measured between CPU kinds); exits with status 1 when one has.
    """
    import tempfile

    from genbench.bench.leaderboard import collect, published_csvs
    from genbench.bench.verify import ABSOLUTE, RELATIVE, compare, rerun, select

    rows = select(collect(published_csvs([folder])), models, folder)
    click.echo(f"verify: rerunning {len(rows)} published row(s) of {folder}")
    with tempfile.TemporaryDirectory(prefix="genbench-verify-") as temporary:
        fresh = rerun(rows, Path(out or temporary), click.echo)
    outcomes = [compare(row, fresh.get(row["model"])) for row in rows]
    for outcome in outcomes:
        click.echo(outcome.describe())
        for note in outcome.notes:
            click.echo(f"  note: {note}")
    moved = [o.model for o in outcomes if not o.ok]
    click.echo(
        f"tolerance: |now - published| <= {RELATIVE:g} * max(|now|, |published|) + {ABSOLUTE:g}"
    )
    if moved:
        click.echo(f"{len(moved)} of {len(outcomes)} row(s) moved: {', '.join(moved)}", err=True)
        sys.exit(1)
    click.echo(f"all {len(outcomes)} row(s) reproduced")


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
