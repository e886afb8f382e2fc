"""Metrics: exact, blocked, float64, and checked against the reference implementations.

Everything a user calls is listed in ``__all__``. The submodules import torch, so they load
on first use: ``import genbench.metrics`` (which registering the built-in metrics does)
stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from genbench.metrics.accuracy import label_accuracy
    from genbench.metrics.authenticity import memorization
    from genbench.metrics.diversity import seed_diversity, variation_groups
    from genbench.metrics.frechet import (
        GaussianStats,
        fid_from_features,
        frechet_distance,
        statistics_distance,
        trace_sqrt_product,
    )
    from genbench.metrics.inception import inception_score
    from genbench.metrics.kernel_distance import kid, mmd2_unbiased
    from genbench.metrics.manifold import prdc, precision_recall
    from genbench.metrics.mmd import median_bandwidth, rbf_mmd
    from genbench.metrics.paired import l1_distance, psnr, ssim
    from genbench.metrics.perceptual import load_lpips, lpips_distance, lpips_diversity
    from genbench.metrics.uncertainty import (
        bootstrap_fid,
        bootstrap_precision_recall,
        fd_infinity,
    )
    from genbench.metrics.vendi import vendi_score

_HOMES = {
    "GaussianStats": "frechet",
    "fid_from_features": "frechet",
    "frechet_distance": "frechet",
    "statistics_distance": "frechet",
    "trace_sqrt_product": "frechet",
    "kid": "kernel_distance",
    "mmd2_unbiased": "kernel_distance",
    "prdc": "manifold",
    "precision_recall": "manifold",
    "inception_score": "inception",
    "label_accuracy": "accuracy",
    "memorization": "authenticity",
    "ssim": "paired",
    "psnr": "paired",
    "load_lpips": "perceptual",
    "lpips_distance": "perceptual",
    "lpips_diversity": "perceptual",
    "l1_distance": "paired",
    "seed_diversity": "diversity",
    "variation_groups": "diversity",
    "fd_infinity": "uncertainty",
    "bootstrap_fid": "uncertainty",
    "bootstrap_precision_recall": "uncertainty",
    "median_bandwidth": "mmd",
    "rbf_mmd": "mmd",
    "vendi_score": "vendi",
}

__all__ = [
    "GaussianStats",
    "bootstrap_fid",
    "bootstrap_precision_recall",
    "fd_infinity",
    "fid_from_features",
    "frechet_distance",
    "inception_score",
    "kid",
    "l1_distance",
    "label_accuracy",
    "load_lpips",
    "lpips_distance",
    "lpips_diversity",
    "median_bandwidth",
    "memorization",
    "mmd2_unbiased",
    "prdc",
    "precision_recall",
    "psnr",
    "rbf_mmd",
    "seed_diversity",
    "ssim",
    "statistics_distance",
    "trace_sqrt_product",
    "variation_groups",
    "vendi_score",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'genbench.metrics' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"genbench.metrics.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
