"""FD∞ and bootstrap intervals: seeded, and centred where they should be."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from genbench.errors import GenbenchError
from genbench.metrics import (
    bootstrap_fid,
    bootstrap_precision_recall,
    fd_infinity,
    fid_from_features,
    precision_recall,
)

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
