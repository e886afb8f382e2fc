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
            seen.append(tile.numel())
            yield rows, cols, tile

    monkeypatch.setattr(neighbours, "squared_distance_tiles", spy)
    real, fake = _sets(500, 400, 8)
    budget = 8 * 100 * 100
    prdc(real, fake, block_bytes=budget)
    assert seen and max(seen) * 8 <= budget
    assert max(seen) < 400 * 400 / 10  # nothing close to an N×N matrix


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
