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


# Rows of a translation grid, and the colours label-map inputs are drawn in.
TRANSLATION_ROWS = 8
_PALETTE = (
    (0, 0, 0), (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
    (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212),
    (0, 128, 128), (220, 190, 255), (170, 110, 40), (255, 250, 200), (128, 0, 0),
)  # fmt: skip


def _as_rgb(images: np.ndarray) -> np.ndarray:
    """uint8 (n, C, H, W) as RGB for display: grey is repeated; a one-channel map of a few
    small integers (a semantic map, max < 16) is painted with one colour per class."""
    import numpy as np

    if images.shape[1] == 3:
        return images
    if images.max() < len(_PALETTE):
        return np.asarray(_PALETTE, np.uint8)[images[:, 0]].transpose(0, 3, 1, 2)
    return np.repeat(images, 3, axis=1)


def translation_tiles(
    inputs: np.ndarray, outputs: np.ndarray, targets: np.ndarray
) -> tuple[list[np.ndarray], int]:
    """Grid tiles and columns: one row per input, ``input | outputs | target``.

    ``outputs`` (M, K, C, H, W) holds K outputs of each input (other seeds); they all show
    when they differ, one when the model gave the same output for every seed.
    """
    import numpy as np

    rows = min(TRANSLATION_ROWS, len(inputs))
    outputs = outputs[:rows]
    varies = bool((outputs != outputs[:, :1]).any())
    shown = outputs if varies else outputs[:, :1]
    tiles: list[np.ndarray] = []
    for row_input, row_outputs, target in zip(
        _as_rgb(inputs[:rows]), shown, _as_rgb(targets[:rows]), strict=True
    ):
        tiles += [row_input, *_as_rgb(np.asarray(row_outputs)), target]
    return tiles, shown.shape[1] + 2
