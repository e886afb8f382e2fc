"""Turning user arrays into checked tensors, so every metric rejects bad input the same way.

Metrics accept numpy arrays or torch tensors. Nothing here copies a float array: the
distance and statistics code converts blocks to float64 as it reads them, which keeps the
extra memory of a metric independent of the size of its inputs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from genbench.errors import GenbenchError

# Rows checked at a time, so that checking a large set allocates little.
_ROWS = 256


def as_tensor(values: Any, name: str) -> torch.Tensor:
    """``values`` as a tensor sharing memory where it can (numpy arrays, tensors)."""
    if isinstance(values, torch.Tensor):
        return values.detach()
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as error:
        raise GenbenchError(f"{name}: cannot read as an array ({error})") from error
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
    ):
        raise GenbenchError(f"{name}: expected numbers, got an array of {array.dtype}")
    return torch.from_numpy(np.ascontiguousarray(array))


def _all_finite(tensor: torch.Tensor) -> bool:
    """Whether no entry is NaN or inf. A sum (in the tensor's own dtype: no converted copy)
    is finite only when every entry is; when huge finite entries overflow it, the entries
    are checked one by one."""
    if all(math.isfinite(float(block.sum())) for block in tensor.split(4096)):
        return True
    return all(bool(torch.isfinite(block).all()) for block in tensor.split(_ROWS))


def features(values: Any, name: str = "features", *, min_rows: int = 1) -> torch.Tensor:
    """A finite, non-empty (n, d) float tensor of at least ``min_rows`` rows."""
    tensor = as_tensor(values, name)
    if tensor.ndim != 2:
        raise GenbenchError(
            f"{name}: expected a 2-D array (samples, dimensions), got shape {tuple(tensor.shape)}"
        )
    n, d = tensor.shape
    if n == 0 or d == 0:
        raise GenbenchError(f"{name}: the set is empty (shape {tuple(tensor.shape)})")
    if n < min_rows:
        raise GenbenchError(f"{name}: {n} samples, need at least {min_rows}")
    if not tensor.is_floating_point():
        tensor = tensor.double()
    if not _all_finite(tensor):
        bad = sum(int((~torch.isfinite(block)).any(dim=1).sum()) for block in tensor.split(_ROWS))
        raise GenbenchError(
            f"{name}: {bad} of {n} rows hold NaN or inf; the feature extractor or the"
            " generator produced non-finite values"
        )
    return tensor


def feature_pair(
    real: Any, fake: Any, *, min_rows: int = 1, names: tuple[str, str] = ("real", "fake")
) -> tuple[torch.Tensor, torch.Tensor]:
    """Two feature sets of the same width (checked as by :func:`features`)."""
    first = features(real, names[0], min_rows=min_rows)
    second = features(fake, names[1], min_rows=min_rows)
    if first.shape[1] != second.shape[1]:
        raise GenbenchError(
            f"{names[0]} features have {first.shape[1]} dimensions but {names[1]} features have"
            f" {second.shape[1]}; compute both with the same feature extractor"
        )
    return first, second


def neighbours_needed(k: int, n: int, name: str) -> None:
    """k-NN radii need each point plus ``k`` others."""
    if not isinstance(k, int) or k < 1:
        raise GenbenchError(f"k must be a positive integer, got {k!r}")
    if n < k + 1:
        raise GenbenchError(
            f"{name}: {n} samples, but k={k} nearest neighbours need at least {k + 1};"
            " use more samples or a smaller k"
        )


def fraction(mask: torch.Tensor) -> float:
    """The share of true entries as ``count / n``, correctly rounded like numpy's ``mean``:
    the same float on every device (CUDA's ``mean`` multiplies by ``1/n``, a bit off)."""
    return int(mask.sum()) / mask.numel()
