"""Optimizer state as flat tensors plus JSON, so a training checkpoint stays safetensors.

``optimizer.state_dict()`` nests tensors (Adam's moments, RMSprop's square averages) under
parameter indices; they become tensors named ``"{prefix}.{index}.{key}"`` and the
hyperparameter groups go into the checkpoint's JSON config.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from genbench.errors import GenbenchError

if TYPE_CHECKING:
    import torch


def optimizer_tensors(prefix: str, optimizer: torch.optim.Optimizer) -> tuple[dict[str, Any], Any]:
    """(tensors, JSON-ready param groups) describing ``optimizer`` completely."""
    import torch

    state = optimizer.state_dict()
    tensors = {}
    for index, values in state["state"].items():
        for key, value in values.items():
            if not isinstance(value, torch.Tensor):
                raise GenbenchError(f"optimizer state {key!r} is not a tensor; cannot save it")
            tensors[f"{prefix}.{index}.{key}"] = value
    return tensors, state["param_groups"]


def restore_optimizer(
    optimizer: torch.optim.Optimizer, prefix: str, tensors: dict[str, Any], groups: Any
) -> None:
    """Load what :func:`optimizer_tensors` wrote back into ``optimizer``."""
    state: dict[int, dict[str, Any]] = {}
    for name, value in tensors.items():
        if name.startswith(prefix + "."):
            index, key = name[len(prefix) + 1 :].split(".", 1)
            state.setdefault(int(index), {})[key] = value
    for group in groups:  # JSON turned tuples into lists; torch compares betas as tuples
        if "betas" in group:
            group["betas"] = tuple(group["betas"])
    optimizer.load_state_dict({"state": state, "param_groups": groups})


def prefixed(prefix: str, tensors: dict[str, Any]) -> dict[str, Any]:
    """``tensors`` with names ``"{prefix}.{name}"``."""
    return {f"{prefix}.{name}": value for name, value in tensors.items()}


def unprefixed(prefix: str, tensors: dict[str, Any]) -> dict[str, Any]:
    """The tensors named ``"{prefix}.*"``, without the prefix."""
    start = len(prefix) + 1
    return {name[start:]: value for name, value in tensors.items() if name.startswith(prefix + ".")}
