"""Every metric the sanity checks watch, for one set of generated features.

KID here is its full-set unbiased U-statistic (the quantity KID's subsets estimate: the
same expectation without the subset noise), so that a trend is the metric's, not the
subsets'. The RBF MMD uses the leaderboard's bandwidth (median reference distance). The
reference stands for the training set of memorization and authenticity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from genbench.metrics import (
    fd_infinity,
    fid_from_features,
    kernels,
    memorization,
    mmd,
    prdc,
    precision_recall,
    vendi_score,
)

# The metrics, in the order of the table's columns.
METRICS = (
    "fid",
    "fid_inf",
    "kid",
    "mmd",
    "precision",
    "recall",
    "density",
    "coverage",
    "pr_precision",
    "pr_recall",
    "vendi",
    "memorization",
    "authenticity",
)


def _kid(reference: Any, fake: Any) -> float:
    real_t, fake_t = torch.as_tensor(reference), torch.as_tensor(fake)
    ones = torch.ones
    value = kernels.mmd2(
        real_t,
        fake_t,
        kernels.polynomial(real_t.shape[1]),
        ones(1, len(real_t)),
        ones(1, len(fake_t)),
        unbiased=True,
    )
    return float(value[0])


def _rbf(reference: Any, fake: Any) -> float:
    return mmd.rbf_mmd(reference, fake, sigma=mmd.median_bandwidth(reference))


def _pr(reference: Any, fake: Any) -> dict[str, float]:
    values = precision_recall(reference, fake, k=3)
    return {"pr_precision": values["precision"], "pr_recall": values["recall"]}


# Each computes some of METRICS from (reference, fake).
_GROUPS: dict[tuple[str, ...], Callable[[Any, Any], Any]] = {
    ("fid",): fid_from_features,
    ("fid_inf",): lambda r, f: fd_infinity(r, f)["fd_inf"],
    ("kid",): _kid,
    ("mmd",): _rbf,
    ("precision", "recall", "density", "coverage"): lambda r, f: prdc(r, f, k=5),
    ("pr_precision", "pr_recall"): _pr,
    ("vendi",): lambda r, f: vendi_score(f),
    ("memorization", "authenticity"): memorization,
}


def score(
    reference: np.ndarray, fake: np.ndarray, metrics: Sequence[str] = METRICS
) -> dict[str, float]:
    """The ``metrics`` of ``fake`` against ``reference``."""
    values: dict[str, float] = {}
    for columns, compute in _GROUPS.items():
        if not set(columns) & set(metrics):
            continue
        result = compute(reference, fake)
        values.update(result if isinstance(result, dict) else {columns[0]: result})
    return {name: float(values[name]) for name in metrics}
