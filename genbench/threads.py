"""Torch's CPU thread count, pinned for a block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_cpu_thread() -> Iterator[None]:
    """CPU kernels on one thread for the block, then the caller's setting again.

    Small work (a batch of one, a tiny classifier) is not worth splitting, and on a busy
    machine idle threads spinning for work made sampling 20× slower (measured on 2 shared
    cores). One thread also keeps results independent of the caller's thread count.
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
