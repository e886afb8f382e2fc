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

    The channel axis is the one of size 1 or 3: the last one (NHWC) or the second one
    (NCHW). A shape that reads both ways is refused rather than guessed: (n, H, W) with W of
    1 or 3 may be one H×W×C image (the usual layout of a single picture) as well as n grey
    images, and (n, C, H, C') with C and C' both 1 or 3 may be either layout. The result is a
    view when the input is already NCHW.
    """
    if array.dtype != np.uint8:
        raise GenbenchError(
            f"{source} holds {array.dtype} images; genbench reads uint8 (0..255). Convert "
            "them first, e.g. np.clip(np.rint(x * 255), 0, 255).astype(np.uint8) for [0, 1]."
        )
    shape = tuple(array.shape)
    if array.ndim == 3 and shape[-1] in (1, 3):
        raise GenbenchError(
            f"{source} holds an array of shape {shape}: one {shape[0]}×{shape[1]} image with"
            f" {shape[2]} channel(s), or {shape[0]} grey images of {shape[1]}×{shape[2]}?"
            " Save images with their count first: x[None] for one H×W×C image,"
            " x[:, None] for n grey images (n, 1, H, W)."
        )
    if array.ndim == 3:
        return array[:, None]
    if array.ndim == 4:
        last, second = shape[-1] in (1, 3), shape[1] in (1, 3)
        if last and second:
            raise GenbenchError(
                f"{source} holds an array of shape {shape}, which reads as NHWC and as NCHW"
                " images; tiny images of side 1 or 3 are not supported. Check the layout"
            )
        if last:
            return array.transpose(0, 3, 1, 2)
        if second:
            return array
    raise GenbenchError(
        f"{source} holds an array of shape {shape}; expected images (n, H, W), "
        "(n, H, W, C) or (n, C, H, W) with 1 or 3 channels."
    )


def open_array_file(path: Path) -> ArraySplit:
    """An ``.npy`` (images only) or ``.npz`` (images, and labels under 'labels') file, read
    by its content (an .npz holding one .npy is read all the same)."""
    if path.stat().st_size == 0:
        raise GenbenchError(f"{path} is empty (0 bytes); write it again with np.save/np.savez")
    try:
        loaded = np.load(path, mmap_mode="r", allow_pickle=False)
        if isinstance(loaded, np.ndarray):
            return ArraySplit({"image": to_nchw(loaded, str(path))}, str(path))
        with loaded as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise GenbenchError(
            f"cannot read {path}: {_reason(path, error)}. Write it again with np.save (.npy)"
            " or np.savez (.npz) of uint8 arrays"
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


def _reason(path: Path, error: Exception) -> str:
    """Why numpy could not read ``path``, in the user's terms: numpy tries to unpickle any
    file it does not recognise, so its message about pickled data means "not a numpy file"."""
    with open(path, "rb") as file:
        head = file.read(6)
    numpy_file = head[:4] == b"PK\x03\x04" or head == b"\x93NUMPY"
    if numpy_file and ("allow_pickle" in str(error) or "Python objects" in str(error)):
        return "it holds object arrays (pickled Python objects), which genbench never loads"
    if head[:4] == b"PK\x03\x04":
        return f"the zip archive is damaged or cut short ({error})"
    if head == b"\x93NUMPY":
        return f"the .npy data is damaged or cut short ({error})"
    return "it is neither a .npy nor a .npz (zip) file"
