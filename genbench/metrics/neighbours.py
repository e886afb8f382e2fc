"""Blocked exact k-nearest-neighbour computations: never an N×N matrix in memory.

Squared Euclidean distances are computed tile by tile as ``|x|² + |y|² - 2 x·y``. The k-NN
radii and ball memberships screen with float32 tiles (about twice as fast as float64) and
settle in float64 every comparison the float32 error bound cannot: their results are those
of exact float64 distances ``Σ (x - y)²`` (exactly 0 for copies), whatever the tiling.
:func:`nearest_neighbour_sq`, which returns distances, uses float64 tiles throughout
(clamped at 0, near-duplicate pairs recomputed from their differences). Comparisons are made
on squared distances, which order exactly as the distances do. The tile budget
``block_bytes`` bounds every temporary: a tile of distances (with its masks, for float32
tiles) plus the copies of its rows and columns, in the tile's dtype.

The reference implementations round distances to float32 (prdc through scikit-learn,
torch-fidelity through ``torch.cdist``); float64 gives the exact answer, which equals theirs
unless a distance and a radius agree to within float32 rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch

# The default budget of a pass's working memory: a tile of distances plus the copies of its
# rows and columns (float64: about 850 × 850 tiles at d = 2048; float32: about 1360 × 1360).
BLOCK_BYTES = 32 << 20


def tile_size(dim: int, block_bytes: int = BLOCK_BYTES, itemsize: int = 8, masks: int = 0) -> int:
    """Rows (and columns) T of a square tile: T² entries of ``itemsize + masks`` bytes (the
    distance and its boolean masks) and 2·T·dim row and column values of ``itemsize`` bytes
    fit the budget. The float32 screen's tiles are larger for the same bytes, and at 2
    threads their GEMMs run ~15% faster."""
    a, b = itemsize + masks, 2 * dim * itemsize
    return max(1, int((-b + (b * b + 4 * a * block_bytes) ** 0.5) / (2 * a)))


def _squared_norms(x: torch.Tensor) -> torch.Tensor:
    norms = torch.cat(
        [torch.linalg.vector_norm(b, dim=1, dtype=torch.float64) for b in x.split(256)]
    )
    return norms.square_()


# Below this fraction of |x|² + |y|², ``|x|² + |y|² - 2 x·y`` is mostly cancellation error.
_CLOSE = 1e-6
# Pairs recomputed at a time: their float64 rows (2 × 1 MiB at d = 2048) stay in cache.
_PAIRS = 64


def _pairwise_sum(values: torch.Tensor) -> torch.Tensor:
    """Row sums added in a fixed tree order, in place: the same bits on every device and CPU
    (a library's ``sum`` picks its own order, so float64 radii differed in the last bit
    between CPU and CUDA)."""
    width = values.shape[1]
    while width > 1:
        half = width // 2
        if width % 2:
            values[:, 0] += values[:, width - 1]
        values[:, :half] += values[:, half : 2 * half]
        width = half
    return values[:, 0]


def _exact_sq(x: torch.Tensor, y: torch.Tensor, i: torch.Tensor, j: torch.Tensor) -> torch.Tensor:
    """``Σ (x[i] - y[j])²`` in float64 for index pairs: exactly 0 for copies, no cancellation,
    the same bits on every device."""
    out = torch.empty(len(i), dtype=torch.float64, device=x.device)
    rows = torch.empty(2, min(_PAIRS, len(i)), x.shape[1], dtype=torch.float64, device=x.device)
    for start in range(0, len(i), _PAIRS):
        part = slice(start, start + _PAIRS)
        a, b = rows[:, : len(i[part])]
        a.copy_(x.index_select(0, i[part]))
        b.copy_(y.index_select(0, j[part]))
        out[part] = _pairwise_sum(a.sub_(b).square_())
    return out


def _refine_close_pairs(
    tile: torch.Tensor,
    x: torch.Tensor,
    y: torch.Tensor,
    rows: slice,
    cols: slice,
    x_norms: torch.Tensor,
    y_norms: torch.Tensor,
) -> None:
    """Recompute the near-duplicate pairs of ``x[rows] × y[cols]`` exactly (:func:`_exact_sq`).

    The expansion cancels catastrophically for close points, and duplicates are what the
    memorization metric looks for. The threshold only decides which pairs are recomputed
    (both forms agree to float64 rounding elsewhere); few are, unless a set holds copies.
    """
    threshold = _CLOSE * float(x_norms[rows].max() + y_norms[cols].max())
    i, j = (tile < threshold).nonzero().unbind(1)
    tile[i, j] = _exact_sq(x, y, i + rows.start, j + cols.start)


# Unit roundoff of float32.
_UNIT = 2.0**-24


@dataclass(frozen=True)
class Float32Screen:
    """float32 copies of x and y, centred on x's mean, and the error bound of their tiles.

    Distances do not change under translation, and centring makes the norms, hence the
    error, small. A float32 tile entry differs from the exact squared distance by at most
    ``slack · (|x'|² + |y'|²)`` (x', y': the centred float32 rows): the GEMM accumulation
    over d terms (any order, FMA or not) is within ``d·u·|x'||y'|``, rounding the inputs
    within ``4u``, the norms and the two additions within ``7u``, all times
    ``|x'|² + |y'|²``; the float64 reference value is within ``1e-12`` of it relatively.
    ``slack`` takes ``1.01·d + 32`` units of roundoff, well above their sum ``d + 11``.
    """

    center: torch.Tensor
    x_norms: torch.Tensor
    y_norms: torch.Tensor
    slack: float

    @classmethod
    def of(cls, x: torch.Tensor, y: torch.Tensor | None = None) -> Float32Screen:
        # Any center is exact (a float32 vector is exact in float32 and float64, where the
        # rows are shifted); the mean keeps the norms, hence the bound, small.
        center = x.mean(0).float()
        screen = cls(center, x.new_empty(0), x.new_empty(0), (1.01 * x.shape[1] + 32) * _UNIT)
        x_norms = screen.norms(x)
        y_norms = x_norms if y is None else screen.norms(y)
        return cls(center, x_norms, y_norms, screen.slack)

    def centred(self, source: torch.Tensor, rows: slice, out: torch.Tensor) -> torch.Tensor:
        """float32 ``source[rows] - center``, rounded once to float32: the subtraction runs in
        float64 for float64 sources and in float32 for narrower ones (a float16 subtraction
        would round to float16, far outside the bound)."""
        wide = torch.promote_types(source.dtype, torch.float32)
        return torch.sub(source[rows].to(wide), self.center.to(wide), out=out)

    def norms(self, source: torch.Tensor) -> torch.Tensor:
        """float64 squared norms of the centred float32 rows, exactly as the tiles see them."""
        buffer = torch.empty(min(256, len(source)), source.shape[1], device=source.device)
        exact = torch.empty_like(buffer, dtype=torch.float64)  # float32 is exact in float64
        norms = torch.empty(len(source), dtype=torch.float64, device=source.device)
        for start in range(0, len(source), 256):
            rows = slice(start, min(start + 256, len(source)))
            block = exact[: rows.stop - start].copy_(
                self.centred(source, rows, buffer[: rows.stop - start])
            )
            torch.linalg.vector_norm(block, dim=1, out=norms[rows])
        return norms.square_()

    def row_error(self) -> torch.Tensor:
        """Bound of every error in row i (float64, one per x row)."""
        return self.slack * (self.x_norms + self.y_norms.max())

    def col_error(self) -> torch.Tensor:
        """Bound of every error in column j (float64, one per y row)."""
        return self.slack * (self.x_norms.max() + self.y_norms)


@contextmanager
def _ieee_float32_products() -> Iterator[None]:
    """The error bound needs true float32 GEMMs: no TF32 or bfloat16 shortcuts."""
    previous = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("highest")
    try:
        yield
    finally:
        torch.set_float32_matmul_precision(previous)


def _equal_block(n: int, most: int) -> int:
    """The size of the fewest equal blocks of at most ``most`` rows that cover ``n``: no
    thin, slow GEMMs at the edges (5000 rows, at most 1365: 4 × 1250, not 3 × 1365 + 905)."""
    count = -(-n // most)
    return -(-n // count)


def squared_distance_tiles(
    x: torch.Tensor,
    y: torch.Tensor | None = None,
    *,
    block_bytes: int = BLOCK_BYTES,
    upper: bool = False,
    screen: Float32Screen | None = None,
) -> Iterator[tuple[slice, slice, torch.Tensor]]:
    """Yield ``(rows, cols, D)`` with ``D[i, j] = |x[rows][i] - y[cols][j]|²``.

    ``y=None`` means ``y = x`` (the diagonal is exactly 0); ``upper`` then yields only the
    tiles on or above the diagonal, for symmetric computations. Without ``screen``, D is
    float64; with it, D is float32, within ``screen``'s bound of the exact value. All tiles
    share one set of buffers, allocated once: consume ``D`` before asking for the next tile.
    """
    same = y is None
    other = x if y is None else y
    dtype = torch.float64 if screen is None else torch.float32
    load: Callable[[torch.Tensor, slice, torch.Tensor], torch.Tensor]
    if screen is None:
        x_norms = _squared_norms(x)
        y_norms = x_norms if same else _squared_norms(other)

        def load(source: torch.Tensor, rows: slice, out: torch.Tensor) -> torch.Tensor:
            return out.copy_(source[rows])

    else:
        x_norms, y_norms = screen.x_norms.float(), screen.y_norms.float()
        load = screen.centred
    # float64 tiles: values only; float32 tiles: plus the two masks of ball_membership.
    size = tile_size(x.shape[1], block_bytes, *((8, 0) if screen is None else (4, 2)))
    buffers = torch.empty(size * (size + 2 * x.shape[1]), dtype=dtype, device=x.device)
    tile_buffer, block_buffers = buffers[: size * size], buffers[size * size :]
    x_buffer, y_buffer = block_buffers.view(2, size, x.shape[1]).unbind(0)
    row_size, col_size = _equal_block(len(x), size), _equal_block(len(other), size)
    with _ieee_float32_products():
        for r0 in range(0, len(x), row_size):
            rows = slice(r0, min(r0 + row_size, len(x)))
            # -2x: the GEMM gives -2 x·y, exactly (a power of two scales every partial sum),
            # which saves a pass over each tile.
            x_block = load(x, rows, x_buffer[: rows.stop - r0]).mul_(-2)
            for c0 in range(r0 if same and upper else 0, len(other), col_size):
                cols = slice(c0, min(c0 + col_size, len(other)))
                diagonal = same and c0 == r0
                y_block = x_block if diagonal else load(other, cols, y_buffer[: cols.stop - c0])
                tile = tile_buffer[: len(x_block) * len(y_block)].view(len(x_block), len(y_block))
                torch.mm(x_block, y_block.T, out=tile)
                if diagonal:
                    tile.mul_(-0.5)  # (-2x)·(-2x) = 4 x·x, exactly
                tile.add_(x_norms[rows, None]).add_(y_norms[None, cols])
                if screen is None:  # the float32 screen's bound covers negative values
                    tile.clamp_(min=0)
                    if diagonal:
                        tile.fill_diagonal_(torch.inf)  # not a pair to refine; exactly 0 below
                    _refine_close_pairs(tile, x, other, rows, cols, x_norms, y_norms)
                if diagonal:
                    tile.fill_diagonal_(0)
                yield rows, cols, tile


# Float32 candidates kept per row beyond the k+1 nearest: room for those the error bound
# cannot separate from them. A row that needs more is recomputed exactly (slow, rare).
_SPARE = 4


def kth_neighbour_sq(x: torch.Tensor, k: int, *, block_bytes: int = BLOCK_BYTES) -> torch.Tensor:
    """Squared distance from each point to its k-th nearest other point, float64 (n,).

    As prdc and torch-fidelity define it: the (k+1)-th smallest distance of a row that
    includes the point itself (at 0), so duplicates count as neighbours at distance 0.
    Symmetry halves the work: each off-diagonal tile serves its rows and its columns.
    The float32 screen keeps each row's nearest candidates; :func:`_exact_kth` settles them.
    """
    keep = min(k + 1 + _SPARE, len(x))
    screen = Float32Screen.of(x)
    values = torch.full((len(x), keep), torch.inf, dtype=torch.float32, device=x.device)
    index = torch.zeros((len(x), keep), dtype=torch.int64, device=x.device)

    def fold(rows: slice, offset: int, distances: torch.Tensor) -> None:
        top = distances.topk(min(keep, distances.shape[1]), dim=1, largest=False)
        merged = torch.cat([values[rows], top.values], dim=1)
        merged_index = torch.cat([index[rows], top.indices + offset], dim=1)
        best = merged.topk(keep, dim=1, largest=False)  # sorted, nearest first
        values[rows] = best.values
        index[rows] = merged_index.gather(1, best.indices)

    tiles = squared_distance_tiles(x, block_bytes=block_bytes, upper=True, screen=screen)
    for rows, cols, tile in tiles:
        fold(rows, cols.start, tile)
        if cols != rows:
            fold(cols, rows.start, tile.T)
    return _exact_kth(x, k, values.double(), index, 2 * screen.row_error(), block_bytes)


def _exact_kth(
    x: torch.Tensor,
    k: int,
    screened: torch.Tensor,
    index: torch.Tensor,
    spread: torch.Tensor,
    block_bytes: int,
) -> torch.Tensor:
    """The (k+1)-th smallest exact squared distance of each row, from its float32 candidates.

    ``screened`` (n, keep): each row's smallest float32 distances, ascending, at columns
    ``index``; each is within ``spread / 2`` of the exact value. No entry whose exact value
    is at or below the answer screens above ``limit`` (the (k+1)-th screened value plus
    ``spread``), and a leading run of candidates followed by a gap wider than ``spread`` is
    exactly below all others, so only the candidates after that run are recomputed.
    """
    n, keep = screened.shape
    limit = screened[:, k] + spread
    gaps = screened[:, 1 : k + 1] - screened[:, :k] > spread[:, None]
    settled = (gaps * torch.arange(1, k + 1, device=x.device)).amax(1)
    ranks = torch.arange(keep, device=x.device)
    needed = (screened <= limit[:, None]) & (ranks >= settled[:, None])
    rows, slots = needed.nonzero().unbind(1)
    exact = torch.full_like(screened, torch.inf)
    exact[rows, slots] = _exact_sq(x, x, rows, index[rows, slots])
    radius = exact.sort(1).values.gather(1, (k - settled)[:, None]).squeeze(1)
    # Rows whose kept candidates may not be all: the whole row, exactly.
    short = (screened[:, -1] <= limit) & (keep < n)
    chunk = max(1, block_bytes // (8 * x.shape[1]))
    for row in short.nonzero().flatten().tolist():
        columns = torch.arange(n, device=x.device)
        distances = torch.cat(
            [_exact_sq(x, x, part * 0 + row, part) for part in columns.split(chunk)]
        )
        radius[row] = distances.kthvalue(k + 1).values
    return radius


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


def _float32_bracket(radii_sq: torch.Tensor, error: torch.Tensor) -> torch.Tensor:
    """float32 (lo, hi) per radius with ``lo <= r - error`` and ``hi >= r + error``: a float32
    distance below lo is surely inside the ball, one above hi surely outside."""
    infinity = radii_sq.new_tensor(torch.inf, dtype=torch.float32)
    lo = torch.nextafter((radii_sq - error).float(), -infinity)
    hi = torch.nextafter((radii_sq + error).float(), infinity)
    return torch.stack([lo, hi])


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
    (prdc), otherwise ``d <= r`` (Kynkäänniemi et al., torch-fidelity).

    Float32 tiles decide every comparison their error bound can; the others are made on
    exact float64 distances against the float64 radii.
    """
    inside = torch.lt if strict else torch.le
    screen = Float32Screen.of(real, fake)
    real_bracket = _float32_bracket(real_radii_sq, screen.row_error())[:, :, None]
    fake_bracket = _float32_bracket(fake_radii_sq, screen.col_error())[:, None, :]
    counts = torch.zeros(len(fake), dtype=torch.int64, device=real.device)
    covered = torch.zeros(len(real), dtype=torch.bool, device=real.device)
    has_fake = torch.zeros(len(real), dtype=torch.bool, device=real.device)
    flags = torch.empty(0, dtype=torch.bool, device=real.device)

    def decide(
        rows: slice,
        cols: slice,
        tile: torch.Tensor,
        bracket: torch.Tensor,
        radii: torch.Tensor,
        known_rows: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Mask of the tile's pairs inside the balls of ``radii`` (broadcast to the tile).

        ``known_rows``: rows for which only "any pair inside" matters, and which already
        have one; the undecided pairs of those rows, or of rows with a sure pair here, are
        left unsettled (False).
        """
        sure, maybe = flags[: 2 * tile.numel()].view(2, *tile.shape)
        torch.lt(tile, bracket[0], out=sure)
        torch.le(tile, bracket[1], out=maybe)
        maybe ^= sure  # sure implies maybe: what is left is undecided
        # Undecided pairs are rare: look for them in the rows that have some (uint8 views:
        # bool reductions are slow).
        some = maybe.view(torch.uint8).amax(1).nonzero().squeeze(1)
        if len(some):
            i, j = maybe[some].nonzero().unbind(1)
            i = some[i]
            if known_rows is not None:
                known = known_rows | sure.view(torch.uint8).amax(1).bool()
                keep = ~known[i]
                i, j = i[keep], j[keep]
            exact = _exact_sq(real, fake, i + rows.start, j + cols.start)
            sure[i, j] = inside(exact, radii.expand(tile.shape)[i, j])
        return sure

    tiles = squared_distance_tiles(real, fake, block_bytes=block_bytes, screen=screen)
    for rows, cols, tile in tiles:
        flags = flags.new_empty(2 * tile.numel()) if flags.numel() < 2 * tile.numel() else flags
        mask = decide(rows, cols, tile, real_bracket[:, rows], real_radii_sq[rows, None])
        counts[cols] += mask.view(torch.uint8).sum(0, dtype=torch.int32)  # fake j in real i's ball
        has_fake[rows] |= mask.view(torch.uint8).amax(1).bool()
        mask = decide(
            rows, cols, tile, fake_bracket[:, :, cols], fake_radii_sq[None, cols], covered[rows]
        )
        covered[rows] |= mask.view(torch.uint8).amax(1).bool()  # real i in any fake ball
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
