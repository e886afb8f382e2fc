"""Sample grids: PNGs of generated (or real) images, tiled row by row or one class per
column under a header of class labels."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

PAD = 1
# Tasks whose samples are compared with the dataset's images: their pages show a grid of
# real images beside the models' (translation tasks show inputs and targets instead).
REAL_GRID_TASKS = ("unconditional", "class-conditional", "text-to-image")


def grid_png(
    images: Sequence[np.ndarray],
    columns: int = 8,
    scale: int = 0,
    labels: Sequence[str] | None = None,
) -> bytes:
    """A PNG of uint8 (C, H, W) images tiled row by row (small images are upscaled);
    ``labels`` head the columns."""
    import numpy as np
    from PIL import Image

    channels, height, width = images[0].shape
    scale = scale or max(1, 64 // max(height, width))
    rows = math.ceil(len(images) / columns)
    canvas = np.full(
        (rows * (height + PAD) + PAD, columns * (width + PAD) + PAD, channels), 255, np.uint8
    )
    for i, image in enumerate(images):
        y, x = divmod(i, columns)
        top, left = PAD + y * (height + PAD), PAD + x * (width + PAD)
        canvas[top : top + height, left : left + width] = image.transpose(1, 2, 0)
    picture = Image.fromarray(canvas[..., 0] if channels == 1 else canvas)
    picture = picture.resize(
        (picture.width * scale, picture.height * scale), Image.Resampling.NEAREST
    )
    if labels is not None:
        picture = _with_header(picture, labels, (width + PAD) * scale)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _with_header(picture: Image.Image, labels: Sequence[str], tile: int) -> Image.Image:
    """``picture`` under a white band with ``labels[i]`` centred over column i."""
    from PIL import Image, ImageDraw, ImageFont

    size = max(10, min(32, tile * 2 // 5))  # readable when a page shows the grid smaller
    font = ImageFont.load_default(size=size)
    band = size + 8
    out = Image.new(picture.mode, (picture.width, picture.height + band), "white")
    out.paste(picture, (0, band))
    draw = ImageDraw.Draw(out)
    for i, label in enumerate(labels):
        centre = PAD + i * tile + tile // 2
        draw.text((centre, band // 2), str(label), fill="black", font=font, anchor="mm")
    return out


def class_grid_png(images: Sequence[np.ndarray], labels: Sequence[int] | np.ndarray) -> bytes:
    """One class per column, headed by its label; every column as tall as the rarest class,
    so the grid is full and a reader compares classes row by row."""
    by_class: dict[int, list[np.ndarray]] = {}
    for image, label in zip(images, labels, strict=True):
        by_class.setdefault(int(label), []).append(image)
    classes = sorted(by_class)
    per_class = min(len(column) for column in by_class.values())
    tiles = [by_class[c][row] for row in range(per_class) for c in classes]
    return grid_png(tiles, columns=len(classes), labels=[str(c) for c in classes])


def sample_grid_png(
    images: Sequence[np.ndarray], labels: Sequence[int] | np.ndarray | None = None
) -> bytes:
    """The grid of a row's first samples: by class when the samples were asked for labels."""
    if labels is None:
        return grid_png(images)
    return class_grid_png(images, labels)


def real_grid_name(split: str, task: str) -> str:
    """The file name, under a published dataset folder's ``grids/``, of the real images that
    the ``task`` page shows beside its models (model grids are named ``model--config``)."""
    return f"real-{split}{'-by-class' if task == 'class-conditional' else ''}.png"


def real_grid_png(dataset: str, split: str, task: str) -> bytes | None:
    """The first real images of ``dataset``/``split``, laid out as the ``task``'s model grids
    are; None when the task has no such grid or the dataset is not installed here."""
    import numpy as np

    from genbench.bench.sampling import GRID_SIZE
    from genbench.plugins import get_registry

    datasets = get_registry().datasets
    if task not in REAL_GRID_TASKS or dataset not in datasets:
        return None
    data = datasets.get(dataset).load(split)
    if task == "class-conditional" and "label" in data.fields:
        labels = data.read("label", range(len(data)))
        classes = sorted(set(int(label) for label in labels))
        per_class = GRID_SIZE // len(classes)
        chosen = [int(i) for c in classes for i in np.flatnonzero(labels == c)[:per_class]]
        return class_grid_png(data.read("image", chosen), [int(labels[i]) for i in chosen])
    return grid_png(list(data.read("image", range(min(GRID_SIZE, len(data))))))


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
