"""Leaderboard pages: Markdown with a sample grid per model and the plots of
``genbench.bench.plots``."""

from __future__ import annotations

import math
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.bench.plots import plots
from genbench.bench.store import META_COLUMNS, atomic_write
from genbench.csv_cells import csv_bytes

if TYPE_CHECKING:
    import pandas as pd

# Columns shown in the Markdown table besides the metrics.
SHOWN = ("model", "family", "status", "images_per_s", "n_samples")


def metric_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in META_COLUMNS and _numeric(frame[c]) and c != "nfe"]


def _numeric(column: pd.Series) -> bool:
    import pandas as pd

    return bool(pd.to_numeric(column, errors="coerce").notna().any())


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown(
    frame: pd.DataFrame, dataset: str, task: str, images: dict[str, str], pictures: list[str]
) -> str:
    """The page of one leaderboard; ``images`` maps model to its grid's relative path."""
    metrics = metric_columns(frame)
    columns = [c for c in SHOWN if c in frame.columns] + metrics
    first = frame.iloc[0]
    direction = "higher" if first["higher_is_better"] else "lower"
    lines = [
        f"# {dataset} · {task}",
        "",
        f"Feature space `{first['features']}` (resize {first['resize']}), "
        f"{first['n_samples']} samples against {first['n_reference']} reference images "
        f"of `{dataset}/{first['split']}`, seed {first['seed']}; sorted by "
        f"`{first['primary_metric']}` ({direction} is better). "
        "The CSV beside this page holds every column.",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += [
        "| " + " | ".join(_cell(row[c]) for c in columns) + " |" for _, row in frame.iterrows()
    ]
    lines += ["", *[f"![{Path(p).stem}]({p})" for p in pictures], "", "## Models", ""]
    for _, row in frame.iterrows():
        lines.append(f"### {row['model']}")
        lines.append("")
        if row["status"] != "ok":
            lines += [f"**error:** {_cell(row['error'])}", ""]
        if isinstance(row.get("warnings"), str) and row["warnings"]:
            lines += [f"*warnings:* {_cell(row['warnings'])}", ""]
        if row["model"] in images:
            lines += [f"![samples of {row['model']}]({images[row['model']]})", ""]
        lines += ["```", str(row["reproduce"]), "```", ""]
    return "\n".join(lines)


def render(
    frame: pd.DataFrame, dataset: str, task: str, folder: Path, grids_from: Sequence[Path]
) -> Path:
    """Write ``<folder>/<task>.md``, its plots and the models' grids (copied beside it)."""
    images: dict[str, str] = {}
    for _, row in frame.iterrows():
        grid, name = row.get("grid"), _grid_name(row)
        if name is None:
            continue
        source = next((base / grid for base in grids_from if (base / grid).is_file()), None)
        if source is None:
            continue
        target = folder / "grids" / name
        if source.resolve() != target.resolve():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        images[row["model"]] = f"grids/{target.name}"
    pictures = []
    for name, png in plots(frame).items():
        atomic_write(folder / f"{task}-{name}", png)
        pictures.append(f"{task}-{name}")
    page = folder / f"{task}.md"
    atomic_write(page, markdown(frame, dataset, task, images, pictures).encode())
    return page


def write_pages(
    sources: Sequence[Path | str], root: Path, *, replacing: Sequence[Path | str] = ()
) -> list[Path]:
    """Merge the rows of ``sources`` (run folders, leaderboard folders, CSVs) into
    ``root/<dataset>/<task>.csv`` and render each page beside its CSV.

    ``replacing``: older sources whose rows of the models that ``sources`` hold are dropped,
    whatever their configuration (retrained weights make a new configuration, and the rows
    of the old weights would otherwise stay), with the grids that only they showed under
    ``root``; their other models' rows are kept.
    """
    from genbench.bench.leaderboard import collect, csv_path, tables

    paths = [Path(s) for s in sources]
    rows = collect(paths)
    models = {row["model"] for row in rows}
    older = collect(replacing)
    dropped = [row for row in older if row["model"] in models]
    rows = [row for row in older if row["model"] not in models] + rows
    paths += [Path(s) for s in replacing]
    runs = [p for p in paths if (p / "results").is_dir()]
    pages = []
    for (dataset, task), frame in tables(rows).items():
        atomic_write(csv_path(root, dataset, task), csv_bytes(frame))
        folder = root / dataset
        # a grid path is relative to its run folder, or to a published dataset folder
        grids_from = [*runs, folder, *(p / dataset for p in paths)]
        pages.append(render(frame, dataset, task, folder, grids_from))
    shown = {(row["dataset"], _grid_name(row)) for row in rows}
    for row in dropped:
        name = _grid_name(row)
        if name is not None and (row["dataset"], name) not in shown:
            (root / str(row["dataset"]) / "grids" / name).unlink(missing_ok=True)
    return pages


def _grid_name(row: Any) -> str | None:
    """The file name of ``row``'s grid on its published page (None: the row has none)."""
    grid = row.get("grid")
    return Path(grid).name if isinstance(grid, str) and grid else None
