"""One row from the sample sets of a model's seeds: means, spreads over seeds, intervals.

Each seed's sample set is scored alone, with its bootstrap replicates (``MetricInputs.
resampling``: the reference draws are the same for every seed and row, the sample draws
follow the seed). A column's value is the mean over seeds; its replicates are the means of
the seeds' replicates, resample by resample, so they are the bootstrap of that mean, still
paired on the reference with every other row; its interval comes from them; with several
seeds, ``<column>_seed_sd`` is the standard deviation over seeds (ddof 1). The primary
metric's replicates are kept (``<primary>_replicates``) for the tie test of the ranks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from genbench.bench.ranks import LEVEL, format_replicates, replicates_column
from genbench.metrics.bootstrap import interval

REPLICATES = "_replicates"


def combine(
    per_seed: Sequence[Mapping[str, Any]], columns: Sequence[str], primary: str
) -> dict[str, Any]:
    """The row's metric columns from each seed's ``compute`` outputs (values of ``columns``
    and, for some, ``<column>_replicates``); a column some seed lacks (its metric failed)
    is left out."""
    row: dict[str, Any] = {}
    for column in columns:
        if any(column not in scores for scores in per_seed):
            continue
        values = np.array([float(scores[column]) for scores in per_seed])
        row[column] = float(values.mean())
        replicates = [scores.get(column + REPLICATES) for scores in per_seed]
        if any(r is None for r in replicates):
            continue
        mean_replicates = np.mean([np.asarray(r, dtype=np.float64) for r in replicates], axis=0)
        row[f"{column}_low"], row[f"{column}_high"] = interval(row[column], mean_replicates, LEVEL)
        if len(per_seed) > 1:
            row[f"{column}_seed_sd"] = float(values.std(ddof=1))
        if column == primary:
            row[replicates_column(primary)] = format_replicates(mean_replicates)
    return row
