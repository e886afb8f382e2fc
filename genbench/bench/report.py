"""Leaderboard pages: Markdown with a sample grid per model and the plots of
``genbench.bench.plots``."""

from __future__ import annotations

import math
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.bench.columns import column
from genbench.bench.grids import real_grid_name, real_grid_png
from genbench.bench.plots import plots
from genbench.bench.store import META_COLUMNS, atomic_write
from genbench.csv_cells import csv_bytes

if TYPE_CHECKING:
    import pandas as pd

# Columns shown in the Markdown table besides the metrics.
SHOWN = ("rank", "model", "family", "status", "images_per_s", "n_samples")
# Suffixes of the columns that qualify a metric column rather than being one.
QUALIFIERS = ("_low", "_high", "_seed_sd", "_replicates")

# How the intervals and ranks of a page are made (genbench.metrics.bootstrap, bench.ranks).
METHOD = (
    "**Intervals** `value (low–high)`: 95 % bootstrap intervals from {bootstrap}. Each"
    " resample draws, with replacement, as many generated samples and as many reference"
    " images as the row has; the reference draws come from one fixed seed, so every row of"
    " this table sees the same reference resamples. The k-NN manifolds of precision, recall,"
    " density and coverage are estimated once, from the full sets, and the resamples redraw"
    " the per-point membership indicators (recall and coverage: the reference's; precision"
    " and density: the samples'): resampling the points themselves would put copies of a point"
    " inside its own k-NN ball and shrink the radii. An interval is the value plus the 2.5 % and"
    " 97.5 % quantiles of the resampled values' deviations from their mean, which removes the"
    " bootstrap's own bias (a resample's duplicates raise FID by more than the interval is"
    " wide). KID's resamples are of its full-set U-statistic, which its subsets estimate."
    " Vendi, IS and FD∞ have no interval (duplicates collapse Vendi; IS and FD∞ already split"
    " or subsample the samples).\n\n"
    "**Ranks**: a model's rank is 1 + the number of models significantly better on"
    " `{primary}`: significantly when the 95 % interval of the difference of the two rows'"
    " bootstrap values, paired resample by resample on the shared reference resamples,"
    " excludes 0. Models the data cannot separate share a rank."
)
NO_BOOTSTRAP = (
    "These rows were scored without the bootstrap: no intervals, and ranks follow the values."
)


def metric_columns(frame: pd.DataFrame) -> list[str]:
    """Numeric columns that are metrics (not metadata, not an interval bound or spread)."""
    return [
        c
        for c in frame.columns
        if c not in META_COLUMNS
        and c not in ("nfe", "rank")
        and not _qualifier(c, frame.columns)
        and _numeric(frame[c])
    ]


def _qualifier(column: str, columns: Any) -> bool:
    return any(
        column.endswith(suffix) and column[: -len(suffix)] in columns for suffix in QUALIFIERS
    )


def _numeric(column: pd.Series) -> bool:
    import pandas as pd

    return bool(pd.to_numeric(column, errors="coerce").notna().any())


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def metric_cell(row: Any, column: str) -> str:
    """``61.3 (58.9–64.0)``: the value and, when the row has one, its interval."""
    value = _cell(row.get(column))
    low, high = row.get(f"{column}_low"), row.get(f"{column}_high")
    if value and _cell(low) and _cell(high):
        return f"{value} ({_cell(float(low))}–{_cell(float(high))})"
    return value


def protocol_line(first: Any, dataset: str) -> str:
    """The protocol every row of a table shares, in a sentence."""
    sha = first.get("features_sha256")
    weights = f"weights sha256 {str(sha)[:12]}…, " if isinstance(sha, str) and sha else ""
    seeds = first.get("seeds") if isinstance(first.get("seeds"), str) else first.get("seed")
    several = isinstance(seeds, str) and "," in seeds
    return (
        f"Protocol of every row: feature space `{first['features']}` ({weights}resize"
        f" {first['resize']}); {first['n_samples']} samples per model"
        f"{' and sampling seed' if not several else ' for each of the sampling seeds'} {seeds}"
        f" ({first.get('sampling_precision') or 'fp32'}) against {first['n_reference']}"
        f" reference images of `{dataset}/{first['split']}`."
        + (
            " Values are means over the seeds' sample sets; the CSV holds each metric's"
            " standard deviation over the seeds (`<metric>_seed_sd`)."
            if several
            else ""
        )
    )


def markdown(
    frame: pd.DataFrame,
    dataset: str,
    task: str,
    images: dict[str, str],
    pictures: list[str],
    real: str | None = None,
) -> str:
    """The page of one leaderboard; ``images`` maps a row's ``config_id`` to its grid's
    relative path (a row's grid is its own, whatever other rows of its model show) and
    ``real`` is the path of the grid of real images."""
    metrics = metric_columns(frame)
    shown = [c for c in SHOWN if c in frame.columns]
    columns = shown + metrics
    ok = frame[frame["status"] == "ok"]
    first = (ok if len(ok) else frame).iloc[0]
    direction = "higher" if first["higher_is_better"] else "lower"
    bootstrap = first.get("bootstrap")
    method = (
        METHOD.format(bootstrap=bootstrap, primary=first["primary_metric"])
        if isinstance(bootstrap, str) and bootstrap
        else NO_BOOTSTRAP
    )
    lines = [
        f"# {dataset} · {task}",
        "",
        protocol_line(first, dataset)
        + f" Sorted by `{first['primary_metric']}` ({direction} is better). The CSV beside"
        " this page holds every column.",
        "",
        method,
        "",
        f"Sortable, with model cards and enlargeable samples: [{task}.html]({task}.html), this "
        "table's page of the leaderboard site (`genbench leaderboard site`).",
        "",
        "| " + " | ".join(column(c).header() for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += [
        "| "
        + " | ".join([*(_cell(row[c]) for c in shown), *(metric_cell(row, c) for c in metrics)])
        + " |"
        for _, row in frame.iterrows()
    ]
    lines += ["", "Columns:", ""]
    lines += [f"- **{column(c).header()}** (`{c}`): {column(c).describe()}" for c in columns]
    lines += ["", *[f"![{Path(p).stem}]({p})" for p in pictures], "", "## Models", ""]
    if real:
        lines += ["### real data", "", f"![real images]({real})", ""]
    for _, row in frame.iterrows():
        lines.append(f"### {row['model']}")
        lines.append("")
        if row["status"] != "ok":
            lines += [f"**error:** {_cell(row['error'])}", ""]
        if isinstance(row.get("warnings"), str) and row["warnings"]:
            lines += [f"*warnings:* {_cell(row['warnings'])}", ""]
        if row["config_id"] in images:
            lines += [f"![samples of {row['model']}]({images[row['config_id']]})", ""]
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
        images[row["config_id"]] = f"grids/{target.name}"
    pictures = []
    for name, png in plots(frame).items():
        atomic_write(folder / f"{task}-{name}", png)
        pictures.append(f"{task}-{name}")
    real = _real_grid(frame, dataset, task, folder)
    page = folder / f"{task}.md"
    atomic_write(page, markdown(frame, dataset, task, images, pictures, real).encode())
    return page


def _real_grid(frame: pd.DataFrame, dataset: str, task: str, folder: Path) -> str | None:
    """Write the grid of real images that the page shows beside the models' (kept as it
    is when the dataset is not installed here); its path relative to ``folder``."""
    splits = frame["split"].dropna()
    if not len(splits):
        return None
    name = f"grids/{real_grid_name(str(splits.iloc[0]), task)}"
    png = real_grid_png(dataset, str(splits.iloc[0]), task)
    if png is not None:
        atomic_write(folder / name, png)
    return name if (folder / name).is_file() else None


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
    advice = (
        ". Rerun the models of one side with the other's protocol (each row's `reproduce`"
        " command states its own), publish the new protocol into another folder (--to), or,"
        " when the new rows supersede the published ones of the same models, use --replace"
    )
    for (dataset, task), frame in tables(rows, advice=advice).items():
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
