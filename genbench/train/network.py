"""A model's network from its weights: the registered file or the user's ``--weights``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from genbench.errors import GenbenchError
from genbench.spec import Weights
from genbench.train.checkpoint import load_checkpoint

if TYPE_CHECKING:
    from torch import nn


def load_network(
    weights: Weights, build: Callable[[dict[str, Any]], nn.Module], device: str = "cpu"
) -> tuple[nn.Module, dict[str, Any]]:
    """The network a model samples with, and its checkpoint's config.

    The file is the user's ``--weights NAME=PATH`` when given, else the registered one with
    its sha256 checked (``genbench.weights.resolve``); ``build(config)`` makes the untrained
    network that its tensors fill. A file that is not such a checkpoint, or whose tensors do
    not fit the network, is refused in one line naming it.
    """
    from genbench.weights import resolve  # here: genbench.weights imports genbench.train

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
