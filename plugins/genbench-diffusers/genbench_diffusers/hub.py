"""Where a pipeline or a CLIP model comes from: a local directory, the hub cache, the hub.

Offline (``GENBENCH_OFFLINE=1`` or ``HF_HUB_OFFLINE=1``) only local files are read, and a
checkpoint that is missing is an error that names it and says how to provide it.
"""

from __future__ import annotations

import os
from pathlib import Path

from genbench import GenbenchError, offline


def network_off() -> bool:
    """True when genbench or the Hugging Face hub is told to stay offline."""
    hub_offline = os.environ.get("HF_HUB_OFFLINE", "").lower() not in ("", "0", "false", "no")
    return offline() or hub_offline


def local_directory(source: str) -> Path | None:
    """The directory ``source`` names, or None for a hub id.

    A path that does not exist but is written as one (absolute, ``./``, ``~``) is an error
    rather than a hub lookup, which would only report a confusing missing repository.
    """
    path = Path(source).expanduser()
    if path.is_dir():
        return path
    if path.is_absolute() or source.startswith((".", "~")) or source.count("/") > 1:
        raise GenbenchError(f"{source}: no such directory")
    return None


def missing_checkpoint(what: str, hub_id: str, error: BaseException) -> GenbenchError:
    """The error for a hub checkpoint that cannot be loaded, with the ways to provide it."""
    if network_off():
        why = (
            "is not in the Hugging Face cache and the network is off"
            " (GENBENCH_OFFLINE/HF_HUB_OFFLINE)"
        )
    else:
        why = f"could not be fetched ({type(error).__name__}: {error})"
    return GenbenchError(
        f"{what}: checkpoint {hub_id!r} {why}. Where the network is allowed, fetch it with"
        f" `hf download {hub_id}`; or copy it to a directory and register that"
        f" directory: `genbench diffusers add NAME /path/to/dir`"
    )
