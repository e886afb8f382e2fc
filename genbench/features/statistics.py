"""Precomputed ``mu``/``sigma`` files: pytorch-fid's and clean-fid's npz format, checked.

A statistics file is only comparable with features from the same space. Files genbench
writes carry that space (extractor, resize mode, weights sha256) next to ``mu`` and
``sigma``; files from pytorch-fid or clean-fid carry none, so their width is checked, and
clean-fid's naming convention (``<name>_<mode>_<split>_<res>.npz``) for the resize mode.
Anything that does not match is refused rather than compared.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from genbench.data.store import save_arrays_atomic
from genbench.errors import GenbenchError

if TYPE_CHECKING:
    from genbench.features.extractor import Extractor

IDENTITY_KEYS = ("features", "resize", "weights_sha256")
# clean-fid's file-name modes and the genbench resize mode each corresponds to
CLEAN_FID_MODES = {
    "legacy_tensorflow": "legacy-tensorflow",
    "legacy_pytorch": "legacy-pytorch",
    "clean": "clean",
}


@dataclass(frozen=True)
class Statistics:
    mu: np.ndarray
    sigma: np.ndarray
    source: str
    n: int | None = None  # images they summarise, when the file says (genbench's do)


def is_statistics_file(path: Path) -> bool:
    if path.suffix.lower() != ".npz" or not path.is_file():
        return False
    try:
        with np.load(path, allow_pickle=False) as data:
            return {"mu", "sigma"} <= set(data.files)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, TypeError):
        return False  # not statistics; read as images, which names what is wrong


def _clean_fid_mode(name: str) -> str | None:
    for tag, mode in CLEAN_FID_MODES.items():
        if f"_{tag}_" in name.lower():
            return mode
    return None


def load_statistics(path: Path, extractor: Extractor) -> Statistics:
    """``mu``/``sigma`` of ``path``, refused unless computed in ``extractor``'s space."""
    try:
        with np.load(path, allow_pickle=False) as data:
            mu, sigma = data["mu"].astype(np.float64), data["sigma"].astype(np.float64)
            stored = {k: str(data[k]) for k in IDENTITY_KEYS if k in data.files}
            n = int(data["n"]) if "n" in data.files else None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise GenbenchError(
            f"cannot read statistics {path}: {error}; the file is damaged, compute it again"
        ) from error
    width = extractor.spec.outputs["features"]
    problems = []
    if mu.shape != (width,) or sigma.shape != (width, width):
        problems.append(f"mu {mu.shape} / sigma {sigma.shape}, but {extractor.name} gives {width}")
    mode = _clean_fid_mode(path.name)
    if mode is not None and mode != extractor.resize:
        problems.append(f"its name says clean-fid mode {mode!r}, not {extractor.resize!r}")
    for key, value in stored.items():
        ours = str(extractor.identity()[key])
        if value != ours:
            problems.append(f"{key} is {value!r}, not {ours!r}")
    if problems:
        raise GenbenchError(
            f"statistics {path} do not match the feature space ({extractor.name}, resize"
            f" {extractor.resize}): {'; '.join(problems)}. Recompute them, or pass the"
            " --features/--resize they were made with"
        )
    return Statistics(mu=mu, sigma=sigma, source=str(path), n=n)


def stored_space(path: Path) -> dict[str, str]:
    """The feature space a statistics file says it was computed in ({} for pytorch-fid's and
    clean-fid's files, which do not say)."""
    with np.load(path, allow_pickle=False) as data:
        return {k: str(data[k]) for k in IDENTITY_KEYS if k in data.files}


def save_statistics(path: Path, features: np.ndarray, extractor: Extractor) -> Path:
    """Write ``mu``/``sigma`` (pytorch-fid's keys) plus the feature space, atomically."""
    values = np.asarray(features, dtype=np.float64)
    arrays = {
        "mu": values.mean(axis=0),
        "sigma": np.cov(values, rowvar=False),
        "n": np.array(len(values)),
        **{k: np.array(str(v)) for k, v in extractor.identity().items()},
    }
    save_arrays_atomic(path, arrays)
    return path
