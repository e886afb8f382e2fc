"""In-memory splits and the checks every split shares (unknown split, unknown field)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from genbench.errors import GenbenchError


def check_split(dataset: str, split: str, available: Iterable[str]) -> None:
    """Raise a ``GenbenchError`` listing the splits when ``split`` is not one of them."""
    names = list(available)
    if split not in names:
        raise GenbenchError(
            f"dataset {dataset!r} has no split {split!r}; its splits are: {', '.join(names)}"
            f" (write {dataset}:{names[0]})."
        )


def check_field(name: str, field: str, fields: Sequence[str]) -> None:
    """Raise a ``GenbenchError`` listing the fields when ``field`` is not one of them."""
    if field not in fields:
        raise GenbenchError(f"{name} has no field {field!r}; its fields are: {', '.join(fields)}.")


def as_indices(indices: Sequence[int] | np.ndarray, length: int, name: str) -> np.ndarray:
    """Indices as int64, checked against the split length (negative indices are refused)."""
    index = np.asarray(indices, dtype=np.int64).reshape(-1)
    if index.size and (index.min() < 0 or index.max() >= length):
        bad = int(index[(index < 0) | (index >= length)][0])
        raise IndexError(f"index {bad} is out of range for {name} ({length} items)")
    return index


class ArraySplit:
    """A split held as arrays, one per field, all of the same length.

    Arrays may be memory-mapped; ``read`` copies only the rows asked for. ``views`` maps a
    field name to another field it shares storage with (e.g. ``domain_a`` → ``image``).
    """

    def __init__(
        self,
        arrays: Mapping[str, np.ndarray],
        name: str,
        views: Mapping[str, str] | None = None,
    ) -> None:
        lengths = {field: len(array) for field, array in arrays.items()}
        if len(set(lengths.values())) > 1:
            raise GenbenchError(f"{name}: fields have different lengths {lengths}")
        self._arrays = dict(arrays)
        self._views = dict(views or {})
        self.name = name
        self.fields = tuple(arrays) + tuple(self._views)
        self._length = next(iter(lengths.values()), 0)

    def __len__(self) -> int:
        return self._length

    def __repr__(self) -> str:
        return f"<ArraySplit {self.name} n={len(self)} fields={','.join(self.fields)}>"

    def read(self, field: str, indices: Sequence[int] | np.ndarray) -> np.ndarray:
        check_field(self.name, field, self.fields)
        array = self._arrays[self._views.get(field, field)]
        return np.ascontiguousarray(array[as_indices(indices, len(self), self.name)])
