"""Sample grids: a quick look at what a generator makes, written as PNG."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def save_grid(images: torch.Tensor, path: str | os.PathLike[str], columns: int = 10) -> None:
    """Tile uint8 images (n, C, H, W) row by row, 1-pixel gaps, and write a PNG."""
    import numpy as np
    from PIL import Image

    array = images.cpu().numpy()
    n, channels, height, width = array.shape
    rows = -(-n // columns)
    canvas = np.zeros((channels, rows * (height + 1) + 1, columns * (width + 1) + 1), np.uint8)
    for index, image in enumerate(array):
        row, column = divmod(index, columns)
        top, left = 1 + row * (height + 1), 1 + column * (width + 1)
        canvas[:, top : top + height, left : left + width] = image
    pixels = canvas[0] if channels == 1 else canvas.transpose(1, 2, 0)
    Image.fromarray(pixels).save(path)
