"""Reading image batches ahead of the network, decoded by several threads.

Decoding (PNG/JPEG, zip members, procedural datasets) and the network alternate on the
CPU; reading the next batches in threads while the current one runs keeps both busy.
Every split's ``read`` is called on disjoint index ranges, so order and content are those
of a plain sequential read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from genbench.spec import DatasetSplit


def read_batches(
    data: DatasetSplit,
    n: int,
    batch_size: int,
    *,
    field: str = "image",
    workers: int = 2,
    ahead: int = 2,
) -> Iterator[np.ndarray]:
    """Consecutive batches of ``field`` over the first ``n`` items, ``ahead`` batches early."""
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
        for start in range(0, n, batch_size):
            pending.append(submit(pool, start))
            if len(pending) > ahead:
                yield np.concatenate([part.result() for part in pending.popleft()])
        while pending:
            yield np.concatenate([part.result() for part in pending.popleft()])


def rechunk(batches: Iterator[np.ndarray], size: int) -> Iterator[np.ndarray]:
    """The same rows in consecutive chunks of exactly ``size`` (the last may be shorter)."""
    held: list[np.ndarray] = []
    count = 0
    for batch in batches:
        held.append(batch)
        count += len(batch)
        while count >= size:
            rows = np.concatenate(held)
            yield rows[:size]
            held, count = [rows[size:]], count - size
    if count:
        yield np.concatenate(held)
