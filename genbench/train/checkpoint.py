"""Checkpoints as safetensors: tensors plus a JSON config, never arbitrary pickle.

The config (architecture, hyperparameters, step, seed, ...) is stored in the safetensors
metadata under ``"genbench_config"``; loading can verify the file's sha256 first.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from genbench.errors import GenbenchError, safetensors_conversion
from genbench.files import atomic_path
from genbench.spec import Weights

CONFIG_KEY = "genbench_config"


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_checkpoint(
    path: str | os.PathLike[str], tensors: dict[str, Any], config: dict[str, Any]
) -> str:
    """Write ``tensors`` and ``config`` atomically; returns the file's sha256."""
    from safetensors.torch import save_file

    target = Path(path)
    contiguous = {k: v.detach().cpu().contiguous() for k, v in tensors.items()}
    with atomic_path(target) as partial:
        save_file(
            contiguous, str(partial), metadata={CONFIG_KEY: json.dumps(config, sort_keys=True)}
        )
    return sha256_file(target)


def load_checkpoint(
    path: str | os.PathLike[str], *, sha256: str | None = None, device: str = "cpu"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read a checkpoint written by :func:`save_checkpoint`: (tensors, config).

    With ``sha256``, a file whose digest differs is refused.
    """
    from safetensors import SafetensorError, safe_open

    source = Path(path)
    if not source.is_file():
        raise GenbenchError(f"checkpoint {source} does not exist")
    if sha256 is not None and (actual := sha256_file(source)) != sha256:
        raise GenbenchError(
            f"checkpoint {source} has sha256 {actual}, expected {sha256}: the file is corrupt"
            " or from another version; reinstall the plugin or retrain it"
        )
    try:
        with safe_open(str(source), framework="pt", device=str(device)) as handle:
            tensors = {key: handle.get_tensor(key) for key in handle.keys()}  # noqa: SIM118  # safe_open is no dict
            metadata = handle.metadata() or {}
    except SafetensorError as error:
        with open(source, "rb") as file:
            head = file.read(4)
        # torch.save writes a zip archive (before torch 1.6, a bare pickle)
        torch_file = head == b"PK\x03\x04" or head[:1] == b"\x80"
        hint = f"; it is a torch.save file. {safetensors_conversion(source)}" if torch_file else ""
        raise GenbenchError(
            f"checkpoint {source} is not a valid safetensors file: {error}{hint}"
        ) from error
    return tensors, json.loads(metadata.get(CONFIG_KEY, "{}"))


def shipped_weights(name: str, sha256: str, folder: Path) -> Weights:
    """The weights file of ``name`` in a plugin's ``weights/`` folder, e.g. dcgan-digits."""
    filename = f"{name.replace('.', '-')}.safetensors"
    return Weights(name=name, sha256=sha256, path=str(folder / filename), license="MIT")
