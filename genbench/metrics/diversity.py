"""How much the outputs of one input vary across seeds (image-to-image translation).

Diversity (as in BicycleGAN, Zhu et al. 2017, and MUNIT) is measured on ``variations``:
K outputs for each of M inputs, shape (M, K, ...). A model that ignores its noise (pix2pix
is known to learn to: its dropout barely changes the output) scores 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from genbench.errors import GenbenchError
from genbench.metrics import arrays


def seed_diversity(features: Any) -> float:
    """Mean Euclidean distance between the features of two outputs of the same input, over
    the K(K-1)/2 pairs of each of the M inputs; ``features`` has shape (M, K, d)."""
    tensor = arrays.as_tensor(features, "features")
    if tensor.ndim != 3 or tensor.shape[1] < 2 or tensor.shape[0] == 0:
        raise GenbenchError(
            "features: expected (inputs, outputs per input, dimensions) with at least two"
            f" outputs per input, got shape {tuple(tensor.shape)}"
        )
    values = arrays.features(tensor.flatten(0, 1), "features").double()
    grouped = values.view(tensor.shape[0], tensor.shape[1], -1)
    distances = torch.cdist(grouped, grouped)  # (M, K, K)
    first, second = torch.triu_indices(tensor.shape[1], tensor.shape[1], offset=1)
    return float(distances[:, first, second].mean())


def variation_groups(images: Any) -> tuple[np.ndarray, np.ndarray]:
    """Images (M, K, C, H, W) as a flat (M·K, C, H, W) set and the input of each."""
    array = np.asarray(images)
    if array.ndim != 5 or array.shape[1] < 2:
        raise GenbenchError(
            "images: expected (inputs, outputs per input, C, H, W) with at least two outputs"
            f" per input, got shape {array.shape}"
        )
    return array.reshape(-1, *array.shape[2:]), np.repeat(np.arange(array.shape[0]), array.shape[1])
