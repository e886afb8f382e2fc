"""User-facing errors. The CLI prints their message (no traceback) and exits non-zero."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from pathlib import Path


class GenbenchError(Exception):
    """An error a user can act on: the message says what was wrong and what to do."""


class UnknownNameError(GenbenchError, LookupError):
    """A name or pattern matched nothing in the registry."""

    def __init__(self, kind: str, pattern: str, available: Iterable[str]) -> None:
        names = sorted(available)
        close = difflib.get_close_matches(pattern, names, n=5, cutoff=0.4)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        listing = ", ".join(names[:30]) + (" ..." if len(names) > 30 else "")
        super().__init__(
            f"no {kind} matches {pattern!r}.{hint} Available {kind}s: {listing or '(none)'}"
            f" (see `genbench {kind}s`)."
        )


class PluginError(GenbenchError):
    """A plugin failed to import or to register (raised only with GENBENCH_STRICT=1)."""


def safetensors_conversion(path: str | os.PathLike[str]) -> str:
    """How to turn a ``torch.save`` file, which genbench does not unpickle, into the
    safetensors file it reads (done once, by a user who trusts the file)."""
    out = Path(path).with_suffix(".safetensors")
    return (
        'If you trust the file, convert it once to safetensors: python -c "import torch;'
        f" from safetensors.torch import save_file; save_file(torch.load('{path}',"
        f" weights_only=False), '{out}')\" (for a checkpoint dict, save only its state dict)"
        f" and use {out}"
    )
