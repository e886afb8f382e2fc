"""Fréchet distance: closed forms, streaming statistics, and agreement with the references."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from genbench.errors import GenbenchError
from genbench.metrics import (
    GaussianStats,
    fid_from_features,
    frechet_distance,
    statistics_distance,
)

# One thread: on 2 shared cores, more threads only contend.
torch.set_num_threads(1)


def _features(n: int, d: int, seed: int, shift: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mixing = rng.standard_normal((d, d)) / np.sqrt(d)
    return (rng.standard_normal((n, d)) @ mixing + shift).astype(np.float32)


def _random_spd(d: int, seed: int) -> np.ndarray:
    a = np.random.default_rng(seed).standard_normal((d, 2 * d))
    return a @ a.T / (2 * d)


def test_diagonal_gaussians_match_the_closed_form():
    mu1, mu2 = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0])
    var1, var2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 0.25])
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(var1) - np.sqrt(var2)) ** 2)
    assert frechet_distance(mu1, np.diag(var1), mu2, np.diag(var2)) == pytest.approx(expected)


def test_rotated_gaussians_keep_their_distance():
    """FD is invariant under a common rotation; with commuting covariances it is known."""
    q = np.linalg.qr(np.random.default_rng(0).standard_normal((6, 6)))[0]
    var1, var2 = np.arange(1.0, 7.0), np.arange(6.0, 0.0, -1.0)
    expected = np.sum((np.sqrt(var1) - np.sqrt(var2)) ** 2) + 6 * 0.5**2
    got = frechet_distance(
        np.zeros(6), q @ np.diag(var1) @ q.T, q @ np.full(6, 0.5), q @ np.diag(var2) @ q.T
    )
    assert got == pytest.approx(expected, rel=1e-12)


def test_identical_sets_score_zero_and_order_does_not_matter():
    real, fake = _features(400, 32, 0), _features(500, 32, 1, shift=0.3)
    assert abs(fid_from_features(real, real)) < 1e-9
    assert fid_from_features(real, fake) == pytest.approx(fid_from_features(fake, real), rel=1e-10)
    assert fid_from_features(real, fake) > 1.0


def test_torch_and_numpy_inputs_agree():
    real, fake = _features(200, 16, 0), _features(220, 16, 1, shift=0.1)
    assert fid_from_features(torch.from_numpy(real), torch.from_numpy(fake)) == pytest.approx(
        fid_from_features(real, fake), rel=1e-12
    )


def test_streaming_statistics_do_not_depend_on_batching_or_merging():
    x = _features(1000, 24, 2).astype(np.float64)
    whole = GaussianStats.from_features(x)
    batched = GaussianStats()
    for start in range(0, 1000, 137):
        batched.update(x[start : start + 137])
    left, right = GaussianStats.from_features(x[:333]), GaussianStats.from_features(x[333:])
    merged = left.merge(right)
    np.testing.assert_allclose(whole.mean, x.mean(0), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(whole.cov, np.cov(x, rowvar=False), rtol=1e-11, atol=1e-14)
    for other in (batched, merged, GaussianStats.from_state(merged.state())):
        assert other.count == 1000
        np.testing.assert_allclose(other.mean, whole.mean, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(other.cov, whole.cov, rtol=1e-11, atol=1e-14)


def test_fewer_samples_than_dimensions_is_finite_and_warns():
    real, fake = _features(20, 64, 0), _features(25, 64, 1, shift=0.2)
    with pytest.warns(RuntimeWarning, match="singular"):
        value = fid_from_features(real, fake)
    assert np.isfinite(value) and value > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert abs(fid_from_features(real, real)) < 1e-8


def test_bad_statistics_are_refused():
    sigma = np.eye(3)
    with pytest.raises(GenbenchError, match="dimensions"):
        frechet_distance(np.zeros(3), sigma, np.zeros(4), np.eye(4))
    with pytest.raises(GenbenchError, match="does not match"):
        frechet_distance(np.zeros(3), np.eye(2), np.zeros(3), sigma)
    with pytest.raises(GenbenchError, match="NaN or inf"):
        frechet_distance(np.array([0.0, np.nan, 0.0]), sigma, np.zeros(3), sigma)
    with pytest.raises(GenbenchError, match="at least 2 samples"):
        statistics_distance(GaussianStats.from_features(np.ones((1, 3))), GaussianStats())
    with pytest.raises(GenbenchError, match="dimensions"):
        GaussianStats().update(np.ones((4, 3))).update(np.ones((4, 5)))


@pytest.mark.reference
def test_equals_pytorch_fid_and_torch_fidelity():
    from pytorch_fid.fid_score import calculate_frechet_distance
    from torch_fidelity.metric_fid import fid_statistics_to_metric

    for d, seed in ((64, 0), (128, 1)):
        mu1, mu2 = np.random.default_rng(seed).standard_normal((2, d))
        s1, s2 = _random_spd(d, seed), _random_spd(d, seed + 10)
        ours = frechet_distance(mu1, s1, mu2, s2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # sqrtm(disp=) on SciPy 1.17
            reference = calculate_frechet_distance(mu1, s1, mu2, s2)
        fidelity = fid_statistics_to_metric(
            {"mu": mu1, "sigma": s1}, {"mu": mu2, "sigma": s2}, False
        )
        assert ours == pytest.approx(reference, rel=1e-6)
        assert ours == pytest.approx(fidelity["frechet_inception_distance"], rel=1e-6)


@pytest.mark.reference
def test_fid_from_features_equals_pytorch_fid_statistics():
    from pytorch_fid.fid_score import calculate_frechet_distance

    real, fake = _features(300, 64, 3), _features(320, 64, 4, shift=0.2)
    mu1, s1 = real.astype(np.float64).mean(0), np.cov(real.astype(np.float64), rowvar=False)
    mu2, s2 = fake.astype(np.float64).mean(0), np.cov(fake.astype(np.float64), rowvar=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        reference = calculate_frechet_distance(mu1, s1, mu2, s2)
    assert fid_from_features(real, fake) == pytest.approx(reference, rel=1e-6)
