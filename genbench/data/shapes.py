"""``shapes``: procedurally generated 32×32 RGB scenes with labels, maps, domains, captions.

Item ``i`` of a split is a pure function of (split, i): its scene is drawn from
``derive_seed(SALT, split code, stream, i)`` (see ``shapes_render``). Fields:

- ``image`` / ``domain_a``: the scene by day (light background), uint8 (3, 32, 32);
- ``label``: the main object's class (shape × colour, 9 classes), int64;
- ``semantic``: per-pixel classes, 0 background and 1 + class (1, 32, 32) — label → image;
- ``edges``: Canny edges of the grey image, 0/255 (1, 32, 32) — edges → image;
- ``gray``: the luma of ``image`` (1, 32, 32) — grey → colour;
- ``domain_b``: a scene by night. In ``train`` it is a *different* scene, drawn from a
  disjoint seed stream, so the two domains are unpaired (CycleGAN); in ``test`` it is
  the same scene as ``domain_a``, the hidden ground truth of an A → B translation;
- ``caption``: a str prompt describing ``image`` (text-to-image).

Items are generated in chunks of ``CHUNK`` and cached in the store under a version key;
each chunk is written atomically, so concurrent processes can share the cache.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from genbench.data import shapes_render as render
from genbench.data.splits import as_indices, check_field, check_split
from genbench.data.store import cache_path, load_arrays, save_cache
from genbench.seeding import derive_seed

# Bump when the bytes of any item change; it names the cache folder.
VERSION = 1
SALT = 0x5A4E5
SPLITS = {"train": 20000, "test": 5000}
SPLIT_CODES = {"train": 0, "test": 1}
CHUNK = 500
FIELDS = ("image", "label", "semantic", "edges", "gray", "domain_a", "domain_b", "caption")
_STORED = ("image", "label", "semantic", "edges", "domain_b", "caption")
_MAIN_STREAM, _DOMAIN_B_STREAM = 0, 1
# Fixed width, so every chunk stores captions alike (the longest is 65 characters).
CAPTION_DTYPE = "<U80"


def scene_seeds(split: str, indices: Sequence[int], stream: int = _MAIN_STREAM) -> list[int]:
    """The seeds of the scenes of ``split`` at ``indices`` (stream 1: train's domain B)."""
    return [derive_seed(SALT, SPLIT_CODES[split], stream, int(i)) for i in indices]


def generate(split: str, indices: Sequence[int]) -> dict[str, np.ndarray]:
    """The stored fields of the items at ``indices``, computed from scratch."""
    scenes = render.draw_scenes(scene_seeds(split, indices))
    day, semantic = render.render(scenes)
    if split == "test":
        night, _ = render.render(scenes, night=True)
    else:
        night, _ = render.render(
            render.draw_scenes(scene_seeds(split, indices, _DOMAIN_B_STREAM)), night=True
        )
    captions = [
        render.caption(int(a), int(b))
        for a, b in zip(scenes.label, scenes.second_label, strict=True)
    ]
    return {
        "image": day,
        "label": scenes.label,
        "semantic": semantic,
        "edges": render.edges(render.gray(day)),
        "domain_b": night,
        "caption": np.array(captions, dtype=CAPTION_DTYPE),
    }


class ShapesSplit:
    """One split of ``shapes``, generated chunk by chunk on first read and cached."""

    def __init__(self, split: str) -> None:
        check_split("shapes", split, SPLITS)
        self.split = split
        self.name = f"shapes:{split}"
        self.fields: tuple[str, ...] = FIELDS
        self._chunks: dict[int, dict[str, np.ndarray]] = {}

    def __len__(self) -> int:
        return SPLITS[self.split]

    def __repr__(self) -> str:
        return f"<ShapesSplit {self.name} n={len(self)}>"

    def read(self, field: str, indices: Sequence[int] | np.ndarray) -> np.ndarray:
        check_field(self.name, field, self.fields)
        if field == "gray":
            return render.gray(self.read("image", indices))
        stored = "image" if field == "domain_a" else field
        index = as_indices(indices, len(self), self.name)
        chunk_of = index // CHUNK
        template = self._chunk(int(chunk_of[0]) if len(index) else 0)[stored]
        out = np.empty((len(index), *template.shape[1:]), template.dtype)
        for chunk in np.unique(chunk_of):
            rows = np.flatnonzero(chunk_of == chunk)
            out[rows] = self._chunk(int(chunk))[stored][index[rows] - chunk * CHUNK]
        return out

    def _chunk(self, chunk: int) -> dict[str, np.ndarray]:
        if chunk not in self._chunks:
            path = cache_path(f"shapes-v{VERSION}") / f"{self.split}-{chunk:03d}.npz"
            arrays = load_arrays(path)
            if arrays is None or set(arrays) != set(_STORED):
                start = chunk * CHUNK
                arrays = generate(self.split, range(start, min(start + CHUNK, len(self))))
                save_cache(path, arrays)
            self._chunks[chunk] = arrays
        return self._chunks[chunk]


def load(split: str) -> ShapesSplit:
    """A split of ``shapes``; nothing is generated until items are read."""
    return ShapesSplit(split)
