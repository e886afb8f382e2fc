"""Weighted sums of kernel matrices, tile by tile: the MMD estimators and their bootstrap.

``kernel_sums(x, y, kernel, wx, wy)`` returns ``wx[r] · K(x, y) · wy[r]`` for every row r of
the weight matrices, in float64, without ever holding K: one pass over tiles of K serves the
full-set sum (weights all 1) and every bootstrap resample at once (weights: how often each
point was drawn). A kernel maps a tile of dot products and the rows' squared norms to values.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from genbench.errors import GenbenchError
from genbench.metrics import neighbours

# A kernel: (x·y tile, |x|² column, |y|² row) -> k(x, y) tile, all float64.
Kernel = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


def polynomial(dim: int, degree: int = 3) -> Kernel:
    """KID's kernel ``(x·y / d + 1)^degree``."""

    def kernel(dots: torch.Tensor, x_sq: torch.Tensor, y_sq: torch.Tensor) -> torch.Tensor:
        return dots.div_(dim).add_(1.0).pow_(degree)

    return kernel


def gaussian(sigma: float) -> Kernel:
    """The Gaussian RBF kernel ``exp(-|x - y|² / (2σ²))``."""
    if not sigma > 0:
        raise GenbenchError(f"the RBF kernel's bandwidth must be positive, got sigma={sigma}")
    gamma = 1.0 / (2.0 * sigma * sigma)

    def kernel(dots: torch.Tensor, x_sq: torch.Tensor, y_sq: torch.Tensor) -> torch.Tensor:
        distances = dots.mul_(-2.0).add_(x_sq).add_(y_sq).clamp_(min=0.0)
        return distances.mul_(-gamma).exp_()

    return kernel


def diagonal(x: torch.Tensor, kernel: Kernel) -> torch.Tensor:
    """``k(xᵢ, xᵢ)`` for every row, float64."""
    squared = torch.cat([(block.double() ** 2).sum(1) for block in x.split(4096)])
    return kernel(squared.clone(), squared, squared)


def kernel_sums(
    x: torch.Tensor,
    y: torch.Tensor | None,
    kernel: Kernel,
    x_weights: torch.Tensor,
    y_weights: torch.Tensor | None = None,
    *,
    block_bytes: int = neighbours.BLOCK_BYTES,
) -> torch.Tensor:
    """``x_weights[r] · K(x, y) · y_weights[r]`` for each row r, float64 (R,).

    ``y=None`` means ``y = x`` and ``y_weights = x_weights``: each pair of tiles off the
    diagonal is computed once and counted twice.
    """
    same = y is None
    other = x if y is None else y
    x_w = x_weights.to(x.device, torch.float64)
    y_w = x_w if y_weights is None else y_weights.to(x.device, torch.float64)
    size = neighbours.tile_size(x.shape[1], block_bytes)
    total = torch.zeros(len(x_w), dtype=torch.float64, device=x.device)
    for r0 in range(0, len(x), size):
        rows = slice(r0, min(r0 + size, len(x)))
        x_block = x[rows].double()
        x_sq = (x_block**2).sum(1)[:, None]
        for c0 in range(r0 if same else 0, len(other), size):
            cols = slice(c0, min(c0 + size, len(other)))
            y_block = other[cols].double()
            values = kernel(x_block @ y_block.T, x_sq, (y_block**2).sum(1)[None, :])
            part = ((x_w[:, rows] @ values) * y_w[:, cols]).sum(1)
            total += part if not same or c0 == r0 else 2.0 * part
    return total


def within(
    x: torch.Tensor,
    kernel: Kernel,
    weights: torch.Tensor,
    *,
    unbiased: bool,
    block_bytes: int = neighbours.BLOCK_BYTES,
) -> torch.Tensor:
    """The mean of ``k`` over pairs of draws from x, for each row of ``weights`` (how often
    each point is drawn), (R,). ``unbiased``: the U-statistic's mean (Gretton et al. 2012,
    eq. 3; KID's), which leaves out the pairs of a draw with itself, ``Σ wᵢ k(xᵢ, xᵢ)``;
    otherwise the V-statistic's (eq. 5; CMMD's), every pair in."""
    w = weights.to(x.device, torch.float64)
    m = w.sum(1)
    total = kernel_sums(x, None, kernel, w, block_bytes=block_bytes)
    if unbiased:
        return (total - w @ diagonal(x, kernel)) / (m * (m - 1))
    return total / (m * m)


def mmd2(
    x: torch.Tensor,
    y: torch.Tensor,
    kernel: Kernel,
    x_weights: torch.Tensor,
    y_weights: torch.Tensor,
    *,
    unbiased: bool,
    x_within: torch.Tensor | None = None,
    block_bytes: int = neighbours.BLOCK_BYTES,
) -> torch.Tensor:
    """MMD² between x and y for each row of weights, (R,): ``within`` x, plus ``within`` y,
    minus twice the mean across. ``x_within``: x's term, when it is already known."""
    if x_within is None:
        x_within = within(x, kernel, x_weights, unbiased=unbiased, block_bytes=block_bytes)
    y_within = within(y, kernel, y_weights, unbiased=unbiased, block_bytes=block_bytes)
    across = kernel_sums(x, y, kernel, x_weights, y_weights, block_bytes=block_bytes)
    pairs = x_weights.to(x.device, torch.float64).sum(1) * y_weights.to(x.device).sum(1)
    return x_within.to(x.device) + y_within - 2.0 * across / pairs
