"""Sampling a model in batches, streamed into the feature extractor.

Determinism across batch sizes and processes: samples are numbered 0..n-1 and the
extractor always sees the same fixed chunks of ``FEATURE_CHUNK`` consecutive indices, so
its floating-point results cannot depend on ``--batch-size`` or on the number of
processes (which are given whole chunks). Images are kept only when a metric consumes
them, plus the first ``GRID_SIZE`` for the sample grid.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from genbench.bench.conditions import Conditions
from genbench.bench.timing import Stopwatch
from genbench.contract import check_output, value_range_problem
from genbench.features.extractor import FEATURE_CHUNK

if TYPE_CHECKING:
    import numpy as np
    import torch

GRID_SIZE = 64


def chunk_ranges(n: int) -> list[range]:
    """The extractor's chunks of sample indices: fixed, whatever the batch size."""
    return [range(start, min(start + FEATURE_CHUNK, n)) for start in range(0, n, FEATURE_CHUNK)]


def autocast(device: str, precision: str) -> Any:
    """Mixed-precision sampling (``bf16``/``fp16``); ``fp32`` changes nothing."""
    if precision == "fp32":
        return contextlib.nullcontext()
    import torch

    dtype = torch.bfloat16 if precision == "bf16" else torch.float16
    return torch.autocast(device_type=torch.device(device).type, dtype=dtype)


@dataclass
class OutputMonitor:
    """Catches output that passes the dtype and shape checks but is not an image set:
    every image a single flat colour (what NaNs cast to uint8 become), all identical, or
    only 0s and 1s (images in 0..1 cast to uint8)."""

    first: np.ndarray | None = None
    varied: bool = False
    distinct: bool = False
    brightest: int = 0

    def update(self, images: torch.Tensor) -> None:
        flat = images.flatten(1)
        if not self.varied:
            self.varied = bool((flat.amax(1) != flat.amin(1)).any())
        if self.first is None:
            self.first = images[0].numpy().copy()
        if not self.distinct:
            self.distinct = (
                bool((flat != flat[:1]).any()) or not (images[0].numpy() == self.first).all()
            )
        self.brightest = max(self.brightest, int(images.max()))

    @classmethod
    def merged(cls, monitors: Sequence[OutputMonitor]) -> OutputMonitor:
        firsts = [m.first for m in monitors if m.first is not None]
        distinct = any(m.distinct for m in monitors) or any(
            not (f == firsts[0]).all() for f in firsts[1:]
        )
        varied = any(m.varied for m in monitors)
        brightest = max(m.brightest for m in monitors)
        return cls(
            first=firsts[0] if firsts else None,
            varied=varied,
            distinct=distinct,
            brightest=brightest,
        )

    def problem(self, n: int) -> str | None:
        if self.first is not None and not self.varied:
            return "every image is a single flat colour (NaN or constant output cast to uint8?)"
        if n > 1 and not self.distinct:
            return f"all {n} samples are identical: the seeds are ignored"
        return value_range_problem(self.brightest) if self.first is not None else None


@dataclass
class Shard:
    """What one process made of its share of the samples (sent to rank 0)."""

    indices: list[int] = field(default_factory=list)
    features: dict[str, np.ndarray] = field(default_factory=dict)
    images: np.ndarray | None = None
    grid: dict[int, np.ndarray] = field(default_factory=dict)
    monitor: OutputMonitor = field(default_factory=OutputMonitor)
    sampling_s: float = 0.0
    features_s: float = 0.0
    error: str | None = None
    variations: dict[str, np.ndarray] | None = None  # translation, rank 0 only


def sample_shard(
    conditions: Conditions,
    generator: Any,
    extractor: Any,
    chunks: Sequence[range],
    *,
    batch_size: int,
    device: str,
    precision: str,
    keep_images: bool,
    progress: Any = None,
) -> Shard:
    """Sample the indices of ``chunks`` in batches and extract their features chunk by chunk."""
    import numpy as np
    import torch

    spec = conditions.model
    watch = Stopwatch()
    order = [i for chunk in chunks for i in chunk]
    shard = Shard(indices=order)
    outputs: dict[str, list[np.ndarray]] = {}
    kept: list[np.ndarray] = []
    pending: list[torch.Tensor] = []
    remaining = list(chunks)
    cuda = device.startswith("cuda")
    for start in range(0, len(order), batch_size):
        indices = order[start : start + batch_size]
        request = conditions.request(indices)
        with watch("sampling"), torch.inference_mode(), autocast(device, precision):
            images = generator.sample(request)
            if cuda:
                torch.cuda.synchronize()
        check_output(spec, images, len(indices))
        images = images.cpu()
        shard.monitor.update(images)
        for i, image in zip(indices, images, strict=True):
            if i < GRID_SIZE:
                shard.grid[i] = image.numpy()
        if keep_images:
            kept.append(images.numpy())
        pending.append(images)
        while remaining and sum(len(p) for p in pending) >= len(remaining[0]):
            size = len(remaining.pop(0))
            batch = torch.cat(pending)
            pending = [batch[size:]] if len(batch) > size else []
            with watch("features"), torch.inference_mode():
                for name, value in extractor(batch[:size].to(device)).items():
                    outputs.setdefault(name, []).append(value.float().cpu().numpy())
        if progress is not None:
            progress.update(len(indices))
    shard.features = {name: np.concatenate(parts) for name, parts in outputs.items()}
    shard.images = np.concatenate(kept) if kept else None
    shard.sampling_s, shard.features_s = watch.get("sampling"), watch.get("features")
    return shard
