"""Memorization and authenticity catch a model that replays its training set."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from genbench.errors import GenbenchError
from genbench.metrics import fid_from_features, memorization

# One thread: on 2 shared cores, more threads only contend.
torch.set_num_threads(1)


def _draw(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, 16)).astype(np.float32)


def test_copies_of_training_items_are_flagged_though_their_fid_is_excellent():
    train = _draw(800, 0)
    copies = train[np.random.default_rng(1).choice(800, 300, replace=False)]
    fresh = _draw(300, 2)
    assert fid_from_features(train, copies) < fid_from_features(train, fresh)
    replayed = memorization(train, copies)
    assert replayed == {"memorization": 0.0, "authenticity": 0.0}
    novel = memorization(train, fresh)
    assert 0.7 < novel["memorization"] < 1.5
    assert novel["authenticity"] > 0.4


def test_near_copies_score_near_zero():
    train = _draw(500, 0)
    noisy = train[:200] + 0.01 * _draw(200, 3)
    values = memorization(train, noisy)
    assert values["memorization"] < 0.05 and values["authenticity"] == 0.0


def test_a_mix_is_scored_by_its_share_of_copies():
    train, fresh = _draw(600, 0), _draw(300, 4)
    mixed = np.concatenate([train[:100], fresh[:200]])
    share = memorization(train, mixed)["authenticity"]
    assert share == pytest.approx(memorization(train, fresh[:200])["authenticity"] * 2 / 3)


def test_duplicated_training_points_do_not_break_the_ratio():
    train = np.concatenate([_draw(100, 0), _draw(100, 0)[:10]])
    values = memorization(train, train[:10])
    assert values == {"memorization": 0.0, "authenticity": 0.0}


def test_bad_input():
    with pytest.raises(GenbenchError, match="at least 2"):
        memorization(_draw(1, 0), _draw(5, 1))
    with pytest.raises(GenbenchError, match="train features have 16 dimensions"):
        memorization(_draw(10, 0), _draw(5, 1)[:, :3])
