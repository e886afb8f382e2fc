"""User-facing errors. The CLI prints their message (no traceback) and exits non-zero."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


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
