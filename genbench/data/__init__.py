"""Datasets: embedded ones (digits, shapes), user image sets and local archives.

``open_images(source)`` opens any of them as a split; ``ArraySplit`` wraps arrays.
"""

from __future__ import annotations

from genbench.data.sources import open_images
from genbench.data.splits import ArraySplit

__all__ = ["ArraySplit", "open_images"]
