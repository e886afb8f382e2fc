"""Kernel Inception Distance (Bińkowski et al. 2018): unbiased MMD² with a cubic kernel.

``k(x, y) = (x·y / d + 1)³``, averaged over random subsets of both sets. The subsets are drawn
exactly as torch-fidelity draws them (a ``numpy.random.RandomState(seed)``, then for each
subset a fake subset and a real subset with ``choice(n, size, replace=False)``; torch-fidelity
calls the generated set input 1), so ``kid(real, fake, seed=s)`` scores the same subsets as
torch-fidelity's KID of input1=fake, input2=real with ``rng_seed=s``. Kernels are float64.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

from genbench.errors import GenbenchError
from genbench.metrics import arrays


def _kernel(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def mmd2_unbiased(x: torch.Tensor, y: torch.Tensor) -> float:
    """Unbiased MMD² between two equal-size samples (the diagonals of K_xx, K_yy dropped)."""
    m = len(x)
    k_xx, k_yy, k_xy = _kernel(x, x), _kernel(y, y), _kernel(x, y)
    within = (k_xx.sum() - k_xx.diagonal().sum()) + (k_yy.sum() - k_yy.diagonal().sum())
    return float(within / (m * (m - 1)) - 2 * k_xy.sum() / (m * m))


def kid(
    real: Any, fake: Any, *, subsets: int = 100, subset_size: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """KID mean and standard deviation (numpy's ``std``, ddof 0) over ``subsets`` subsets.

    ``subset_size`` larger than either set is clipped to the smaller set, with a warning.
    """
    real_t, fake_t = arrays.feature_pair(real, fake, min_rows=2)
    if subsets < 1:
        raise GenbenchError(f"KID needs at least one subset, got subsets={subsets}")
    smallest = min(len(real_t), len(fake_t))
    if subset_size > smallest:
        warnings.warn(
            f"KID subset size {subset_size} clipped to {smallest}, the size of the smaller set",
            RuntimeWarning,
            stacklevel=2,
        )
        subset_size = smallest
    if subset_size < 2:
        raise GenbenchError(f"KID needs subsets of at least 2 samples, got {subset_size}")
    rng = np.random.RandomState(seed)
    values = np.empty(subsets)
    for i in range(subsets):
        fake_rows = torch.from_numpy(rng.choice(len(fake_t), subset_size, replace=False))
        real_rows = torch.from_numpy(rng.choice(len(real_t), subset_size, replace=False))
        values[i] = mmd2_unbiased(
            fake_t[fake_rows.to(fake_t.device)].double(),
            real_t[real_rows.to(real_t.device)].double().to(fake_t.device),
        )
    return float(values.mean()), float(values.std())
