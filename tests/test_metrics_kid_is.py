"""KID and Inception score: closed forms, seeding, and torch-fidelity's values."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from genbench.errors import GenbenchError
from genbench.metrics import inception_score, kid, label_accuracy, mmd2_unbiased

# One thread: on 2 shared cores, more threads only contend.
torch.set_num_threads(1)


def _sets(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((300, 32)), rng.standard_normal((260, 32)) * 1.2 + 0.1


def test_mmd2_matches_its_definition():
    x, y = (torch.from_numpy(a[:50]) for a in _sets())
    k = lambda a, b: (a @ b.T / a.shape[1] + 1) ** 3  # noqa: E731
    m = 50
    off = 1 - torch.eye(m, dtype=torch.float64)
    expected = (k(x, x) * off).sum() / (m * (m - 1)) + (k(y, y) * off).sum() / (m * (m - 1))
    expected -= 2 * k(x, y).mean()
    assert mmd2_unbiased(x, y) == pytest.approx(float(expected), rel=1e-12)


def test_kid_is_seeded_and_separates_distributions():
    real, fake = _sets()
    first = kid(real, fake, subsets=20, subset_size=100, seed=1)
    assert first == kid(real, fake, subsets=20, subset_size=100, seed=1)
    assert first != kid(real, fake, subsets=20, subset_size=100, seed=2)
    same, _ = kid(real[:150], real[150:], subsets=20, subset_size=100, seed=1)
    assert first[0] > 5 * abs(same) and first[1] > 0


def test_kid_clips_the_subset_size_with_a_warning():
    real, fake = _sets()
    with pytest.warns(RuntimeWarning, match="clipped to 260"):
        clipped = kid(real, fake, subsets=3, subset_size=1000)
    assert clipped == kid(real, fake, subsets=3, subset_size=260)
    with pytest.raises(GenbenchError, match="dimensions"):
        kid(real, fake[:, :5])


def test_inception_score_closed_forms():
    # Confident and evenly spread over c classes: IS = c. Uninformative: IS = 1.
    # Unshuffled, every split of 30 consecutive samples holds each class 3 times.
    confident = np.tile(np.eye(10) * 60.0, (30, 1))
    mean, std = inception_score(confident, shuffle=False)
    assert mean == pytest.approx(10.0, rel=1e-6) and std < 1e-4
    assert inception_score(np.zeros((100, 7)))[0] == pytest.approx(1.0)
    with pytest.raises(GenbenchError, match="at least 10 samples"):
        inception_score(np.zeros((9, 7)))


def test_label_accuracy():
    logits = np.eye(4)[[0, 1, 2, 3, 0]]
    assert label_accuracy(logits, np.array([0, 1, 2, 0, 0])) == pytest.approx(0.8)
    with pytest.raises(GenbenchError, match="4 classes"):
        label_accuracy(logits, np.array([0, 1, 2, 4, 0]))
    with pytest.raises(GenbenchError, match="one per sample"):
        label_accuracy(logits, np.array([0, 1]))


def _fidelity_kid(real: np.ndarray, fake: np.ndarray, **kwargs) -> tuple[float, float]:
    from torch_fidelity.metric_kid import kid_features_to_metric

    out = kid_features_to_metric(
        torch.from_numpy(fake),
        torch.from_numpy(real),
        verbose=False,
        kid_kernel="poly",
        kid_kernel_poly_degree=3,
        kid_kernel_poly_gamma=None,
        kid_kernel_poly_coef0=1,
        **kwargs,
    )
    return out["kernel_inception_distance_mean"], out["kernel_inception_distance_std"]


@pytest.mark.reference
def test_kid_equals_torch_fidelity_on_the_same_subsets():
    real, fake = _sets(3)
    expected = _fidelity_kid(real, fake, kid_subsets=30, kid_subset_size=120, rng_seed=7)
    got = kid(real, fake, subsets=30, subset_size=120, seed=7)
    assert got == pytest.approx(expected, rel=1e-10)
    # On float32 features torch-fidelity's kernels are float32; ours stay float64.
    real32, fake32 = real.astype(np.float32), fake.astype(np.float32)
    expected32 = _fidelity_kid(real32, fake32, kid_subsets=30, kid_subset_size=120, rng_seed=7)
    assert kid(real32, fake32, subsets=30, subset_size=120, seed=7) == pytest.approx(
        expected32, rel=1e-4
    )


@pytest.mark.reference
def test_inception_score_equals_torch_fidelity():
    from torch_fidelity.metric_isc import isc_features_to_metric

    logits = np.random.default_rng(0).standard_normal((1003, 1008)) * 3
    for seed in (2020, 5):
        expected = isc_features_to_metric(torch.from_numpy(logits).float(), rng_seed=seed)
        got = inception_score(logits.astype(np.float32), seed=seed)
        assert got[0] == pytest.approx(expected["inception_score_mean"], rel=1e-12)
        assert got[1] == pytest.approx(expected["inception_score_std"], rel=1e-9)
