"""How sure is a score? FD∞ extrapolation and seeded bootstrap intervals.

- :func:`fd_infinity` (Chong & Forsyth 2020, "Effectively Unbiased FID and Inception Score
  and where to find them"): FD estimated from N samples is biased by a term linear in 1/N;
  fit FD against 1/N over random subsets of the fakes and report the intercept at 1/N = 0.
- :func:`bootstrap_fid`: interval of FID over resamples (with replacement) of both sets.
- :func:`bootstrap_precision_recall`: intervals of precision and recall over resamples of
  the per-sample memberships (fake in the real manifold, real in the fake manifold), with
  the manifolds estimated once from the full sets.

Both are :mod:`genbench.metrics.bootstrap`'s method, which the leaderboards use.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from genbench.errors import GenbenchError
from genbench.metrics import arrays, bootstrap, manifold, neighbours
from genbench.metrics.bootstrap import Resampling
from genbench.metrics.frechet import GaussianStats, fid_from_features, statistics_distance


def fd_infinity(real: Any, fake: Any, *, sizes: Any = None, seed: int = 0) -> dict[str, float]:
    """FD extrapolated to infinitely many fakes: ``{"fd_inf", "slope"}`` of FD = a + b/N.

    ``sizes``: subset sizes N (default 15 evenly spaced from n/5 to n, as the paper spaces
    5 000..50 000); each subset is drawn without replacement with ``default_rng(seed)``.
    """
    real_t, fake_t = arrays.feature_pair(real, fake, min_rows=2)
    n = len(fake_t)
    if sizes is None:
        sizes = np.linspace(max(2, n // 5), n, 15)
    sizes = np.unique(np.asarray(sizes, dtype=np.int64))
    if len(sizes) < 2 or sizes.min() < 2 or sizes.max() > n:
        raise GenbenchError(
            f"FD∞ needs at least two distinct subset sizes between 2 and {n}, got {sizes.tolist()}"
        )
    reference = GaussianStats.from_features(real_t, "real")
    rng = np.random.default_rng(seed)
    distances = []
    for size in sizes:
        rows = torch.from_numpy(rng.choice(n, int(size), replace=False))
        subset = GaussianStats.from_features(fake_t[rows.to(fake_t.device)], "fake")
        distances.append(statistics_distance(reference, subset))
    slope, intercept = np.polyfit(1.0 / sizes, np.asarray(distances), 1)
    return {"fd_inf": float(intercept), "slope": float(slope)}


def bootstrap_fid(
    real: Any, fake: Any, *, resamples: int = 50, level: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """``level`` interval of FID over resamples of both sets (see :mod:`bootstrap`)."""
    resampling = Resampling(resamples, level, reference_seed=seed, sample_seed=seed)
    replicates = bootstrap.fid_replicates(real, fake, resampling)
    return bootstrap.interval(fid_from_features(real, fake), replicates, level)


def bootstrap_precision_recall(
    real: Any,
    fake: Any,
    *,
    k: int = 3,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    block_bytes: int = neighbours.BLOCK_BYTES,
) -> dict[str, tuple[float, float]]:
    """``level`` intervals ``{"precision": (low, high), "recall": (low, high)}`` over
    resamples of the membership indicators (see :mod:`bootstrap`)."""
    resampling = Resampling(resamples, level, reference_seed=seed, sample_seed=seed)
    values, points = manifold.precision_recall_points(real, fake, k=k, block_bytes=block_bytes)
    result = {}
    for name, (side, inside) in points.items():
        draws = resampling.sample_counts if side == manifold.SAMPLE else resampling.reference_counts
        replicates = bootstrap.mean_replicates(inside, draws(len(inside)))
        result[name] = bootstrap.interval(values[name], replicates, level)
    return result
