"""Fréchet distance between Gaussians fitted to features (FID when the features are Inception's).

``FD = ||μ1 - μ2||² + tr Σ1 + tr Σ2 - 2 tr (Σ1 Σ2)^½``. The trace term is computed exactly
without a matrix square root: with ``Σ1 = L Lᵀ`` (Cholesky), ``Σ1 Σ2`` is similar to the
symmetric positive semi-definite ``Lᵀ Σ2 L``, so ``tr (Σ1 Σ2)^½`` is the sum of the square
roots of its eigenvalues. At d = 2048 that is one Cholesky factorisation and one ``eigvalsh``
(about a second) instead of ``scipy.linalg.sqrtm`` (about a minute). When both covariances
are singular (fewer samples than dimensions) ``Σ1^½`` from a symmetric eigendecomposition,
with negative round-off eigenvalues clipped, takes the place of ``L``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import torch

from genbench.errors import GenbenchError
from genbench.metrics import arrays

# Rows per block when accumulating statistics: bounds the float64 copy of a batch.
_STATS_ROWS = 4096


class GaussianStats:
    """Streaming, mergeable float64 mean and covariance of feature vectors.

    ``update`` folds in a batch, ``merge`` another accumulator (another process's shard);
    both use the pairwise update of Chan et al., so the result does not depend on how the
    samples were split. ``state()``/``from_state`` move it between processes or to disk.
    """

    def __init__(self, dim: int | None = None) -> None:
        self.count = 0
        self.dim = dim
        self._mean: torch.Tensor | None = None
        self._scatter: torch.Tensor | None = None  # Σ (x - mean)(x - mean)ᵀ

    @classmethod
    def from_features(cls, values: Any, name: str = "features") -> GaussianStats:
        return cls().update(values, name=name)

    def update(self, batch: Any, *, name: str = "features") -> GaussianStats:
        """Add a batch of samples (n, d); returns ``self``."""
        tensor = arrays.features(batch, name)
        for start in range(0, len(tensor), _STATS_ROWS):
            block = tensor[start : start + _STATS_ROWS].double()
            mean = block.mean(dim=0)
            centred = block - mean
            self._fold(len(block), mean, centred.T @ centred, name)
        return self

    def merge(self, other: GaussianStats) -> GaussianStats:
        """Fold in another accumulator's samples; returns ``self``."""
        if other.count:
            assert other._mean is not None and other._scatter is not None
            self._fold(other.count, other._mean, other._scatter, "merged statistics")
        return self

    def _fold(self, count: int, mean: torch.Tensor, scatter: torch.Tensor, name: str) -> None:
        if self.dim is not None and mean.shape[0] != self.dim:
            raise GenbenchError(
                f"{name}: {mean.shape[0]} dimensions, but these statistics have {self.dim}"
            )
        if self._mean is None or self._scatter is None:
            self.count, self.dim = count, mean.shape[0]
            self._mean, self._scatter = mean.clone(), scatter.clone()
            return
        mean, scatter = mean.to(self._mean.device), scatter.to(self._mean.device)
        total = self.count + count
        delta = mean - self._mean
        self._scatter += scatter + torch.outer(delta, delta) * (self.count * count / total)
        self._mean += delta * (count / total)
        self.count = total

    def _require(self, least: int) -> tuple[torch.Tensor, torch.Tensor]:
        if self._mean is None or self._scatter is None or self.count < least:
            raise GenbenchError(
                f"Gaussian statistics need at least {least} samples, got {self.count}"
            )
        return self._mean, self._scatter

    @property
    def mean(self) -> np.ndarray:
        return self._require(1)[0].cpu().numpy().copy()

    @property
    def cov(self) -> np.ndarray:
        """The unbiased covariance (divided by n - 1, as numpy's ``np.cov``)."""
        return (self._require(2)[1] / (self.count - 1)).cpu().numpy()

    def state(self) -> dict[str, np.ndarray]:
        """Arrays that ``from_state`` turns back into the same accumulator."""
        mean, scatter = self._require(1)
        return {
            "count": np.asarray(self.count, dtype=np.int64),
            "mean": mean.cpu().numpy().copy(),
            "scatter": scatter.cpu().numpy().copy(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> GaussianStats:
        stats = cls()
        mean = torch.as_tensor(np.asarray(state["mean"], dtype=np.float64))
        scatter = torch.as_tensor(np.asarray(state["scatter"], dtype=np.float64))
        stats._fold(int(state["count"]), mean, scatter, "saved statistics")
        return stats


def _moments(mu: Any, sigma: Any, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    mean = arrays.as_tensor(mu, f"{name} mean").double().reshape(-1)
    cov = arrays.as_tensor(sigma, f"{name} covariance").double()
    if cov.ndim != 2 or cov.shape != (len(mean), len(mean)):
        raise GenbenchError(
            f"{name}: covariance of shape {tuple(cov.shape)} does not match a mean of"
            f" {len(mean)} dimensions"
        )
    # One sum per array: NaN and inf propagate into it, without a d×d mask.
    if not (math.isfinite(float(mean.sum())) and math.isfinite(float(cov.sum()))):
        raise GenbenchError(f"{name}: the mean or covariance holds NaN or inf")
    return mean, cov


def _cholesky(matrix: torch.Tensor) -> torch.Tensor | None:
    factor, info = torch.linalg.cholesky_ex(matrix)
    return factor if int(info) == 0 else None


def trace_sqrt_product(sigma1: torch.Tensor, sigma2: torch.Tensor) -> float:
    """``tr (Σ1 Σ2)^½`` for symmetric positive semi-definite float64 ``Σ1``, ``Σ2``."""
    factor, second = _cholesky(sigma1), sigma2
    if factor is None:
        factor, second = _cholesky(sigma2), sigma1
    if factor is None:
        # Both singular: constant (dead) features, or n <= d (statistics_distance warns of
        # that). The square root from a symmetric eigendecomposition is still exact.
        values, vectors = torch.linalg.eigh(sigma1)
        factor, second = (vectors * values.clamp_min(0).sqrt()) @ vectors.T, sigma2
    inner = factor.T @ second @ factor
    return float(sqrt_trace(inner))


def sqrt_trace(inner: torch.Tensor) -> torch.Tensor:
    """``tr inner^½`` of symmetric positive semi-definite float64 matrices (batched on the
    leading dimensions), from their eigenvalues."""
    eigenvalues = torch.linalg.eigvalsh(inner)  # reads one triangle: symmetric by design
    # Below this, an eigenvalue is round-off of a zero (a singular covariance): its square
    # root, about sqrt(eps)·|λmax|^½, would bias the trace, so it counts as zero.
    largest = eigenvalues.abs().amax(-1, keepdim=True)
    noise = largest * eigenvalues.shape[-1] * torch.finfo(torch.float64).eps
    return torch.where(eigenvalues > noise, eigenvalues, 0.0).sqrt().sum(-1)


def frechet_distance(mu1: Any, sigma1: Any, mu2: Any, sigma2: Any) -> float:
    """The Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2), in float64."""
    mean1, cov1 = _moments(mu1, sigma1, "first")
    mean2, cov2 = _moments(mu2, sigma2, "second")
    if mean1.shape != mean2.shape:
        raise GenbenchError(
            f"the statistics have {len(mean1)} and {len(mean2)} dimensions; compute both"
            " with the same feature extractor"
        )
    cov2 = cov2.to(cov1.device)
    diff = mean1 - mean2.to(mean1.device)
    trace = float(torch.trace(cov1) + torch.trace(cov2))
    return float(diff @ diff) + trace - 2.0 * trace_sqrt_product(cov1, cov2)


def statistics_distance(real: GaussianStats, fake: GaussianStats) -> float:
    """The Fréchet distance between two accumulators (a warning if one has n <= d)."""
    moments = (real.mean, real.cov, fake.mean, fake.cov)
    for name, stats in (("real", real), ("fake", fake)):
        if stats.dim is not None and stats.count <= stats.dim:
            warnings.warn(
                f"{name}: {stats.count} samples for {stats.dim} dimensions; the covariance is"
                " singular and the Fréchet distance is biased (use more samples)",
                RuntimeWarning,
                stacklevel=3,
            )
    return frechet_distance(*moments)


def fid_from_features(real: Any, fake: Any) -> float:
    """The Fréchet distance between Gaussians fitted to two feature sets (n, d)."""
    real_t, fake_t = arrays.feature_pair(real, fake, min_rows=2)
    return statistics_distance(
        GaussianStats.from_features(real_t, "real"), GaussianStats.from_features(fake_t, "fake")
    )
