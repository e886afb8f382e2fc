"""FD∞ and bootstrap intervals: seeded, and centred where they should be."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from genbench.errors import GenbenchError
from genbench.metrics import (
    bootstrap,
    bootstrap_fid,
    bootstrap_precision_recall,
    fd_infinity,
    fid_from_features,
    precision_recall,
)
from genbench.metrics.bootstrap import Resampling

# One thread: on 2 shared cores, more threads only contend.
torch.set_num_threads(1)


def _draw(n: int, seed: int, shift: float = 0.0, d: int = 8) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, d)) + shift


def test_fd_infinity_removes_the_finite_sample_bias():
    """Real statistics from many samples, fakes from the same law: FD(N) is mostly 1/N bias
    (what remains is the bias of the real statistics, about d²/(2·20000))."""
    real, fake = _draw(20000, 0, d=32), _draw(2000, 1, d=32)
    finite = fid_from_features(real, fake)
    result = fd_infinity(real, fake, seed=0)
    assert abs(result["fd_inf"]) < finite / 3
    assert result["slope"] > 0
    assert fd_infinity(real, fake, seed=0) == result


def test_fd_infinity_keeps_a_real_gap():
    real, fake = _draw(20000, 0), _draw(2000, 1, shift=1.0)  # FD = 8 in the limit
    assert fd_infinity(real, fake)["fd_inf"] == pytest.approx(8.0, rel=0.1)
    with pytest.raises(GenbenchError, match="two distinct subset sizes"):
        fd_infinity(real, fake, sizes=[100, 100])


def test_bootstrap_fid_interval_is_seeded_and_brackets_the_estimate():
    real, fake = _draw(400, 0), _draw(400, 1, shift=0.3)
    low, high = bootstrap_fid(real, fake, resamples=40, seed=3)
    assert (low, high) == bootstrap_fid(real, fake, resamples=40, seed=3)
    assert low < fid_from_features(real, fake) < high
    with pytest.raises(GenbenchError, match="confidence level"):
        bootstrap_fid(real, fake, level=1.5)


def test_bootstrap_precision_recall_brackets_the_estimate_and_narrows_with_n():
    real, fake = _draw(600, 0), _draw(600, 1, shift=0.5)
    point = precision_recall(real, fake)
    wide = bootstrap_precision_recall(real[:150], fake[:150], seed=1)
    narrow = bootstrap_precision_recall(real, fake, seed=1)
    assert narrow == bootstrap_precision_recall(real, fake, seed=1)
    for name in ("precision", "recall"):
        low, high = narrow[name]
        assert low <= point[name] <= high
        assert high - low < wide[name][1] - wide[name][0]


def test_resampling_draws_are_seeded_and_the_reference_draws_shared_by_every_row():
    first = Resampling(resamples=30, reference_seed=4, sample_seed=0)
    other_row = Resampling(resamples=30, reference_seed=4, sample_seed=1)
    assert np.array_equal(first.reference_counts(50), other_row.reference_counts(50))
    assert not np.array_equal(first.sample_counts(50), other_row.sample_counts(50))
    assert np.array_equal(first.sample_counts(50), Resampling(30, sample_seed=0).sample_counts(50))
    # the two streams differ even with equal seeds and sizes
    assert not np.array_equal(first.reference_counts(50), Resampling(30).sample_counts(50))
    counts = first.sample_counts(50)
    assert counts.shape == (30, 50) and (counts.sum(1) == 50).all()
    with pytest.raises(GenbenchError, match="at least 2 resamples"):
        Resampling(resamples=1)


def _materialised(values: np.ndarray, counts: np.ndarray) -> list[np.ndarray]:
    """Each resample as an array, every point repeated as often as drawn."""
    return [np.repeat(values, row, axis=0) for row in counts]


def test_replicates_equal_the_statistics_of_the_materialised_resamples():
    real, fake = _draw(60, 0, d=3), _draw(40, 1, shift=0.5, d=3)
    resampling = Resampling(resamples=12, reference_seed=2, sample_seed=3)
    replicates = bootstrap.fid_replicates(real, fake, resampling)
    expected = [
        fid_from_features(r, f)
        for r, f in zip(
            _materialised(real, resampling.reference_counts(60)),
            _materialised(fake, resampling.sample_counts(40)),
            strict=True,
        )
    ]
    np.testing.assert_allclose(replicates, expected, rtol=1e-9)
    values = np.random.default_rng(5).exponential(size=41)
    counts = resampling.sample_counts(41)
    medians = [np.median(r) for r in _materialised(values, counts)]
    np.testing.assert_array_equal(bootstrap.median_replicates(values, counts), medians)
    means = [np.mean(r) for r in _materialised(values, counts)]
    np.testing.assert_allclose(bootstrap.mean_replicates(values, counts), means, rtol=1e-12)


def test_interval_is_centred_on_the_estimate_and_differences_are_paired():
    replicates = np.random.default_rng(0).normal(10.0, 1.0, 2000)  # shifted by its own bias
    low, high = bootstrap.interval(3.0, replicates, 0.95)
    assert low == pytest.approx(3.0 - 1.96, abs=0.15) and high == pytest.approx(
        3.0 + 1.96, abs=0.15
    )
    noise = np.random.default_rng(1).normal(0.0, 5.0, 500)  # shared (the reference's) noise
    own = np.random.default_rng(2).normal(0.0, 0.1, (2, 500))
    # 1.0 apart: hidden by the shared noise unpaired, plain once paired
    assert bootstrap.separated((11.0, 11.0 + noise + own[0]), (10.0, 10.0 + noise + own[1]), 0.95)
    assert not bootstrap.separated((10.05, 10 + noise + own[0]), (10.0, 10 + noise + own[1]), 0.95)


@pytest.mark.parametrize("shift", [0.3, 1.0])
def test_fid_bootstrap_spread_matches_the_spread_over_independent_sample_sets(shift):
    """Calibration: the bootstrap's standard deviation from one pair of sets is close to that
    of FID over independent pairs drawn from the same laws."""
    fids = [
        fid_from_features(_draw(400, 2 * s, d=4), _draw(200, 2 * s + 1, shift, 4))
        for s in range(40)
    ]
    spreads = [
        bootstrap.fid_replicates(
            _draw(400, 1000 + 2 * s, d=4),
            _draw(200, 1001 + 2 * s, shift, 4),
            Resampling(200, sample_seed=s),
        ).std()
        for s in range(6)
    ]
    assert 0.6 < np.mean(spreads) / np.std(fids) < 1.5
