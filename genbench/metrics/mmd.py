"""Kernel MMD with a Gaussian RBF kernel, in any feature space (CMMD with CLIP features).

CMMD (Jayasumana et al. 2024, "Rethinking FID") is ``1000 · MMD²`` between CLIP embeddings
with ``k(x, y) = exp(-|x - y|² / (2σ²))``, σ = 10, estimated by the V-statistic (every
pair, the diagonals included: Gretton et al. 2012, eq. 5), as their reference code does.
:func:`rbf_mmd` is exactly that with its defaults. σ = 10 suits unit-norm CLIP vectors; in
another feature space the kernel needs a bandwidth of that space's scale, or every
off-diagonal value underflows to 0 (digits-cnn features lie ~67 apart: ``exp(-22)``), and
:func:`median_bandwidth` (Gretton et al.'s median heuristic) gives one from the reference
set alone, so every model scored against it shares the kernel.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from genbench.metrics import arrays, kernels, neighbours

CMMD_SIGMA = 10.0
CMMD_SCALE = 1000.0
# Reference rows whose pairwise distances set the median bandwidth (the first ones: fixed).
BANDWIDTH_ROWS = 1000


def median_bandwidth(reference: Any) -> float:
    """The median distance between pairs of the first 1000 reference rows (distinct pairs)."""
    x = arrays.features(reference, "real", min_rows=2)[:BANDWIDTH_ROWS]
    index = torch.arange(len(x), device=x.device)
    distances = [
        tile[index[rows, None] < index[None, cols]]  # each pair once, no point with itself
        for rows, cols, tile in neighbours.squared_distance_tiles(x, upper=True)
    ]
    return float(np.median(torch.cat(distances).sqrt().cpu().numpy()))


def rbf_mmd(real: Any, fake: Any, *, sigma: float = CMMD_SIGMA, scale: float = CMMD_SCALE) -> float:
    """``scale · MMD²`` (V-statistic) with a Gaussian RBF kernel of bandwidth ``sigma``."""
    real_t, fake_t = arrays.feature_pair(real, fake)
    ones = torch.ones
    value = kernels.mmd2(
        real_t,
        fake_t.to(real_t.device),
        kernels.gaussian(sigma),
        ones(1, len(real_t)),
        ones(1, len(fake_t)),
        unbiased=False,
    )
    return scale * float(value[0])
