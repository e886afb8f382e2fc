"""Reading image batches ahead of the network, decoded by several threads.

Decoding (PNG/JPEG, zip members, procedural datasets) and the network alternate on the
CPU; reading the next batches in threads while the current one runs keeps both busy.
Every split's ``read`` is called on disjoint index ranges, so order and content are those
of a plain sequential read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from genbench.spec import DatasetSplit


# Bytes of decoded batches read ahead of the network at most: small images are read two
# batches ahead, large ones (an 8000×8000 RGB image is 192 MB) one at a time.
AHEAD_BYTES = 1 << 27


def read_batches(
    data: DatasetSplit,
    n: int,
    batch_size: int,
    *,
    field: str = "image",
    workers: int = 2,
    ahead: int = 2,
) -> Iterator[np.ndarray]:
    """The first ``n`` items of ``field``, in order, as consecutive arrays.

    Each batch of ``batch_size`` items is read by ``workers`` threads in consecutive parts,
    yielded as they are (joining them would hold the batch twice), up to ``ahead`` batches
    early: as many as ``AHEAD_BYTES`` allows once the first batch shows their size.
    """
    workers = max(1, workers)

    def submit(pool: ThreadPoolExecutor, start: int) -> list[Future[np.ndarray]]:
        stop = min(start + batch_size, n)
        step = -(-(stop - start) // workers)
        return [
            pool.submit(data.read, field, list(range(s, min(s + step, stop))))
            for s in range(start, stop, step)
        ]

    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[list[Future[np.ndarray]]] = deque()
        early = 0  # until the first batch is read, its size is unknown
        for start in range(0, n, batch_size):
            pending.append(submit(pool, start))
            while len(pending) > early:
                size = yield from _drain(pending.popleft())
                early = min(ahead, AHEAD_BYTES // max(size, 1))
        while pending:
            yield from _drain(pending.popleft())


def _drain(parts: list[Future[np.ndarray]]) -> Generator[np.ndarray, None, int]:
    """Yield the parts of one batch in order, holding none once it is handed on; returns
    the batch's size in bytes."""
    size = 0
    while parts:
        array = parts.pop(0).result()
        size += array.nbytes
        yield array
        del array  # before the next batch is decoded, not after
    return size
