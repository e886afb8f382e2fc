"""Memorization: does a model replay its training set? (FID rewards a perfect copy.)

For each fake f, let t be its nearest training point, ``d(f)`` the distance between them and
``r(t)`` the distance from t to its nearest *other* training point.

- ``memorization``: the median over fakes of ``d(f) / r(t)``. A model that replays training
  images scores 0; samples as new as a fresh draw from the data score about 1 (a fresh point
  lies about as far from the training set as training points lie from each other). Lower
  means more copying. An exact copy of a duplicated training point (``r(t) = 0``) counts 0.
- ``authenticity`` (Alaa et al. 2022, "How faithful is your synthetic data?"): the fraction of
  fakes with ``d(f) > r(t)``, i.e. farther from their nearest training point than that point's
  own nearest neighbour. Replayed samples are never authentic.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from genbench.metrics import arrays, neighbours


def memorization(
    train: Any, fake: Any, *, block_bytes: int = neighbours.BLOCK_BYTES
) -> dict[str, float]:
    """``{"memorization": median distance ratio, "authenticity": fraction authentic}``."""
    ratio, authentic = memorization_points(train, fake, block_bytes=block_bytes)
    return {
        "memorization": float(np.median(ratio)),
        "authenticity": arrays.fraction(torch.from_numpy(authentic)),
    }


def memorization_points(
    train: Any, fake: Any, *, block_bytes: int = neighbours.BLOCK_BYTES
) -> tuple[np.ndarray, np.ndarray]:
    """Per fake: its distance ratio ``d(f) / r(t)`` and whether it is authentic."""
    train_t, fake_t = arrays.feature_pair(train, fake, names=("train", "fake"))
    arrays.neighbours_needed(1, len(train_t), "train")
    fake_t = fake_t.to(train_t.device)
    own_sq = neighbours.kth_neighbour_sq(train_t, 1, block_bytes=block_bytes)
    to_train_sq, nearest = neighbours.nearest_neighbour_sq(fake_t, train_t, block_bytes=block_bytes)
    radius = own_sq[nearest].sqrt()
    distance = to_train_sq.sqrt()
    ratio = torch.where(
        radius > 0,
        distance / radius.clamp_min(torch.finfo(torch.float64).tiny),
        torch.where(distance > 0, torch.inf, 0.0),
    )
    return ratio.cpu().numpy(), (to_train_sq > own_sq[nearest]).cpu().numpy()
