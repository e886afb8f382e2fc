"""Dataset files in the store (``GENBENCH_HOME/datasets``), written atomically.

A cache entry is written to a temporary name beside its final one and renamed into
place, so a reader in another process sees either nothing or a complete file.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from genbench.files import WriteError, atomic_path
from genbench.home import subdir

_warned = False


def cache_path(name: str) -> Path:
    """Where a cache entry named ``name`` (e.g. ``digits-v1.npz``) lives in the store."""
    return subdir("datasets") / name


def save_arrays_atomic(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write arrays as an uncompressed ``.npz`` at ``path``, atomically."""
    with atomic_path(path) as temp, open(temp, "wb") as file:
        np.savez(file, **arrays)  # type: ignore[arg-type]  # numpy's stub wants positional arrays


def save_cache(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """``save_arrays_atomic`` for a cache entry: a store that cannot take it (read-only,
    full) costs only recomputing it next time, so the work goes on after one warning."""
    global _warned
    try:
        save_arrays_atomic(path, arrays)
    except WriteError as error:
        if not _warned:
            _warned = True
            print(
                f"warning: {error.path} not cached: {error.reason}; set GENBENCH_HOME to a"
                " writable folder to keep caches",
                file=sys.stderr,
            )


def load_arrays(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays of a cache entry, or None when it is absent or unreadable (then rebuilt)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
