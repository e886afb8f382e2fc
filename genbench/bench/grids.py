"""Sample grids: a PNG of generated images tiled row by row."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def grid_png(images: Sequence[np.ndarray], columns: int = 8, scale: int = 0) -> bytes:
    """A PNG of uint8 (C, H, W) images tiled row by row (small images are upscaled)."""
    import numpy as np
    from PIL import Image

    channels, height, width = images[0].shape
    scale = scale or max(1, 64 // max(height, width))
    rows = math.ceil(len(images) / columns)
    pad = 1
    canvas = np.full(
        (rows * (height + pad) + pad, columns * (width + pad) + pad, channels), 255, np.uint8
    )
    for i, image in enumerate(images):
        y, x = divmod(i, columns)
        top, left = pad + y * (height + pad), pad + x * (width + pad)
        canvas[top : top + height, left : left + width] = image.transpose(1, 2, 0)
    picture = Image.fromarray(canvas[..., 0] if channels == 1 else canvas)
    picture = picture.resize(
        (picture.width * scale, picture.height * scale), Image.Resampling.NEAREST
    )
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()
