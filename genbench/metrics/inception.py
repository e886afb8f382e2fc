"""Inception score (Salimans et al. 2016) from classifier logits, torch-fidelity's way.

The samples are shuffled with ``numpy.random.RandomState(seed).permutation`` (torch-fidelity
shuffles by default, seed 2020), cut into ``splits`` contiguous chunks ``[i·N/s, (i+1)·N/s)``,
and each chunk scores ``exp(mean KL(p(y|x) || p(y)))`` in float64; the result is the mean
and the standard deviation (ddof 0) over chunks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from genbench.errors import GenbenchError
from genbench.metrics import arrays


def inception_score(
    logits: Any, *, splits: int = 10, shuffle: bool = True, seed: int = 2020
) -> tuple[float, float]:
    """Mean and standard deviation of the Inception score over ``splits`` chunks."""
    values = arrays.features(logits, "logits").double()
    n = len(values)
    if splits < 1 or n < splits:
        raise GenbenchError(f"the Inception score needs at least {splits} samples, got {n}")
    if shuffle:
        order = torch.from_numpy(np.random.RandomState(seed).permutation(n))
        values = values[order.to(values.device)]
    log_p = values.log_softmax(dim=1)
    p = log_p.exp()
    scores = []
    for i in range(splits):
        chunk = slice(i * n // splits, (i + 1) * n // splits)
        log_marginal = p[chunk].mean(dim=0, keepdim=True).log()
        kl = (p[chunk] * (log_p[chunk] - log_marginal)).sum(dim=1).mean()
        scores.append(float(kl.exp()))
    return float(np.mean(scores)), float(np.std(scores))
