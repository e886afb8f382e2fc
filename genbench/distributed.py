"""torchrun support: which process am I, which samples are mine, and gathering results.

``torchrun --nproc_per_node=N -m genbench run ...`` starts N processes with ``RANK``,
``WORLD_SIZE`` and ``LOCAL_RANK`` set. Each samples its share of the sample indices; rank 0
gathers the features, computes the metrics and writes the results. Without torchrun the
same code runs as a world of one, with no process group at all.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from genbench.errors import GenbenchError

T = TypeVar("T")


@dataclass(frozen=True)
class World:
    """This process's place among the processes of one run."""

    rank: int = 0
    size: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        """Rank 0 prints, computes metrics and writes files."""
        return self.rank == 0

    def shard(self, items: Sequence[T]) -> list[T]:
        """This rank's items: every ``size``-th one, starting at ``rank``."""
        return list(items[self.rank :: self.size])

    def gather(self, value: Any) -> list[Any]:
        """Every rank's ``value``, in rank order (on every rank)."""
        if self.size == 1:
            return [value]
        import torch.distributed as dist

        out: list[Any] = [None] * self.size
        dist.all_gather_object(out, value)
        return out

    def broadcast(self, value: T) -> T:
        """Rank 0's ``value`` on every rank."""
        if self.size == 1:
            return value
        import torch.distributed as dist

        box = [value]
        dist.broadcast_object_list(box, src=0)
        return box[0]


def launched() -> bool:
    """Whether this process was started by torchrun with more than one process."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def init_world(device: str) -> World:
    """Join the process group torchrun set up (gloo on CPU, NCCL on GPU), or a world of one.

    ``device`` is the resolved device of the run; on CUDA each rank takes the GPU of its
    ``LOCAL_RANK``.
    """
    if not launched():
        return World()
    import torch
    import torch.distributed as dist

    rank = int(os.environ["RANK"])
    size = int(os.environ["WORLD_SIZE"])
    local_rank = int(os.environ.get("LOCAL_RANK", rank))
    cuda = device.startswith("cuda")
    if cuda:
        gpus = torch.cuda.device_count()
        if local_rank >= gpus:
            raise GenbenchError(
                f"torchrun started process {local_rank} of this node on --device {device}, but "
                f"the node has {gpus} GPU(s): start at most {gpus} per node "
                "(--nproc_per_node), or run on --device cpu"
            )
        torch.cuda.set_device(local_rank)
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if cuda else "gloo")
    return World(rank=rank, size=size, local_rank=local_rank)


def rank_device(device: str, world: World) -> str:
    """The device this rank samples on: its own GPU under torchrun."""
    if device.startswith("cuda") and world.size > 1:
        return f"cuda:{world.local_rank}"
    return device


def shutdown(world: World) -> None:
    """Leave the process group (a no-op for a world of one)."""
    if world.size == 1:
        return
    import torch.distributed as dist

    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
