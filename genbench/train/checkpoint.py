"""Checkpoints as safetensors: tensors plus a JSON config, never arbitrary pickle.

The config (architecture, hyperparameters, step, seed, ...) is stored in the safetensors
metadata under ``"genbench_config"``; loading can verify the file's sha256 first.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.errors import GenbenchError, safetensors_conversion
from genbench.files import atomic_path
from genbench.spec import Weights

if TYPE_CHECKING:
    from torch import nn

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


def load_network(
    weights: Weights, build: Callable[[dict[str, Any]], nn.Module], device: str = "cpu"
) -> tuple[nn.Module, dict[str, Any]]:
    """The network a model samples with, and its checkpoint's config.

    The file is the user's ``--weights NAME=PATH`` when given, else the registered one with
    its sha256 checked (``genbench.weights.resolve``); ``build(config)`` makes the untrained
    network that its tensors fill. A file that is not such a checkpoint, or whose tensors do
    not fit the network, is refused in one line naming it.
    """
    from genbench.weights import resolve

    path = resolve(weights)
    tensors, config = load_checkpoint(path, device=device)
    where = f"weights {weights.name!r}: {path}"
    try:
        network = build(config)
    except (KeyError, TypeError, ValueError) as error:
        raise GenbenchError(
            f"{where} is not a checkpoint of this model ({type(error).__name__}: {error} in its"
            f" config); pass the file `genbench train` wrote for it"
        ) from error
    try:
        network.load_state_dict(tensors)
    except RuntimeError as error:
        # torch lists every missing key and shape on its own line; one line says enough
        reason = " ".join(str(error).split())
        reason = reason if len(reason) <= 300 else reason[:300] + "…"
        raise GenbenchError(
            f"{where} does not fit the model's network ({reason}); pass a checkpoint of the"
            " same architecture"
        ) from error
    return network, config
