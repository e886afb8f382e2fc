"""Ranks that respect the noise: a model's rank is 1 + the number of models significantly
better than it on the primary metric, so models the data cannot separate share a rank.

Two rows differ significantly when the 95 % interval of the difference of their bootstrap
replicates (``genbench.metrics.bootstrap.separated``) excludes 0. The replicates of rows
scored against one reference are paired on the reference resample (each row stores its
primary metric's replicates in ``<primary>_replicates``), so the test is a paired bootstrap
test on the same reference set. Rows without replicates (published before the bootstrap)
are told apart by their values alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# The level of the tie test; the intervals on the pages use the same.
LEVEL = 0.95


def replicates_column(primary: str) -> str:
    return f"{primary}_replicates"


def format_replicates(values: Any) -> str:
    """Replicates as a CSV cell: space-separated, 9 significant digits (differences of
    paired replicates need far fewer)."""
    return " ".join(f"{float(v):.9g}" for v in values)


def parse_replicates(cell: Any) -> np.ndarray | None:
    import numpy as np

    if not isinstance(cell, str) or not cell.strip():
        return None
    return np.array(cell.split(), dtype=np.float64)


def ranks(frame: pd.DataFrame, primary: str, higher_is_better: bool) -> list[int | None]:
    """The rank of each row of ``frame`` (None for failed rows and rows without a value)."""
    from genbench.metrics.bootstrap import separated

    column = replicates_column(primary)
    scored = []
    for index, row in frame.iterrows():
        value = row.get(primary)
        if row["status"] == "ok" and isinstance(value, (int, float)) and value == value:
            sign = 1.0 if higher_is_better else -1.0
            scored.append((index, sign * float(value), parse_replicates(row.get(column)), sign))

    def better(first: tuple[Any, ...], second: tuple[Any, ...]) -> bool:
        """Whether ``first`` beats ``second`` significantly (values signed: higher wins)."""
        if first[1] <= second[1]:
            return False
        if first[2] is None or second[2] is None or len(first[2]) != len(second[2]):
            return True
        return separated((first[1], first[3] * first[2]), (second[1], second[3] * second[2]), LEVEL)

    found: dict[Any, int] = {
        entry[0]: 1 + sum(better(other, entry) for other in scored) for entry in scored
    }
    return [found.get(index) for index in frame.index]
