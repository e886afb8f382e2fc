"""Leaderboard plots (matplotlib, Agg), by file name.

Precision against recall (the fidelity/diversity trade), the primary metric against
sampling throughput, and the primary metric against the number of function evaluations
when models declare ``info["nfe"]``. Each plot is titled with its dataset, feature space
and sample sizes. Baselines are reference points, not models: in the plots of the primary
metric they are horizontal lines (their throughput means nothing), and a baseline far off
the models' range (uniform noise at FID 2000+) is named in a note instead of squashing the
models into the bottom of the axis.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from genbench.bench.columns import column

if TYPE_CHECKING:
    import pandas as pd

# Precision/recall column pairs, best first: prdc (k=5), then pr (k=3).
PR_COLUMNS = (("precision", "recall"), ("pr_precision", "pr_recall"))

# Offsets (in points) tried for a point's label, nearest first; the first that stays inside
# the axes and overlaps no other label, point or legend wins, else the least crowded.
_DIRECTIONS = ((1, 0.5), (1, -1.5), (-1, 0.5), (-1, -1.5), (0, 1.5), (0, -2.5))
_LABEL_OFFSETS = [(dx * r, dy * r) for r in (4, 10, 18, 28, 40, 56) for dx, dy in _DIRECTIONS]
# Labels beyond the two places nearest to the right of their point get a leader line.
_NEAR = 2
_LEADER = {"arrowstyle": "-", "linewidth": 0.6, "color": "0.35", "shrinkB": 4}
_FONT = 7


def is_baseline(frame: pd.DataFrame) -> pd.Series:
    """Rows of baselines (family ``baseline`` or a ``baseline`` info column)."""
    flag = frame["family"] == "baseline"
    if "baseline" in frame.columns:
        flag = flag | frame["baseline"].notna()
    return flag


def _numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    data = frame.copy()
    for name in columns:
        data[name] = pd.to_numeric(data[name], errors="coerce")
    return data.dropna(subset=columns)


def _plotted(frame: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, str, str]]:
    """File name → (the rows it shows, x column, y column): what ``plots`` draws."""
    ok = frame[frame["status"] == "ok"]
    primary = str(ok["primary_metric"].iloc[0]) if len(ok) else None
    out: dict[str, tuple[pd.DataFrame, str, str]] = {}
    for precision, recall in PR_COLUMNS:
        if {precision, recall} <= set(ok.columns):
            shown = _numeric(ok, [precision, recall])
            if len(shown):
                out["precision-recall.png"] = (shown, recall, precision)
                break
    if primary and primary in ok.columns and "images_per_s" in ok.columns:
        shown = _numeric(ok, [primary])
        if shown["images_per_s"].notna().any():
            out["quality-throughput.png"] = (shown, "images_per_s", primary)
    if primary and primary in ok.columns and "nfe" in ok.columns:
        shown = _numeric(ok, [primary])
        with_nfe = shown["nfe"].notna()
        if with_nfe.any():
            out["quality-nfe.png"] = (shown[with_nfe | is_baseline(shown)], "nfe", primary)
    return out


def plotted_models(frame: pd.DataFrame) -> dict[str, list[str]]:
    """File name → the models each plot shows (the site links a model to its plots)."""
    return {name: list(rows["model"]) for name, (rows, _, _) in _plotted(frame).items()}


def figures(frame: pd.DataFrame) -> dict[str, Any]:
    """The matplotlib figures that the table's columns allow, by file name."""
    title = _protocol(frame)
    out: dict[str, Any] = {}
    for name, (rows, x, y) in _plotted(frame).items():
        if name == "precision-recall.png":
            out[name] = _scatter(rows, x, y, title=title, unit_square=True)
        else:
            frontier = None
            if name == "quality-nfe.png":
                frontier = "max" if bool(rows["higher_is_better"].iloc[0]) else "min"
            out[name] = _scatter(rows, x, y, title=title, logx=True, frontier=frontier)
    return out


def plots(frame: pd.DataFrame) -> dict[str, bytes]:
    """The plots that the table's columns allow, as PNG, by file name."""
    out = {}
    for name, figure in figures(frame).items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        out[name] = buffer.getvalue()
    return out


def _protocol(frame: pd.DataFrame) -> str:
    """``digits · unconditional`` and its feature space and sample sizes, for a title."""

    def values(name: str) -> str:
        if name not in frame.columns:
            return "?"
        found = [str(v) for v in frame[name].dropna().unique()]
        return "/".join(found) or "?"

    return (
        f"{values('dataset')} · {values('task')}\n{values('features')} features · "
        f"n = {values('n_samples')} samples vs {values('n_reference')} "
        f"{values('split')} images"
    )


def _axis_label(name: str) -> str:
    described = column(name)
    if not described.direction:
        return described.label
    return f"{described.label} ({described.direction} is better)"


def _scatter(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    logx: bool = False,
    frontier: str | None = None,
    unit_square: bool = False,
) -> Any:
    """Models as points per family; baselines as reference lines (or, when a plot has only
    baselines or shares the models' units, as grey crosses). ``frontier`` ("min" or "max")
    joins each family's best y per x, so several configurations at one x (samplers at equal
    NFE) do not zigzag."""
    baseline = is_baseline(frame)
    as_lines = not unit_square and not baseline.all()
    points = frame[~baseline] if as_lines else frame
    points = _numeric(points, [x, y])
    lines = frame[baseline] if as_lines else frame.iloc[0:0]

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # a Figure of its own, not pyplot's: no global state, nothing to close
    figure = Figure(figsize=(7.5, 5.5), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for family, group in points.groupby("family", sort=True):
        group = group.sort_values(x)
        grey = family == "baseline"
        marker = axes.plot(
            group[x],
            group[y],
            "x" if grey else "o",
            color="0.45" if grey else None,
            label=str(family),
            zorder=3,
        )[0]
        if frontier and not grey:
            best = group.groupby(x)[y].agg(frontier)
            axes.plot(
                best.index,
                best.to_numpy(),
                "-",
                color=marker.get_color(),
                label=f"{family}: best at each {column(x).label}",
                zorder=2,
            )
    if logx:
        axes.set_xscale("log")
    if unit_square:
        axes.set_xlim(-0.02, 1.02)
        axes.set_ylim(-0.02, 1.08)  # room for the labels of points at 1
    else:
        axes.margins(x=0.15)
    off_scale = _reference_lines(axes, lines, y, list(points[y]))
    axes.set_xlabel(_axis_label(x))
    axes.set_ylabel(_axis_label(y))
    axes.set_title(title, fontsize=10)
    axes.grid(alpha=0.3)
    if len(points) or len(lines):
        axes.legend(fontsize=7, loc="best")
    if off_scale:
        figure.text(0.01, 0.01, "off the scale: " + "; ".join(off_scale), fontsize=7)
    # fixed margins (tight_layout would draw the figure once more) with room for the
    # two-line title, the axis labels and the off-scale note
    figure.subplots_adjust(left=0.1, right=0.97, top=0.88, bottom=0.15 if off_scale else 0.11)
    _label_points(figure, axes, points, x, y)

    return figure


def _reference_lines(axes: Any, lines: pd.DataFrame, y: str, model_ys: list[float]) -> list[str]:
    """Draw each baseline as a dashed horizontal line at its ``y``; the y range covers the
    models and the baselines near them. Returns "name (value)" of the baselines left out."""
    import pandas as pd

    values = pd.to_numeric(lines[y], errors="coerce") if len(lines) else pd.Series(dtype=float)
    if not len(values.dropna()):
        return []
    low, high = min(model_ys), max(model_ys)
    span = max(high - low, abs(high) * 0.1, 1e-9)
    near = values.between(low - span, high + span)
    shown = [*model_ys, *values[near]]
    bottom, top = min(shown), max(shown)
    pad = (top - bottom) * 0.08 or abs(top) * 0.1 or 1.0
    axes.set_ylim(bottom - pad, top + pad)
    for (_, row), value in zip(lines[near].iterrows(), values[near], strict=True):
        axes.axhline(value, linestyle="--", linewidth=0.8, color="0.5", zorder=1)
        axes.annotate(
            f"{row['model']} ({value:.3g})",
            (1, value),
            xycoords=("axes fraction", "data"),
            xytext=(-3, 2),
            textcoords="offset points",
            ha="right",
            fontsize=7,
            color="0.35",
        )
    label = column(y).label
    return [
        f"{row['model']} ({label} {value:.4g})"
        for (_, row), value in zip(lines[~near].iterrows(), values[~near], strict=True)
    ]


def _label_points(figure: Any, axes: Any, points: pd.DataFrame, x: str, y: str) -> None:
    """Name every point where its label overlaps nothing already drawn: the nearest free
    offset, joined to its point by a thin line when it had to move away."""
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    renderer = figure.canvas.get_renderer()
    frame = axes.get_window_extent(renderer)
    pixels = figure.dpi / 72  # offsets are in points
    centres = [axes.transData.transform(xy) for xy in zip(points[x], points[y], strict=True)]
    taken = [Bbox.from_extents(cx - 4, cy - 4, cx + 4, cy + 4) for cx, cy in centres]
    taken += [t.get_window_extent(renderer) for t in axes.texts]
    legend = axes.get_legend()
    if legend is not None:
        taken.append(legend.get_window_extent(renderer))
    order = sorted(range(len(points)), key=lambda i: (-centres[i][1], centres[i][0]))
    for i in order:
        row = points.iloc[i]
        probe = axes.text(0, 0, str(row["model"]), fontsize=_FONT, transform=None)
        size = probe.get_window_extent(renderer)
        probe.remove()
        best: tuple[int, int] | None = None  # (overlaps, candidate) of the best place seen
        for n, (dx, dy) in enumerate(_LABEL_OFFSETS):
            # left-aligned text starts at the offset, right-aligned ends there
            left = centres[i][0] + dx * pixels - size.width * (1 - _side(dx)) / 2
            bottom = centres[i][1] + dy * pixels
            box = Bbox.from_bounds(left, bottom, size.width, size.height)
            if not (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)):
                continue
            overlaps = sum(box.overlaps(other) for other in taken)
            if best is None or overlaps < best[0]:
                best = (overlaps, n)
            if overlaps == 0:
                break
        n = best[1] if best is not None else 0
        dx, dy = _LABEL_OFFSETS[n]
        label = axes.annotate(
            str(row["model"]),
            (row[x], row[y]),
            xytext=(dx, dy),
            textcoords="offset points",
            ha={1: "left", -1: "right", 0: "center"}[_side(dx)],
            va="bottom",
            fontsize=_FONT,
            arrowprops=_LEADER if n >= _NEAR else None,
            zorder=4,
        )
        label.update_positions(renderer)
        taken.append(Text.get_window_extent(label, renderer))  # the text, not its leader


def _side(dx: float) -> int:
    """Which side of its point a label at horizontal offset ``dx`` extends to."""
    return (dx > 0) - (dx < 0)
