"""Seeded bootstrap of the leaderboard metrics: the resamples, each metric's replicates, and
intervals and paired differences made from them.

A replicate draws, with replacement, as many points of the sample set and of the reference
set as each holds. The reference draws depend only on the reference size and
``reference_seed``, the same for every row scored against one reference, so the replicates
of two rows are paired on the reference: their difference carries the reference's share of
the noise once, not twice. The sample draws depend on the row's sampling seed.

The k-NN metrics' manifolds (radii) are estimated once, from the full sets; a replicate
resamples the per-point membership indicators (precision, density: the samples'; recall,
coverage: the reference's). Resampling the points themselves would put copies of a point
inside its own k-NN ball and shrink the radii towards 0, biasing every replicate.

An interval is the estimate plus the ``(1 ± level) / 2`` quantiles of the replicates'
deviations from their mean. Centring on the mean removes the bootstrap's own bias: a
resample holds duplicates, so its FID is larger than the full sets' (at digits' 360
samples by more than the interval is wide), and an interval of raw replicate quantiles
would not contain the number it qualifies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from genbench.errors import GenbenchError
from genbench.metrics import arrays, kernels
from genbench.metrics.frechet import sqrt_trace

# Streams of ``numpy.random.default_rng([stream, seed])``: the reference's and the samples'
# draws differ even when their seeds and sizes are equal.
_REFERENCE_STREAM = 1
_SAMPLE_STREAM = 2


@dataclass(frozen=True)
class Resampling:
    """How a row is bootstrapped: ``resamples`` replicates, intervals at ``level``."""

    resamples: int = 200
    level: float = 0.95
    reference_seed: int = 0
    sample_seed: int = 0

    def __post_init__(self) -> None:
        if self.resamples < 2:
            raise GenbenchError(f"the bootstrap needs at least 2 resamples, got {self.resamples}")
        if not 0.0 < self.level < 1.0:
            raise GenbenchError(f"the confidence level must lie in (0, 1), got {self.level}")

    def reference_counts(self, n: int) -> np.ndarray:
        """(resamples, n): how often each reference point is drawn in each replicate."""
        return _counts(_REFERENCE_STREAM, self.reference_seed, self.resamples, n)

    def sample_counts(self, n: int) -> np.ndarray:
        """(resamples, n): how often each sample is drawn in each replicate."""
        return _counts(_SAMPLE_STREAM, self.sample_seed, self.resamples, n)

    def describe(self) -> str:
        """The method in a line (the leaderboard's ``bootstrap`` column)."""
        return (
            f"{self.resamples} resamples, {self.level:.0%} intervals,"
            f" reference seed {self.reference_seed}"
        )


def _counts(stream: int, seed: int, resamples: int, n: int) -> np.ndarray:
    draws = np.random.default_rng([stream, seed]).integers(0, n, (resamples, n))
    draws += np.arange(resamples)[:, None] * n  # replicate r counts in its own n slots
    return np.bincount(draws.ravel(), minlength=resamples * n).reshape(resamples, n)


def interval(estimate: float, replicates: Any, level: float) -> tuple[float, float]:
    """``estimate`` plus the ``(1 ± level) / 2`` quantiles of the replicates' deviations from
    their mean (see the module doc)."""
    values = np.asarray(replicates, dtype=np.float64)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(values - values.mean(), [tail, 1.0 - tail])
    return float(estimate + low), float(estimate + high)


def separated(first: tuple[float, Any], second: tuple[float, Any], level: float) -> bool:
    """Whether two (estimate, replicates) pairs, paired replicate by replicate, differ: the
    interval of their difference excludes 0."""
    replicates = np.asarray(first[1], dtype=np.float64) - np.asarray(second[1], dtype=np.float64)
    low, high = interval(first[0] - second[0], replicates, level)
    return low > 0 or high < 0


def mean_replicates(values: Any, counts: np.ndarray) -> np.ndarray:
    """The mean of per-point ``values`` in each resample (float64, (resamples,))."""
    per_point = np.asarray(values, dtype=np.float64)
    return counts @ per_point / per_point.size


def median_replicates(values: Any, counts: np.ndarray) -> np.ndarray:
    """The median (numpy's: the mean of the two middle values of an even count) of per-point
    ``values`` in each resample."""
    per_point = np.asarray(values, dtype=np.float64)
    order = np.argsort(per_point, kind="stable")
    ranked, drawn = per_point[order], np.cumsum(counts[:, order], axis=1)
    n = per_point.size
    # the 0-based positions of the two middle draws, found in the running counts
    lower = ranked[(drawn <= (n - 1) // 2).sum(1)]
    upper = ranked[(drawn <= n // 2).sum(1)]
    return (lower + upper) / 2.0


def fid_replicates(real: Any, fake: Any, resampling: Resampling) -> np.ndarray:
    """The Fréchet distance of each resample of both sets.

    ``tr (Σr Σf)^½ = tr (Σr^½ Σf Σr^½)^½``: the reference side (means, traces and the
    symmetric square roots ``Σr^½`` of its resamples) is the same for every row, computed
    once; a row's replicates then cost one weighted covariance, two products and one
    ``eigvalsh`` each, in batches."""
    real_t, fake_t = arrays.feature_pair(real, fake, min_rows=2)
    real_counts = resampling.reference_counts(len(real_t))
    fake_counts = resampling.sample_counts(len(fake_t))
    dim = real_t.shape[1]
    batches = range(0, resampling.resamples, _BATCH)
    if resampling.resamples * dim * dim * 8 <= _KEEP_BYTES:
        kept = _reference_side(
            "fid",
            real_t,
            resampling,
            lambda: [_reference_batch(real_t, real_counts[b : b + _BATCH]) for b in batches],
        )
        references: Iterable[tuple[torch.Tensor, ...]] = kept
    else:  # too large to keep (d = 2048: 32 MiB a replicate): recomputed batch by batch
        references = (_reference_batch(real_t, real_counts[b : b + _BATCH]) for b in batches)
    values = []
    for start, (means_r, traces_r, roots) in zip(batches, references, strict=True):
        means_f, covs_f = _moments(fake_t.to(real_t.device), fake_counts[start : start + _BATCH])
        difference = ((means_r - means_f) ** 2).sum(-1)
        inner = roots @ covs_f @ roots
        values.append(difference + traces_r + _trace(covs_f) - 2.0 * sqrt_trace(inner))
    return torch.cat(values).cpu().numpy()


# Replicates whose covariances are held at once.
_BATCH = 25


def _moments(x: torch.Tensor, counts: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """Means (R, d) and unbiased covariances (R, d, d) of resamples, float64: each row of
    ``x`` counted as often as drawn."""
    values = x.double()
    weights = torch.from_numpy(counts).to(x.device, torch.float64)
    means = weights @ values / len(x)
    centred = values - values.mean(0)  # shifting first keeps the products small
    scatter = (centred.T[None] * weights[:, None, :]) @ centred
    shift = means - values.mean(0)
    scatter -= len(x) * shift[:, :, None] * shift[:, None, :]
    return means, scatter / (len(x) - 1)


def _trace(matrices: torch.Tensor) -> torch.Tensor:
    return matrices.diagonal(dim1=-2, dim2=-1).sum(-1)


def _roots(covariances: torch.Tensor) -> torch.Tensor:
    """Symmetric square roots of positive semi-definite matrices (round-off negatives 0)."""
    values, vectors = torch.linalg.eigh(covariances)
    return (vectors * values.clamp_min(0).sqrt()[..., None, :]) @ vectors.transpose(-1, -2)


def _reference_batch(x: torch.Tensor, counts: np.ndarray) -> tuple[torch.Tensor, ...]:
    """Means, covariance traces and covariance square roots of reference resamples."""
    means, covariances = _moments(x, counts)
    return means, _trace(covariances), _roots(covariances)


def mmd_with_replicates(
    real: Any,
    fake: Any,
    kernel: kernels.Kernel,
    kind: Hashable,
    resampling: Resampling | None,
    *,
    unbiased: bool,
) -> tuple[float, np.ndarray | None]:
    """MMD² of the full sets and of each resample (None without ``resampling``): one pass
    over the kernel tiles serves both; ``kind`` names the kernel and the estimator."""
    real_t, fake_t = arrays.feature_pair(real, fake, min_rows=2)
    fake_t = fake_t.to(real_t.device)
    real_w, fake_w = torch.ones(1, len(real_t)), torch.ones(1, len(fake_t))
    if resampling is not None:
        real_w = torch.cat([real_w, torch.from_numpy(resampling.reference_counts(len(real_t)))])
        fake_w = torch.cat([fake_w, torch.from_numpy(resampling.sample_counts(len(fake_t)))])
    real_within = _reference_side(
        kind, real_t, resampling, lambda: kernels.within(real_t, kernel, real_w, unbiased=unbiased)
    )
    values = (
        kernels.mmd2(
            real_t, fake_t, kernel, real_w, fake_w, unbiased=unbiased, x_within=real_within
        )
        .cpu()
        .numpy()
    )
    return float(values[0]), (values[1:] if resampling is not None else None)


# The reference side of the replicates (the resampled reference statistics, the kernel
# means) is the same for every row scored against one reference: it is kept for the next
# row, for one reference at a time (a run scores the rows of a reference one after another).
_REFERENCE_SIDE: dict[tuple[Any, ...], Any] = {}
# Resampled reference statistics are kept up to this size.
_KEEP_BYTES = 512 << 20


def _reference_side(
    kind: Hashable, real: torch.Tensor, resampling: Resampling | None, compute: Callable[[], Any]
) -> Any:
    """``compute()``, reused while ``real`` (by content) and the reference draws are the same."""
    digest = hashlib.sha256(real.cpu().numpy().tobytes()).hexdigest()
    draws = (resampling.reference_seed, resampling.resamples) if resampling else None
    reference = (digest, tuple(real.shape), draws)
    for key in [k for k in _REFERENCE_SIDE if k[1:] != reference]:
        del _REFERENCE_SIDE[key]
    key = (kind, *reference)
    if key not in _REFERENCE_SIDE:
        _REFERENCE_SIDE[key] = compute()
    return _REFERENCE_SIDE[key]
