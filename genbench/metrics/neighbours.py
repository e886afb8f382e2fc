"""Blocked exact k-nearest-neighbour computations: never an N×N matrix in memory.

Squared Euclidean distances are computed tile by tile in float64 as
``|x|² + |y|² - 2 x·y`` (clamped at 0; a point's distance to itself is exactly 0, and
near-duplicate pairs are recomputed from their differences, so copies are exactly 0), from
inputs of any float dtype converted a tile at a time. Comparisons are made on squared
distances, which order exactly as the distances do. The tile budget ``block_bytes`` bounds
every temporary: a tile of distances plus the float64 copies of its rows and columns.

The reference implementations round distances to float32 (prdc through scikit-learn,
torch-fidelity through ``torch.cdist``); float64 gives the exact answer, which equals theirs
unless a distance and a radius agree to within float32 rounding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import torch

# The default budget of a pass's working memory: a tile of float64 distances plus the
# float64 copies of its rows and columns (about 850 × 850 tiles at d = 2048).
BLOCK_BYTES = 32 << 20


def tile_size(dim: int, block_bytes: int = BLOCK_BYTES) -> int:
    """Rows (and columns) T of a square tile: T² + 2·T·dim float64 values fit the budget."""
    budget = block_bytes // 8
    return max(1, int((-2 * dim + (4 * dim * dim + 4 * budget) ** 0.5) / 2))


def _squared_norms(x: torch.Tensor) -> torch.Tensor:
    norms = torch.cat(
        [torch.linalg.vector_norm(b, dim=1, dtype=torch.float64) for b in x.split(256)]
    )
    return norms.square_()


# Below this fraction of |x|² + |y|², ``|x|² + |y|² - 2 x·y`` is mostly cancellation error.
_CLOSE = 1e-6
# Pairs recomputed at a time (bounds the float64 differences held).
_PAIRS = 256


def _refine_close_pairs(
    tile: torch.Tensor,
    x_block: torch.Tensor,
    y_block: torch.Tensor,
    x_norms: torch.Tensor,
    y_norms: torch.Tensor,
) -> None:
    """Recompute near-duplicate pairs as ``Σ (x - y)²``, which is exactly 0 for copies.

    The expansion cancels catastrophically for close points, and duplicates are what the
    memorization metric looks for. The threshold only decides which pairs are recomputed
    (both forms agree to float64 rounding elsewhere); few are, unless a set holds copies.
    """
    threshold = _CLOSE * float(x_norms.max() + y_norms.max())
    close = (tile < threshold).nonzero()
    for start in range(0, len(close), _PAIRS):
        i, j = close[start : start + _PAIRS].unbind(1)
        tile[i, j] = (x_block[i] - y_block[j]).square().sum(1)


def squared_distance_tiles(
    x: torch.Tensor,
    y: torch.Tensor | None = None,
    *,
    block_bytes: int = BLOCK_BYTES,
    upper: bool = False,
) -> Iterator[tuple[slice, slice, torch.Tensor]]:
    """Yield ``(rows, cols, D)`` with ``D[i, j] = |x[rows][i] - y[cols][j]|²`` in float64.

    ``y=None`` means ``y = x`` (the diagonal is exactly 0); ``upper`` then yields only the
    tiles on or above the diagonal, for symmetric computations. All tiles share one set of
    buffers, allocated once: consume ``D`` before asking for the next tile.
    """
    same = y is None
    other = x if y is None else y
    size = tile_size(x.shape[1], block_bytes)
    x_norms = _squared_norms(x)
    y_norms = x_norms if same else _squared_norms(other)
    buffers = torch.empty(size * (size + 2 * x.shape[1]), dtype=torch.float64, device=x.device)
    tile_buffer, block_buffers = buffers[: size * size], buffers[size * size :]
    x_buffer, y_buffer = block_buffers.view(2, size, x.shape[1]).unbind(0)
    for r0 in range(0, len(x), size):
        rows = slice(r0, min(r0 + size, len(x)))
        x_block = x_buffer[: rows.stop - r0].copy_(x[rows])
        for c0 in range(r0 if same and upper else 0, len(other), size):
            cols = slice(c0, min(c0 + size, len(other)))
            diagonal = same and c0 == r0
            y_block = x_block if diagonal else y_buffer[: cols.stop - c0].copy_(other[cols])
            tile = tile_buffer[: len(x_block) * len(y_block)].view(len(x_block), len(y_block))
            torch.mm(x_block, y_block.T, out=tile)
            tile.mul_(-2).add_(x_norms[rows, None]).add_(y_norms[None, cols]).clamp_(min=0)
            if diagonal:
                tile.fill_diagonal_(torch.inf)  # not a pair to refine; exactly 0 below
            _refine_close_pairs(tile, x_block, y_block, x_norms[rows], y_norms[cols])
            if diagonal:
                tile.fill_diagonal_(0)
            yield rows, cols, tile


def kth_neighbour_sq(x: torch.Tensor, k: int, *, block_bytes: int = BLOCK_BYTES) -> torch.Tensor:
    """Squared distance from each point to its k-th nearest other point, float64 (n,).

    As prdc and torch-fidelity define it: the (k+1)-th smallest distance of a row that
    includes the point itself (at 0), so duplicates count as neighbours at distance 0.
    Symmetry halves the work: each off-diagonal tile serves its rows and its columns.
    """
    keep = k + 1
    best = torch.full((len(x), keep), torch.inf, dtype=torch.float64, device=x.device)

    def fold(rows: slice, distances: torch.Tensor) -> None:
        width = min(keep, distances.shape[1])
        smallest = distances.topk(width, dim=1, largest=False).values
        merged = torch.cat([best[rows], smallest], dim=1)
        best[rows] = merged.topk(keep, dim=1, largest=False).values

    for rows, cols, tile in squared_distance_tiles(x, block_bytes=block_bytes, upper=True):
        fold(rows, tile)
        if cols != rows:
            fold(cols, tile.T)
    return best[:, -1].clone()


@dataclass(frozen=True)
class BallMembership:
    """How real and fake points fall in each other's k-NN balls (one pass over real × fake).

    ``fake_in_real_balls[j]``: how many real balls contain fake j (precision, density);
    ``real_in_fake_ball[i]``: whether any fake ball contains real i (recall);
    ``real_ball_has_fake[i]``: whether real i's own ball contains a fake (coverage).
    """

    fake_in_real_balls: torch.Tensor
    real_in_fake_ball: torch.Tensor
    real_ball_has_fake: torch.Tensor


def ball_membership(
    real: torch.Tensor,
    fake: torch.Tensor,
    real_radii_sq: torch.Tensor,
    fake_radii_sq: torch.Tensor,
    *,
    strict: bool,
    block_bytes: int = BLOCK_BYTES,
) -> BallMembership:
    """Membership of each set in the other's balls; ``strict``: inside means ``d < r``
    (prdc), otherwise ``d <= r`` (Kynkäänniemi et al., torch-fidelity)."""
    inside = torch.lt if strict else torch.le
    counts = torch.zeros(len(fake), dtype=torch.int64, device=real.device)
    covered = torch.zeros(len(real), dtype=torch.bool, device=real.device)
    has_fake = torch.zeros(len(real), dtype=torch.bool, device=real.device)
    flags = torch.empty(0, dtype=torch.bool, device=real.device)
    for rows, cols, tile in squared_distance_tiles(real, fake, block_bytes=block_bytes):
        flags = flags.new_empty(tile.numel()) if flags.numel() < tile.numel() else flags
        mask = flags[: tile.numel()].view(tile.shape)
        inside(tile, real_radii_sq[rows, None], out=mask)  # fake j in real i's ball
        counts[cols] += mask.sum(0)
        has_fake[rows] |= mask.any(1)
        inside(tile, fake_radii_sq[None, cols], out=mask)  # real i in fake j's ball
        covered[rows] |= mask.any(1)
    return BallMembership(counts, covered, has_fake)


def nearest_neighbour_sq(
    query: torch.Tensor, reference: torch.Tensor, *, block_bytes: int = BLOCK_BYTES
) -> tuple[torch.Tensor, torch.Tensor]:
    """For each query row, the squared distance to its nearest reference row and its index."""
    distance = torch.full((len(query),), torch.inf, dtype=torch.float64, device=query.device)
    index = torch.zeros(len(query), dtype=torch.int64, device=query.device)
    for rows, cols, tile in squared_distance_tiles(query, reference, block_bytes=block_bytes):
        values, where = tile.min(1)
        better = values < distance[rows]
        distance[rows] = torch.where(better, values, distance[rows])
        index[rows] = torch.where(better, where + cols.start, index[rows])
    return distance, index
