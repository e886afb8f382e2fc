"""Precision/recall/density/coverage: the prdc package's and torch-fidelity's exact values,
from blocked k-NN whose tiles never grow with the number of samples."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
import torch

from genbench.errors import GenbenchError
from genbench.metrics import neighbours, prdc, precision_recall

# One thread: on 2 shared cores, more threads only contend.
torch.set_num_threads(1)

# (n_real, n_fake, d): the usual case and one with fewer samples than dimensions.
SHAPES = [(300, 320, 64), (120, 90, 200)]


def _sets(n_real: int, n_fake: int, d: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    real = rng.standard_normal((n_real, d)).astype(np.float32)
    fake = (rng.standard_normal((n_fake, d)) * 1.15 + 0.1).astype(np.float32)
    return real, fake


def _tile_budget(n: int) -> int:
    """A budget whose tiles are smaller than the sets, so blocking is exercised."""
    return 8 * (n // 3) ** 2


def test_brute_force_definitions_on_a_small_case():
    real, fake = _sets(40, 50, 5)
    r, f = torch.from_numpy(real).double(), torch.from_numpy(fake).double()
    d_rf, d_rr, d_ff = torch.cdist(r, f), torch.cdist(r, r), torch.cdist(f, f)
    k = 5
    r_real, r_fake = d_rr.kthvalue(k + 1, 1).values, d_ff.kthvalue(k + 1, 1).values
    expected = {
        "precision": float((d_rf < r_real[:, None]).any(0).double().mean()),
        "recall": float((d_rf < r_fake[None, :]).any(1).double().mean()),
        "density": float((d_rf < r_real[:, None]).sum(0).double().mean() / k),
        "coverage": float((d_rf.min(1).values < r_real).double().mean()),
    }
    got = prdc(real, fake, k=k, block_bytes=8 * 16 * 16)
    assert got == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("block", [8 * 40 * 40, 8 * 64 * 64])
def test_values_do_not_depend_on_the_tile_size(block):
    real, fake = _sets(150, 170, 12)
    assert prdc(real, fake, block_bytes=block) == prdc(real, fake)
    assert precision_recall(real, fake, block_bytes=block) == precision_recall(real, fake)


def test_tiles_stay_within_the_budget(monkeypatch):
    seen = []
    tiles = neighbours.squared_distance_tiles

    def spy(*args, **kwargs):
        for rows, cols, tile in tiles(*args, **kwargs):
            seen.append(tile.numel() * tile.element_size())
            yield rows, cols, tile

    monkeypatch.setattr(neighbours, "squared_distance_tiles", spy)
    real, fake = _sets(500, 400, 8)
    budget = 8 * 100 * 100
    prdc(real, fake, block_bytes=budget)
    assert seen and max(seen) <= budget
    assert max(seen) < 400 * 400 * 4 / 10  # nothing close to an N×N matrix


def test_identical_sets_are_fully_precise_and_covered():
    real, _ = _sets(200, 1, 16)
    values = prdc(real, real)
    assert values["precision"] == values["recall"] == values["coverage"] == 1.0
    assert precision_recall(real, real) == {"precision": 1.0, "recall": 1.0}


def test_disjoint_sets_have_no_precision_or_recall():
    real, fake = _sets(100, 100, 8)
    values = prdc(real, fake + 100.0)
    assert values == {"precision": 0.0, "recall": 0.0, "density": 0.0, "coverage": 0.0}


def test_too_few_samples_for_k():
    real, fake = _sets(5, 20, 4)
    with pytest.raises(GenbenchError, match="k=5 nearest neighbours need at least 6"):
        prdc(real, fake, k=5)
    with pytest.raises(GenbenchError, match="positive integer"):
        precision_recall(fake, fake, k=0)


@pytest.mark.reference
@pytest.mark.parametrize(("n_real", "n_fake", "d"), SHAPES)
def test_prdc_equals_the_prdc_package(n_real, n_fake, d):
    from prdc import compute_prdc

    real, fake = _sets(n_real, n_fake, d)
    with contextlib.redirect_stdout(io.StringIO()):  # it prints the set sizes
        expected = compute_prdc(real, fake, nearest_k=5)
    got = prdc(real, fake, k=5, block_bytes=_tile_budget(n_real))
    assert got == {key: float(value) for key, value in expected.items()}


@pytest.mark.reference
@pytest.mark.parametrize(("n_real", "n_fake", "d"), SHAPES)
def test_precision_recall_equals_torch_fidelity(n_real, n_fake, d):
    from torch_fidelity.metric_prc import calculate_precision_recall_full

    real, fake = _sets(n_real, n_fake, d)
    # torch-fidelity's input 1 is the generated set; it averages in float32.
    precision, recall = calculate_precision_recall_full(
        torch.from_numpy(fake), torch.from_numpy(real), neighborhood=3, batch_size=64
    )
    got = precision_recall(real, fake, k=3, block_bytes=_tile_budget(n_real))
    assert round(got["precision"] * n_fake) == round(precision * n_fake)
    assert round(got["recall"] * n_real) == round(recall * n_real)
    assert got["precision"] == pytest.approx(precision, abs=1e-6)
    assert got["recall"] == pytest.approx(recall, abs=1e-6)


# ---------------------------------------------------------------- the float32 screen
# Tiles are float32; every comparison their error bound cannot settle is made on exact
# float64 distances. These sets are built so that many cannot be settled: the results must
# still be those of float64 distances between all pairs, bit for bit.


def _exact_matrix(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """float64 ``Σ (x - y)²`` for every pair, with no screen: the values to reproduce."""
    i, j = torch.cartesian_prod(torch.arange(len(x)), torch.arange(len(y))).unbind(1)
    return neighbours._exact_sq(x, y, i, j).view(len(x), len(y))


def _screened_and_brute(real: torch.Tensor, fake: torch.Tensor, k: int, strict: bool) -> None:
    block = 8 * 40 * (40 + 2 * real.shape[1])  # 40 × 40 tiles
    r_real = neighbours.kth_neighbour_sq(real, k, block_bytes=block)
    r_fake = neighbours.kth_neighbour_sq(fake, k, block_bytes=block)
    got = neighbours.ball_membership(real, fake, r_real, r_fake, strict=strict, block_bytes=block)
    expected_real = _exact_matrix(real, real).kthvalue(k + 1, 1).values
    expected_fake = _exact_matrix(fake, fake).kthvalue(k + 1, 1).values
    assert torch.equal(r_real, expected_real)
    assert torch.equal(r_fake, expected_fake)
    inside = torch.lt if strict else torch.le
    cross = _exact_matrix(real, fake)
    in_real_balls = inside(cross, expected_real[:, None])
    assert torch.equal(got.fake_in_real_balls, in_real_balls.sum(0))
    assert torch.equal(got.real_ball_has_fake, in_real_balls.any(1))
    assert torch.equal(got.real_in_fake_ball, inside(cross, expected_fake[None, :]).any(1))


@pytest.fixture
def recomputed(monkeypatch):
    """Counts the pairs the screen could not settle (so a test cannot pass vacuously)."""
    count = {"pairs": 0}
    exact = neighbours._exact_sq

    def spy(x, y, i, j):
        count["pairs"] += len(i)
        return exact(x, y, i, j)

    monkeypatch.setattr(neighbours, "_exact_sq", spy)
    return count


@pytest.mark.parametrize("strict", [True, False])
def test_screen_on_duplicated_points(recomputed, strict):
    # 25 distinct points, each 1 to 14 times in a set: radii of 0, runs of ties longer than
    # the candidates a row keeps, and fakes that copy reals.
    rng = np.random.default_rng(1)
    base = torch.from_numpy(rng.standard_normal((25, 48)).astype(np.float32))
    real = base[torch.from_numpy(rng.integers(0, 25, 170))]
    fake = torch.cat([base[torch.from_numpy(rng.integers(0, 25, 100))], real[:30] + 0.5])
    _screened_and_brute(real, fake, 5, strict)
    assert recomputed["pairs"] > 0


@pytest.mark.parametrize("strict", [True, False])
def test_screen_on_exactly_equal_distances(recomputed, strict):
    # Points of a small integer lattice: distances are small integers, exact in float32 and
    # float64 alike, so many equal a radius exactly and only the comparison decides.
    rng = np.random.default_rng(2)
    real = torch.from_numpy(rng.integers(0, 3, (160, 6)).astype(np.float32))
    fake = torch.from_numpy(rng.integers(0, 3, (140, 6)).astype(np.float32))
    _screened_and_brute(real, fake, 5, strict)
    _screened_and_brute(real, fake, 3, strict)
    assert recomputed["pairs"] > 0


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_screen_on_large_norm_near_ties(recomputed, dtype):
    # Large norms (where float32 error is largest) and fakes placed on real points' k-NN
    # spheres, at relative offsets far below float32 resolution.
    rng = np.random.default_rng(3)
    offset = 1e4 if dtype == torch.float32 else 1e7
    real = torch.from_numpy(rng.standard_normal((150, 40)) + offset).to(dtype)
    radii = _exact_matrix(real, real).kthvalue(6, 1).values.sqrt()
    direction = torch.nn.functional.normalize(torch.randn(60, 40, dtype=torch.float64), dim=1)
    scale = 1 + torch.tensor([-1e-9, 0.0, 1e-9]).repeat(20).double()
    fake = (real[:60].double() + direction * (radii[:60] * scale)[:, None]).to(dtype)
    fake = torch.cat([fake, real[60:90]])
    for strict in (True, False):
        _screened_and_brute(real, fake, 5, strict)
    assert recomputed["pairs"] > 0


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_screen_on_half_precision_features(dtype):
    # Half-precision rows minus a float32 center must round once, to float32: rounding to
    # their own dtype broke the error bound and changed density, coverage and the radii.
    rng = np.random.default_rng(5)
    real = torch.from_numpy(rng.standard_normal((300, 64)) + 0.3).to(dtype)
    fake = torch.from_numpy(rng.standard_normal((250, 64)) * 1.1 + 0.3).to(dtype)
    for strict in (True, False):
        _screened_and_brute(real, fake, 5, strict)


def test_float32_tiles_stay_within_the_error_bound():
    # The bound is what makes the screen exact: check it on d = 2048, large means, mixed
    # scales and copies, where float32 GEMM accumulation error is largest.
    rng = np.random.default_rng(4)
    x = rng.standard_normal((96, 2048)) * rng.uniform(0.01, 30, (96, 1)) + 50
    x[10:20] = x[0]
    x = torch.from_numpy(x.astype(np.float32))
    y = torch.from_numpy(np.abs(rng.standard_normal((80, 2048)) * 40).astype(np.float32))
    for first, second in ((x, None), (x, y), (y, x)):
        other = first if second is None else second
        screen = neighbours.Float32Screen.of(first, second)
        exact = _exact_matrix(first, other)
        bound = screen.slack * (screen.x_norms[:, None] + screen.y_norms[None, :])
        for rows, cols, tile in neighbours.squared_distance_tiles(
            first, second, block_bytes=8 * 32 * (32 + 2 * 2048), screen=screen
        ):
            error = (tile.double() - exact[rows, cols]).abs()
            assert tile.dtype == torch.float32
            assert bool((error <= bound[rows, cols]).all())
