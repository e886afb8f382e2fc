"""The Vendi score (Friedman & Dieng 2023): diversity of one set, with no reference set.

``VS = exp(-Σ λᵢ log λᵢ)``, the λᵢ being the eigenvalues of ``K / n`` for the n × n cosine
similarity matrix ``Kᵢⱼ = xᵢ·xⱼ / (|xᵢ||xⱼ|)`` (the ``vendi-score`` package's ``score_X`` and
``score_dual``). It is the effective number of distinct samples: 1 when all are the same
direction, n when all are orthogonal. ``K / n = X Xᵀ / n`` and ``Xᵀ X / n`` (X's rows
normalised) have the same non-zero eigenvalues, so the d × d one is used: the cost is
``n·d² + d³``, whatever n.
"""

from __future__ import annotations

from typing import Any

import torch

from genbench.errors import GenbenchError
from genbench.metrics import arrays


def vendi_score(features: Any) -> float:
    """The Vendi score of a feature set (n, d) under the cosine similarity kernel."""
    x = arrays.features(features, "features")
    norms = torch.linalg.vector_norm(x.double(), dim=1)
    if bool((norms == 0).any()):
        raise GenbenchError(
            f"features: {int((norms == 0).sum())} of {len(x)} rows are all zero, and the"
            " cosine similarity of a zero vector is undefined"
        )
    scatter = torch.zeros(x.shape[1], x.shape[1], dtype=torch.float64, device=x.device)
    for start in range(0, len(x), 4096):  # bounded float64 copies, as GaussianStats reads
        rows = x[start : start + 4096].double() / norms[start : start + 4096, None]
        scatter += rows.T @ rows
    eigenvalues = torch.linalg.eigvalsh(scatter / len(x))
    # Round-off eigenvalues of a rank-deficient matrix may be slightly negative; 0·log 0 = 0.
    positive = eigenvalues[eigenvalues > 0]
    return float(torch.exp(-(positive * positive.log()).sum()))
