"""Where genbench keeps its files: ``GENBENCH_HOME`` (default ``~/.cache/genbench``)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def home() -> Path:
    """The root of the store; created on first use, never inside site-packages."""
    return _made(Path(os.environ.get("GENBENCH_HOME") or Path.home() / ".cache" / "genbench"))


def subdir(name: str) -> Path:
    """A folder of the store, e.g. ``subdir("weights")`` or ``subdir("datasets")``."""
    return _made(home() / name)


def _made(path: Path) -> Path:
    # A read-only store (a shared, pre-filled GENBENCH_HOME) is still read; a write into it
    # fails later with an error that names the file (genbench.files).
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
    return path


def offline() -> bool:
    """``GENBENCH_OFFLINE=1``: never touch the network."""
    return os.environ.get("GENBENCH_OFFLINE", "") not in ("", "0")
