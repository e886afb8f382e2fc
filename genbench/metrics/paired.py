"""SSIM and PSNR (via scikit-image) and L1 between outputs and their ground truth (paired
translation).

Images are uint8 (n, C, H, W) with ``data_range=255``; each pair is scored with
``channel_axis=0`` and the scores are averaged. A pair of identical images has an infinite
PSNR, so a set holding one has a mean PSNR of inf.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from genbench.errors import GenbenchError


def _pairs(images: Any, targets: Any) -> tuple[np.ndarray, np.ndarray]:
    first, second = np.asarray(images), np.asarray(targets)
    for name, array in (("images", first), ("targets", second)):
        if array.dtype != np.uint8 or array.ndim != 4:
            raise GenbenchError(
                f"{name}: expected uint8 images (n, C, H, W), got {array.dtype} of shape"
                f" {array.shape}"
            )
    if first.shape != second.shape:
        raise GenbenchError(
            f"images {first.shape} and targets {second.shape} must have the same shape"
        )
    if len(first) == 0:
        raise GenbenchError("no image pairs to compare")
    return first, second


def _mean_over_pairs(score: Callable[..., float], images: Any, targets: Any, **kw: Any) -> float:
    first, second = _pairs(images, targets)
    return float(
        np.mean([score(t, i, data_range=255, **kw) for i, t in zip(first, second, strict=True)])
    )


def ssim(images: Any, targets: Any) -> float:
    """Mean structural similarity (Wang et al. 2004); images need H, W >= 7."""
    from skimage.metrics import structural_similarity

    first, _ = _pairs(images, targets)
    if min(first.shape[-2:]) < 7:
        raise GenbenchError(f"SSIM needs images of at least 7×7 pixels, got {first.shape[-2:]}")
    return _mean_over_pairs(structural_similarity, images, targets, channel_axis=0)


def psnr(images: Any, targets: Any) -> float:
    """Mean peak signal-to-noise ratio in dB."""
    from skimage.metrics import peak_signal_noise_ratio

    with np.errstate(divide="ignore"):
        return _mean_over_pairs(peak_signal_noise_ratio, images, targets)


def l1_distance(images: Any, targets: Any) -> float:
    """Mean absolute difference between outputs and targets per pixel and channel, as a
    fraction of the range 0..255 (0: identical; pix2pix's L1 term, on the image scale)."""
    first, second = _pairs(images, targets)
    total = sum(
        float(np.abs(a.astype(np.int16) - b.astype(np.int16)).sum())
        for a, b in zip(first, second, strict=True)
    )
    return total / (first.size * 255.0)
