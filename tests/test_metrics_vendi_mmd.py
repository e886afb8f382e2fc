"""Vendi score and RBF-kernel MMD: brute force, closed forms, and the reference packages."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from genbench.errors import GenbenchError
from genbench.metrics import kernels, median_bandwidth, mmd2_unbiased, rbf_mmd, vendi_score

# One thread: on 2 shared cores, more threads only contend.
torch.set_num_threads(1)


def _draw(n: int, seed: int, d: int = 6, shift: float = 0.0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, d)) + shift


def _brute_vendi(x: np.ndarray) -> float:
    """The definition: eigenvalues of the n × n cosine-similarity matrix over n."""
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    eigenvalues = np.linalg.eigvalsh(unit @ unit.T / len(x))
    eigenvalues = eigenvalues[eigenvalues > 1e-15]
    return float(np.exp(-(eigenvalues * np.log(eigenvalues)).sum()))


def test_vendi_matches_the_definition_and_its_closed_forms():
    x = _draw(50, 0)
    assert vendi_score(x) == pytest.approx(_brute_vendi(x), rel=1e-10)
    assert vendi_score(np.tile([[1.0, 2.0, 3.0]], (10, 1))) == pytest.approx(1.0)
    assert vendi_score(np.eye(7) * 3.0) == pytest.approx(7.0)  # orthogonal: all distinct
    # two equal halves of orthogonal directions: 2 effective samples
    assert vendi_score(np.repeat(np.eye(2), 9, axis=0)) == pytest.approx(2.0)
    with pytest.raises(GenbenchError, match="1 of 3 rows are all zero"):
        vendi_score(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]))


@pytest.mark.reference
def test_vendi_matches_the_vendi_score_package():
    vendi = pytest.importorskip("vendi_score.vendi")
    x = _draw(40, 1, d=12)
    assert vendi_score(x) == pytest.approx(vendi.score_dual(x), rel=1e-10)
    assert vendi_score(x) == pytest.approx(vendi.score_X(x), rel=1e-10)


def _brute_mmd(x: np.ndarray, y: np.ndarray, sigma: float) -> float:
    """CMMD's formula, entry by entry: 1000 (mean k_xx + mean k_yy - 2 mean k_xy)."""

    def mean_kernel(a: np.ndarray, b: np.ndarray) -> float:
        squared = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        return float(np.exp(-squared / (2 * sigma**2)).mean())

    return 1000 * (mean_kernel(x, x) + mean_kernel(y, y) - 2 * mean_kernel(x, y))


def test_rbf_mmd_matches_cmmd_formula_computed_by_brute_force():
    x, y = _draw(70, 2), _draw(45, 3, shift=0.4)
    assert rbf_mmd(x, y, sigma=2.0) == pytest.approx(_brute_mmd(x, y, 2.0), rel=1e-10)
    assert rbf_mmd(x, y) == pytest.approx(_brute_mmd(x, y, 10.0), rel=1e-10)  # CMMD's σ
    assert rbf_mmd(x, x, sigma=2.0) == pytest.approx(0.0, abs=1e-12)
    # tiles smaller than the sets give the same sum
    tiled = kernels.mmd2(
        torch.from_numpy(x),
        torch.from_numpy(y),
        kernels.gaussian(2.0),
        torch.ones(1, 70),
        torch.ones(1, 45),
        unbiased=False,
        block_bytes=4096,
    )
    assert 1000 * float(tiled[0]) == pytest.approx(_brute_mmd(x, y, 2.0), rel=1e-10)
    with pytest.raises(GenbenchError, match="bandwidth must be positive"):
        rbf_mmd(x, y, sigma=0.0)


@pytest.mark.reference
def test_rbf_mmd_matches_the_clip_mmd_package():
    calculation = pytest.importorskip("clip_mmd.calculation")
    x, y = _draw(60, 4, d=16), _draw(60, 5, d=16, shift=0.2)
    # the package's sigma is 10, as the CMMD paper's
    expected = float(calculation.mmd(torch.from_numpy(x), torch.from_numpy(y)))
    assert rbf_mmd(x, y) == pytest.approx(expected, rel=1e-10)


def test_median_bandwidth_is_the_median_pairwise_distance():
    x = _draw(41, 6)
    distances = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))[np.triu_indices(41, 1)]
    assert median_bandwidth(x) == pytest.approx(np.median(distances), rel=1e-12)


def test_weighted_mmd_is_the_estimator_on_the_resample_with_its_duplicates():
    """A weight row counts each point as often as a bootstrap draws it: the same as the
    estimator on the materialised resample, duplicates and all."""
    x, y = _draw(30, 7), _draw(20, 8, shift=0.3)
    rng = np.random.default_rng(9)
    x_draws, y_draws = rng.integers(0, 30, 30), rng.integers(0, 20, 20)
    x_w = torch.from_numpy(np.bincount(x_draws, minlength=30))[None]
    y_w = torch.from_numpy(np.bincount(y_draws, minlength=20))[None]
    kernel = kernels.polynomial(6)
    x_t, y_t = torch.from_numpy(x), torch.from_numpy(y)
    # KID's unbiased estimator on equal-size sets, the pairs of a draw with itself left out
    same = kernels.mmd2(x_t[:20], y_t, kernel, torch.ones(1, 20), torch.ones(1, 20), unbiased=True)
    assert float(same[0]) == pytest.approx(mmd2_unbiased(x_t[:20], y_t), rel=1e-12)
    weighted = kernels.mmd2(x_t, y_t, kernel, x_w, y_w, unbiased=True, block_bytes=2048)
    a, b = x[x_draws], y[y_draws]

    def u_mean(p: np.ndarray) -> float:
        k = (p @ p.T / 6 + 1) ** 3
        return float((k.sum() - np.trace(k)) / (len(p) * (len(p) - 1)))

    cross = float(((a @ b.T / 6 + 1) ** 3).mean())
    assert float(weighted[0]) == pytest.approx(u_mean(a) + u_mean(b) - 2 * cross, rel=1e-10)
