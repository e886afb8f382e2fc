"""k-NN manifold metrics: precision, recall, density and coverage.

Both definitions estimate each set's manifold as the union of balls around its points, of
radius the distance to the k-th nearest neighbour, and differ in the comparison:

- :func:`prdc` follows Naeem et al. 2020 as the ``prdc`` package computes it: strict
  ``d < r``, k = 5, with density and coverage.
- :func:`precision_recall` follows Kynkäänniemi et al. 2019 as torch-fidelity and StyleGAN
  compute it: ``d <= r``, k = 3.

``block_bytes`` bounds the memory of the distance tiles (see :mod:`neighbours`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from genbench.metrics import arrays, neighbours


def membership(
    real: Any, fake: Any, k: int, *, strict: bool, block_bytes: int = neighbours.BLOCK_BYTES
) -> neighbours.BallMembership:
    """Checked inputs → k-NN radii of both sets → one pass over real × fake tiles."""
    real_t, fake_t = arrays.feature_pair(real, fake)
    arrays.neighbours_needed(k, len(real_t), "real")
    arrays.neighbours_needed(k, len(fake_t), "fake")
    fake_t = fake_t.to(real_t.device)
    return neighbours.ball_membership(
        real_t,
        fake_t,
        neighbours.kth_neighbour_sq(real_t, k, block_bytes=block_bytes),
        neighbours.kth_neighbour_sq(fake_t, k, block_bytes=block_bytes),
        strict=strict,
        block_bytes=block_bytes,
    )


# Which set each per-point value belongs to: the bootstrap resamples that set's draws.
SAMPLE, REFERENCE = "sample", "reference"


def prdc(
    real: Any, fake: Any, *, k: int = 5, block_bytes: int = neighbours.BLOCK_BYTES
) -> dict[str, float]:
    """Precision, recall, density and coverage (Naeem et al. 2020), as the prdc package."""
    return prdc_points(real, fake, k=k, block_bytes=block_bytes)[0]


def prdc_points(
    real: Any, fake: Any, *, k: int = 5, block_bytes: int = neighbours.BLOCK_BYTES
) -> tuple[dict[str, float], dict[str, tuple[str, np.ndarray]]]:
    """:func:`prdc` and, for each metric, the per-point values it is the mean of, with
    their set (``SAMPLE`` or ``REFERENCE``): what a bootstrap resamples."""
    member = membership(real, fake, k, strict=True, block_bytes=block_bytes)
    counts = member.fake_in_real_balls
    values = {
        "precision": arrays.fraction(counts > 0),
        "recall": arrays.fraction(member.real_in_fake_ball),
        # The prdc package's order of operations, so the float is bit-identical.
        "density": (1.0 / k) * (int(counts.sum()) / len(counts)),
        "coverage": arrays.fraction(member.real_ball_has_fake),
    }
    points = {
        "precision": (SAMPLE, (counts > 0).cpu().numpy()),
        "recall": (REFERENCE, member.real_in_fake_ball.cpu().numpy()),
        "density": (SAMPLE, counts.cpu().numpy() / k),
        "coverage": (REFERENCE, member.real_ball_has_fake.cpu().numpy()),
    }
    return values, points


def precision_recall(
    real: Any, fake: Any, *, k: int = 3, block_bytes: int = neighbours.BLOCK_BYTES
) -> dict[str, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019), as torch-fidelity."""
    return precision_recall_points(real, fake, k=k, block_bytes=block_bytes)[0]


def precision_recall_points(
    real: Any, fake: Any, *, k: int = 3, block_bytes: int = neighbours.BLOCK_BYTES
) -> tuple[dict[str, float], dict[str, tuple[str, np.ndarray]]]:
    """:func:`precision_recall` and its per-point values (as :func:`prdc_points`)."""
    member = membership(real, fake, k, strict=False, block_bytes=block_bytes)
    inside = member.fake_in_real_balls > 0
    values = {
        "precision": arrays.fraction(inside),
        "recall": arrays.fraction(member.real_in_fake_ball),
    }
    points = {
        "precision": (SAMPLE, inside.cpu().numpy()),
        "recall": (REFERENCE, member.real_in_fake_ball.cpu().numpy()),
    }
    return values, points
