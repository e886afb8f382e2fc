"""Leaderboard pages: Markdown with a sample grid per model and plots (matplotlib, Agg).

Plots: precision against recall (the fidelity/diversity trade), the primary metric against
sampling throughput, and the primary metric against the number of function evaluations
when models declare ``info["nfe"]``.
"""

from __future__ import annotations

import io
import math
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.bench.store import META_COLUMNS, atomic_write

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# Columns shown in the Markdown table besides the metrics.
SHOWN = ("model", "family", "status", "images_per_s", "n_samples")
# Precision/recall column pairs, best first: prdc (k=5), then pr (k=3).
PR_COLUMNS = (("precision", "recall"), ("pr_precision", "pr_recall"))


def grid_png(images: Sequence[np.ndarray], columns: int = 8, scale: int = 0) -> bytes:
    """A PNG of uint8 (C, H, W) images tiled row by row (small images are upscaled)."""
    import numpy as np
    from PIL import Image

    channels, height, width = images[0].shape
    scale = scale or max(1, 64 // max(height, width))
    rows = math.ceil(len(images) / columns)
    pad = 1
    canvas = np.full(
        (rows * (height + pad) + pad, columns * (width + pad) + pad, channels), 255, np.uint8
    )
    for i, image in enumerate(images):
        y, x = divmod(i, columns)
        top, left = pad + y * (height + pad), pad + x * (width + pad)
        canvas[top : top + height, left : left + width] = image.transpose(1, 2, 0)
    picture = Image.fromarray(canvas[..., 0] if channels == 1 else canvas)
    picture = picture.resize(
        (picture.width * scale, picture.height * scale), Image.Resampling.NEAREST
    )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def metric_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in META_COLUMNS and _numeric(frame[c]) and c != "nfe"]


def _numeric(column: pd.Series) -> bool:
    import pandas as pd

    return bool(pd.to_numeric(column, errors="coerce").notna().any())


def _figure_png(draw: Any) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5.5, 4), dpi=100)
    try:
        draw(axes)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        plt.close(figure)
    return buffer.getvalue()


def _scatter(
    frame: pd.DataFrame, x: str, y: str, *, logx: bool = False, frontier: str | None = None
) -> bytes:
    """Points per family; ``frontier`` ("min" or "max") joins each family's best y per x, so
    several configurations at one x (samplers at equal NFE) do not zigzag."""
    import pandas as pd

    data = frame[["model", "family", x, y]].copy()
    data[x] = pd.to_numeric(data[x], errors="coerce")
    data[y] = pd.to_numeric(data[y], errors="coerce")
    data = data.dropna()

    def draw(axes: Any) -> None:
        for family, points in data.groupby("family"):
            points = points.sort_values(x)
            marker = axes.plot(points[x], points[y], "o", label=str(family))[0]
            if frontier:
                best = points.groupby(x)[y].agg(frontier)
                axes.plot(best.index, best.to_numpy(), "-", color=marker.get_color())
            for _, point in points.iterrows():
                axes.annotate(
                    point["model"],
                    (point[x], point[y]),
                    fontsize=7,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
        if logx:
            axes.set_xscale("log")
        axes.set_xlabel(x)
        axes.set_ylabel(y)
        axes.grid(alpha=0.3)
        if len(data):
            axes.legend(fontsize=7)

    return _figure_png(draw)


def plots(frame: pd.DataFrame) -> dict[str, bytes]:
    """The plots that the table's columns allow, by file name."""
    ok = frame[frame["status"] == "ok"]
    primary = str(ok["primary_metric"].iloc[0]) if len(ok) else None
    out: dict[str, bytes] = {}
    for precision, recall in PR_COLUMNS:
        if {precision, recall} <= set(ok.columns) and ok[precision].notna().any():
            out["precision-recall.png"] = _scatter(ok, recall, precision)
            break
    if primary and primary in ok.columns and ok["images_per_s"].notna().any():
        out["quality-throughput.png"] = _scatter(ok, "images_per_s", primary, logx=True)
    if primary and "nfe" in ok.columns and ok["nfe"].notna().any():
        best = "max" if bool(ok["higher_is_better"].iloc[0]) else "min"
        out["quality-nfe.png"] = _scatter(
            ok[ok["nfe"].notna()], "nfe", primary, logx=True, frontier=best
        )
    return out


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
        atomic_write(csv_path(root, dataset, task), frame.to_csv(index=False).encode())
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
