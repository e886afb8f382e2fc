"""The grid ``genbench train`` draws of what it trained: every task's layout."""

from __future__ import annotations

import io

import pytest

from genbench import get_registry
from genbench.bench.preview import SAMPLES, preview_png


@pytest.mark.parametrize(
    ("model", "tiles"),
    [("gan.digits", SAMPLES), ("cgan.digits", SAMPLES), ("pix2pix.shapes-gray", 8 * 3)],
)
def test_the_grid_holds_the_samples(model: str, tiles: int) -> None:
    import numpy as np
    from PIL import Image

    spec = get_registry().models.get(model)
    png = preview_png(spec, get_registry().datasets.get(spec.dataset), "cpu")
    assert png is not None
    picture = np.asarray(Image.open(io.BytesIO(png)))
    # tiles of resolution × scale plus 1-pixel gaps: count them on a grid of this size
    scale = max(1, 64 // spec.resolution)
    area = tiles * (spec.resolution * scale) ** 2
    assert area < picture.shape[0] * picture.shape[1] < 2 * area
    assert picture.std() > 10  # images, not a blank canvas
