"""Feature extractors and the spaces metrics are computed in.

``load_extractor(name)`` returns an :class:`Extractor` (uint8 images → dict of float
tensors); ``reference_features`` computes a dataset's features once and caches them.
"""

from genbench.features.extractor import Extractor, load_extractor
from genbench.features.reference import reference_features

__all__ = ["Extractor", "load_extractor", "reference_features"]
