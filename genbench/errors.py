"""User-facing errors. The CLI prints their message (no traceback) and exits non-zero."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from pathlib import Path

# The command that lists each kind of registered name, named in "no such name" errors.
LISTINGS = {
    "model": "genbench models",
    "dataset": "genbench datasets",
    "feature-extractor": "genbench features list",
    "metric": "genbench metrics",
    "weight": "genbench weights list",
}


class GenbenchError(Exception):
    """An error a user can act on: the message says what was wrong and what to do."""


class UnknownNameError(GenbenchError, LookupError):
    """A name or pattern matched nothing in the registry.

    ``broken`` describes the plugins that failed to load, one text each: the name may be
    missing because of them, and the message says so instead of only "no match".
    """

    def __init__(
        self, kind: str, pattern: str, available: Iterable[str], broken: Iterable[str] = ()
    ) -> None:
        names = sorted(available)
        close = difflib.get_close_matches(pattern, names, n=5, cutoff=0.4)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        listing = ", ".join(names[:30]) + (" ..." if len(names) > 30 else "")
        failed = "; ".join(broken)
        blame = (
            f" Plugins failed to load, so a {kind} of theirs may be missing: {failed}"
            " (see `genbench plugins`)."
            if failed
            else ""
        )
        super().__init__(
            f"no {kind} matches {pattern!r}.{hint} Available {kind}s: {listing or '(none)'}"
            f" (see `{LISTINGS[kind]}`).{blame}"
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
