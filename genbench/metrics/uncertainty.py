"""How sure is a score? FD∞ extrapolation and seeded bootstrap intervals.

- :func:`fd_infinity` (Chong & Forsyth 2020, "Effectively Unbiased FID and Inception Score
  and where to find them"): FD estimated from N samples is biased by a term linear in 1/N;
  fit FD against 1/N over random subsets of the fakes and report the intercept at 1/N = 0.
- :func:`bootstrap_fid`: percentile interval of FID over resamples (with replacement) of both
  sets.
- :func:`bootstrap_precision_recall`: percentile intervals of precision and recall over
  resamples of the per-sample memberships (fake in the real manifold, real in the fake
  manifold), with the manifolds estimated once from the full sets. Resampling the points
  themselves would duplicate them and shrink the k-NN radii to 0, biasing every resample.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from genbench.errors import GenbenchError
from genbench.metrics import arrays, manifold, neighbours
from genbench.metrics.frechet import GaussianStats, statistics_distance


def _interval(values: np.ndarray, level: float) -> tuple[float, float]:
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(values, [tail, 100.0 - tail])
    return float(low), float(high)


def _check_resampling(resamples: int, level: float) -> None:
    if resamples < 2:
        raise GenbenchError(f"bootstrap needs at least 2 resamples, got {resamples}")
    if not 0.0 < level < 1.0:
        raise GenbenchError(f"confidence level must lie in (0, 1), got {level}")


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
    """Percentile ``level`` interval of FID over resamples of both sets."""
    _check_resampling(resamples, level)
    real_t, fake_t = arrays.feature_pair(real, fake, min_rows=2)
    rng = np.random.default_rng(seed)
    values = np.empty(resamples)
    for i in range(resamples):
        real_rows = torch.from_numpy(rng.integers(0, len(real_t), len(real_t)))
        fake_rows = torch.from_numpy(rng.integers(0, len(fake_t), len(fake_t)))
        values[i] = statistics_distance(
            GaussianStats.from_features(real_t[real_rows.to(real_t.device)], "real"),
            GaussianStats.from_features(fake_t[fake_rows.to(fake_t.device)], "fake"),
        )
    return _interval(values, level)


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
    """Percentile intervals ``{"precision": (low, high), "recall": (low, high)}``."""
    _check_resampling(resamples, level)
    member = manifold.membership(real, fake, k, strict=False, block_bytes=block_bytes)
    rng = np.random.default_rng(seed)
    result = {}
    for name, inside in (
        ("precision", (member.fake_in_real_balls > 0).cpu().numpy()),
        ("recall", member.real_in_fake_ball.cpu().numpy()),
    ):
        # The mean of n indicators drawn with replacement is Binomial(n, mean) / n.
        means = rng.binomial(len(inside), inside.mean(), size=resamples) / len(inside)
        result[name] = _interval(means, level)
    return result
