"""Image arrays saved with numpy (``.npy``, ``.npz``), in NHWC or NCHW layout."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from genbench.data.splits import ArraySplit
from genbench.errors import GenbenchError

# Keys tried, in order, for the images of an ``.npz`` (``arr_0``: ``np.savez(path, x)``).
IMAGE_KEYS = ("images", "image", "arr_0")
LABEL_KEYS = ("labels", "label")


def to_nchw(array: np.ndarray, source: str) -> np.ndarray:
    """uint8 images (n, H, W), (n, H, W, C) or (n, C, H, W) as (n, C, H, W), C in {1, 3}.

    The channel axis is the one of size 1 or 3: the last one (NHWC) unless only the
    second one is (NCHW). The result is a view when the input is already NCHW.
    """
    if array.dtype != np.uint8:
        raise GenbenchError(
            f"{source} holds {array.dtype} images; genbench reads uint8 (0..255). Convert "
            "them first, e.g. np.clip(np.rint(x * 255), 0, 255).astype(np.uint8) for [0, 1]."
        )
    if array.ndim == 3:
        return array[:, None]
    if array.ndim == 4:
        if array.shape[-1] in (1, 3) and array.shape[1] not in (1, 3):
            return array.transpose(0, 3, 1, 2)
        if array.shape[1] in (1, 3):
            return array
    raise GenbenchError(
        f"{source} holds an array of shape {array.shape}; expected images (n, H, W), "
        "(n, H, W, C) or (n, C, H, W) with 1 or 3 channels."
    )


def open_array_file(path: Path) -> ArraySplit:
    """An ``.npy`` (images only) or ``.npz`` (images, and labels under 'labels') file."""
    try:
        if path.suffix.lower() == ".npy":
            images = to_nchw(np.load(path, mmap_mode="r"), str(path))
            return ArraySplit({"image": images}, str(path))
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise GenbenchError(
            f"cannot read {path}: {error}. Is it a complete numpy file written by np.save or "
            "np.savez (object arrays are refused)?"
        ) from error
    image_key = next((k for k in IMAGE_KEYS if k in arrays), None)
    if image_key is None and len(arrays) == 1:
        image_key = next(iter(arrays))
    if image_key is None:
        raise GenbenchError(
            f"{path} has arrays {', '.join(arrays) or '(none)'}; name the images one of "
            f"{', '.join(IMAGE_KEYS)} (e.g. np.savez(path, images=x, labels=y))."
        )
    fields = {"image": to_nchw(arrays[image_key], f"{path}[{image_key}]")}
    label_key = next((k for k in LABEL_KEYS if k in arrays), None)
    if label_key is not None:
        labels = arrays[label_key]
        if labels.ndim != 1 or labels.dtype.kind not in "iu" or len(labels) != len(fields["image"]):
            raise GenbenchError(
                f"{path}[{label_key}] must be one integer label per image "
                f"({len(fields['image'])}); it has shape {labels.shape} and dtype {labels.dtype}."
            )
        fields["label"] = labels.astype(np.int64)
    return ArraySplit(fields, str(path))
