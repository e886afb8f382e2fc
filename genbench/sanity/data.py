"""What the sanity checks start from: a dataset's reference features (as the leaderboards
use them), its held-out images and labels, and the feature extractor that scores changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from genbench.errors import GenbenchError

if TYPE_CHECKING:
    import numpy as np

    from genbench.features.extractor import Extractor

# Images per extractor call.
_CHUNK = 256


@dataclass
class SanityData:
    """``reference``: features of the leaderboard's reference images (the training split),
    which also stand for the training set of memorization; ``images``/``labels``: the held-out
    split, ``n`` of them, balanced over classes as the split is."""

    dataset: str
    extractor: Extractor
    reference: np.ndarray
    reference_images: np.ndarray
    images: np.ndarray
    labels: np.ndarray

    def features(self, images: np.ndarray) -> np.ndarray:
        """Features of uint8 images (n, C, H, W)."""
        batches = (images[i : i + _CHUNK] for i in range(0, len(images), _CHUNK))
        return self.extractor.extract(batches, total=len(images))["features"]

    @property
    def held_out(self) -> np.ndarray:
        """Features of the held-out images, computed once."""
        if not hasattr(self, "_held_out"):
            self._held_out = self.features(self.images)
        return self._held_out


def load(dataset: str, *, n: int | None = None, n_reference: int | None = None) -> SanityData:
    """The reference (the dataset's reference split and size, or ``n_reference``) and ``n``
    held-out images (all if None) of a registered dataset, in its default feature space."""
    from genbench.features import load_extractor
    from genbench.features.reference import reference_features
    from genbench.plugins import get_registry

    spec = get_registry().datasets.get(dataset)
    if spec.num_classes is None or "label" not in spec.fields:
        raise GenbenchError(
            f"genbench sanity needs a labelled dataset; {dataset!r} has no 'label' field"
        )
    extractor = load_extractor(spec.default_features)
    size = n_reference or spec.n_reference
    reference = reference_features(spec, spec.reference_split, extractor, n=size)["features"]
    split = spec.load(spec.reference_split)
    reference_images = split.read("image", range(len(reference)))
    heldout = spec.load(spec.heldout_split)
    count = min(n or len(heldout), len(heldout))
    return SanityData(
        dataset=dataset,
        extractor=extractor,
        reference=reference,
        reference_images=reference_images,
        images=heldout.read("image", range(count)),
        labels=_labels(heldout, count),
    )


def _labels(split: Any, count: int) -> np.ndarray:
    import numpy as np

    return np.asarray(split.read("label", range(count)), dtype=np.int64)
