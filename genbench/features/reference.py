"""Reference features of a dataset split, computed once and cached in the store.

The cache key is the content that decides the numbers: the dataset (name, plugin and
version, split sizes, and a hash of sampled images), the split, the number of images, the
extractor (name, weights sha256, resize mode) and ``CACHE_VERSION``. Change any of these and
the features are recomputed; a second run on the same reference reuses them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.data.store import load_arrays, save_cache
from genbench.errors import GenbenchError
from genbench.features.extractor import FEATURE_CHUNK
from genbench.features.loading import read_batches
from genbench.home import subdir

if TYPE_CHECKING:
    import numpy as np

    from genbench.features.extractor import Extractor
    from genbench.spec import DatasetSpec, DatasetSplit

# Bump when the way features are computed changes (batching, preprocessing, dtype).
CACHE_VERSION = 3  # 3: embedded-net features no longer depend on the thread count
# Images hashed to fingerprint a split's content (evenly spaced, first and last included).
FINGERPRINT_IMAGES = 32


def _fingerprint(data: DatasetSplit, n: int) -> str:
    import numpy as np

    picks = sorted(
        {round(i * (n - 1) / max(FINGERPRINT_IMAGES - 1, 1)) for i in range(FINGERPRINT_IMAGES)}
    )
    picks = [p for p in picks if p < n]
    images = np.ascontiguousarray(data.read("image", picks))
    digest = hashlib.sha256(str(images.shape).encode())
    digest.update(images.tobytes())
    return digest.hexdigest()


def cache_key(
    spec: DatasetSpec, split: str, data: DatasetSplit, n: int, extractor: Extractor
) -> dict[str, Any]:
    """The content the cached features depend on (stored with them and checked on read)."""
    return {
        "cache_version": CACHE_VERSION,
        "dataset": spec.name,
        "dataset_plugin": f"{spec.plugin} {spec.plugin_version}",
        "dataset_splits": dict(spec.splits),
        "split": split,
        "split_size": len(data),
        "n": n,
        "images_sha256": _fingerprint(data, n),
        **extractor.identity(),
    }


def cache_path(key: dict[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]
    return subdir("features") / key["dataset"] / f"{key['split']}-{key['features']}-{digest}.npz"


def _read(path: Path, key: dict[str, Any]) -> dict[str, np.ndarray] | None:
    stored = load_arrays(path)
    if stored is None or "__key__" not in stored or json.loads(str(stored.pop("__key__"))) != key:
        return None  # unreadable, partial or another key's file: recompute and overwrite
    return stored


def _write(path: Path, key: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    import numpy as np

    save_cache(path, {"__key__": np.array(json.dumps(key, sort_keys=True)), **arrays})


def reference_features(
    dataset: str | DatasetSpec,
    split: str,
    extractor: Extractor,
    n: int | None = None,
    *,
    progress: bool = False,
) -> dict[str, np.ndarray]:
    """Extractor outputs on the first ``n`` images of ``dataset``'s ``split`` (all if None).

    Cached under ``GENBENCH_HOME/features``, keyed by content (see the module doc).
    """
    from genbench.plugins import get_registry

    spec = get_registry().datasets.get(dataset) if isinstance(dataset, str) else dataset
    if split not in spec.splits:
        raise GenbenchError(
            f"dataset {spec.name!r} has no split {split!r}; splits: {', '.join(spec.splits)}"
        )
    data = spec.load(split)
    size = len(data)
    n = size if n is None else n
    if not 0 < n <= size:
        raise GenbenchError(f"{spec.name}:{split} has {size} images; cannot take n={n}")
    key = cache_key(spec, split, data, n, extractor)
    path = cache_path(key)
    cached = _read(path, key) if path.is_file() else None
    if cached is not None:
        return cached
    arrays = extractor.extract(
        read_batches(data, n, FEATURE_CHUNK),
        total=n,
        progress=progress,
        desc=f"{spec.name}:{split}",
    )
    _write(path, key, arrays)
    return arrays


def field_features(
    data: DatasetSplit, field: str, n: int, extractor: Extractor
) -> dict[str, np.ndarray]:
    """Extractor outputs on the first ``n`` items of a split's ``field`` other than
    ``image`` (a translation's target domain, e.g. ``domain_b``); not cached."""
    return dict(extractor.extract(read_batches(data, n, FEATURE_CHUNK, field=field), total=n))
