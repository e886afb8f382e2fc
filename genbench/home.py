"""Where genbench keeps its files: ``GENBENCH_HOME`` (default ``~/.cache/genbench``)."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The root of the store; created on first use, never inside site-packages."""
    root = Path(os.environ.get("GENBENCH_HOME") or Path.home() / ".cache" / "genbench")
    root.mkdir(parents=True, exist_ok=True)
    return root


def subdir(name: str) -> Path:
    """A folder of the store, e.g. ``subdir("weights")`` or ``subdir("datasets")``."""
    path = home() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def offline() -> bool:
    """``GENBENCH_OFFLINE=1``: never touch the network."""
    return os.environ.get("GENBENCH_OFFLINE", "") not in ("", "0")
