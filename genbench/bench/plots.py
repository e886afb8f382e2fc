"""Leaderboard plots (matplotlib, Agg), by file name.

Precision against recall (the fidelity/diversity trade), the primary metric against
sampling throughput, and the primary metric against the number of function evaluations
when models declare ``info["nfe"]``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# Precision/recall column pairs, best first: prdc (k=5), then pr (k=3).
PR_COLUMNS = (("precision", "recall"), ("pr_precision", "pr_recall"))


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
