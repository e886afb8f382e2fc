"""``genbench leaderboard show|render|publish``: tables and pages from run results."""

from __future__ import annotations

from pathlib import Path

import click

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

    root = Path(target)
    existing = (root,) if root.is_dir() and leaderboard_csvs(root) else ()
    if replace:
        pages = write_pages(sources, root, replacing=existing)
    else:
        pages = write_pages((*existing, *sources), root)
    for page in pages:
        click.echo(f"wrote {page}")


commands = [leaderboard]
