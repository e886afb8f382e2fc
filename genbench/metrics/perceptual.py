"""LPIPS (Zhang et al. 2018) through the ``lpips`` package: paired distance and diversity.

The ``lpips`` wheel ships only its linear heads; the AlexNet/VGG trunk normally comes from a
torchvision download. genbench builds the trunk without weights (``pnet_rand=True``) and
loads torchvision's state dict from the weights store (``lpips-alexnet``, ``lpips-vgg16``)
or from a file given as ``backbone``. Images are uint8 (n, C, H, W), mapped to [-1, 1] as
``lpips.im2tensor`` does; grey images are repeated to 3 channels and images smaller than
the trunk accepts (32 px for AlexNet) are upsampled bilinearly first.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from genbench.errors import GenbenchError
from genbench.metrics import arrays

MIN_SIZE = 32


def load_lpips(
    net: str = "alex", *, backbone: str | os.PathLike[str] | None = None, device: str = "cpu"
) -> torch.nn.Module:
    """An ``lpips.LPIPS`` model with its trunk read from ``backbone`` or the weights store."""
    import lpips

    from genbench import weights

    stored = {"alex": weights.LPIPS_ALEXNET, "vgg": weights.LPIPS_VGG16}
    if net not in stored:
        raise GenbenchError(f"LPIPS trunk {net!r} is not supported; use one of {sorted(stored)}")
    path = Path(backbone) if backbone is not None else weights.resolve(stored[net])
    state = weights.load_state_dict(path)
    model = lpips.LPIPS(pretrained=True, net=net, pnet_rand=True, verbose=False)
    trunk = {}
    for name, tensor in model.net.state_dict().items():
        _, index, kind = name.split(".")  # "slice2.3.weight" holds torchvision's features.3
        key = f"features.{index}.{kind}"
        if key not in state or state[key].shape != tensor.shape:
            raise GenbenchError(
                f"{path}: no tensor {key!r} of shape {tuple(tensor.shape)}; expected torchvision's"
                f" {net} state dict (`genbench weights import {stored[net].name} PATH`)"
            )
        trunk[name] = state[key]
    model.net.load_state_dict(trunk)
    return model.eval().to(device)


def _as_lpips_input(images: torch.Tensor, device: torch.device) -> torch.Tensor:
    x = images.to(device=device, dtype=torch.float32) / 127.5 - 1.0
    if x.shape[1] == 1:
        x = x.repeat(1, 3, 1, 1)
    height, width = x.shape[-2:]
    if min(height, width) < MIN_SIZE:
        size = (max(height, MIN_SIZE), max(width, MIN_SIZE))
        x = torch.nn.functional.interpolate(x, size=size, mode="bilinear", align_corners=False)
    return x


def _images(values: Any, name: str) -> torch.Tensor:
    tensor = arrays.as_tensor(values, name)
    if tensor.ndim != 4 or tensor.shape[1] not in (1, 3) or tensor.dtype != torch.uint8:
        raise GenbenchError(
            f"{name}: expected uint8 images (n, C, H, W) with C = 1 or 3, got"
            f" {tensor.dtype} of shape {tuple(tensor.shape)}"
        )
    if len(tensor) == 0:
        raise GenbenchError(f"{name}: no images")
    return tensor


def pair_distances(
    model: torch.nn.Module, first: torch.Tensor, second: torch.Tensor, *, batch_size: int = 64
) -> torch.Tensor:
    """LPIPS of each pair (first[i], second[i]), float64 (n,)."""
    device = next(model.parameters()).device
    out = []
    with torch.no_grad():
        for start in range(0, len(first), batch_size):
            batch = slice(start, start + batch_size)
            a = _as_lpips_input(first[batch], device)
            b = _as_lpips_input(second[batch], device)
            out.append(model(a, b).reshape(-1).double().cpu())
    return torch.cat(out)


def lpips_distance(
    images: Any, targets: Any, *, model: torch.nn.Module | None = None, batch_size: int = 64
) -> float:
    """Mean LPIPS between each output and its ground truth (lower: closer)."""
    first, second = _images(images, "images"), _images(targets, "targets")
    if first.shape != second.shape:
        raise GenbenchError(
            f"images {tuple(first.shape)} and targets {tuple(second.shape)} must have the same"
            " shape to be compared pairwise"
        )
    model = model if model is not None else load_lpips()
    return float(pair_distances(model, first, second, batch_size=batch_size).mean())


def lpips_diversity(
    images: Any,
    groups: Sequence[Any],
    *,
    model: torch.nn.Module | None = None,
    pairs_per_group: int | None = None,
    seed: int = 0,
    batch_size: int = 64,
) -> float:
    """Mean LPIPS over pairs of samples that share a condition (``groups[i]`` of image i).

    All pairs of each group by default; ``pairs_per_group`` draws that many distinct pairs
    per group with ``default_rng(seed)`` instead. Higher: more diverse.
    """
    tensor = _images(images, "images")
    labels = np.asarray(groups)
    if labels.shape != (len(tensor),):
        raise GenbenchError(
            f"groups: expected one condition per image ({len(tensor)}), got {labels.shape}"
        )
    rng = np.random.default_rng(seed)
    first, second = [], []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        upper = np.triu_indices(len(members), k=1)
        pairs = np.stack(upper, axis=1)
        if pairs_per_group is not None and len(pairs) > pairs_per_group:
            pairs = pairs[rng.choice(len(pairs), pairs_per_group, replace=False)]
        first.append(members[pairs[:, 0]])
        second.append(members[pairs[:, 1]])
    a, b = np.concatenate(first), np.concatenate(second)
    if len(a) == 0:
        raise GenbenchError("LPIPS diversity needs at least two images with the same condition")
    model = model if model is not None else load_lpips()
    index_a, index_b = torch.from_numpy(a), torch.from_numpy(b)
    return float(
        pair_distances(model, tensor[index_a], tensor[index_b], batch_size=batch_size).mean()
    )
