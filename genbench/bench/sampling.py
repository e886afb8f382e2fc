"""Sampling a model in batches, streamed into the feature extractor.

Determinism across batch sizes and processes: samples are numbered 0..n-1 and the
extractor always sees the same fixed chunks of ``FEATURE_CHUNK`` consecutive indices, so
its floating-point results cannot depend on ``--batch-size`` or on the number of
processes (which are given whole chunks). Images are kept only when a metric consumes
them, plus the first ``GRID_SIZE`` for the sample grid. The model's side of that contract
(sample i depends only on its seed and condition) is checked by drawing a few of the grid's
samples again in a batch of their own (``seed_contract_problem``).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Sequence
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

    chunks: list[range] = field(default_factory=list)
    features: dict[str, np.ndarray] = field(default_factory=dict)
    images: np.ndarray | None = None
    grid: dict[int, np.ndarray] = field(default_factory=dict)
    monitor: OutputMonitor = field(default_factory=OutputMonitor)
    sampling_s: float = 0.0
    features_s: float = 0.0
    error: str | None = None
    variations: dict[str, np.ndarray] | None = None  # translation, rank 0 only
    warning: str | None = None  # the seed contract's check, rank 0 only


def draw(generator: Any, request: Any, *, device: str, precision: str) -> torch.Tensor:
    """One call of the model's ``sample``, as every batch of the run is made."""
    import torch

    with torch.inference_mode(), autocast(device, precision):
        images = generator.sample(request)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
    return images


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
    on_batch: Callable[[int], None] | None = None,
) -> Shard:
    """Sample the indices of ``chunks`` in batches and extract their features chunk by chunk.

    Memory is what the run must keep: features (and images when a metric reads them) go
    into arrays of the shard's final length, filled as chunks finish; indices are drawn
    from the chunks as batches need them, never listed."""
    import numpy as np
    import torch

    from genbench.features.extractor import Stack

    spec = conditions.model
    watch = Stopwatch()
    total = sum(len(chunk) for chunk in chunks)
    shard = Shard(chunks=list(chunks))
    features = Stack(total)
    kept: np.ndarray | None = None
    pending: list[torch.Tensor] = []
    remaining = iter(chunks)
    waiting = next(remaining, None)
    order = itertools.chain.from_iterable(chunks)
    done = 0
    while indices := list(itertools.islice(order, batch_size)):
        request = conditions.request(indices)
        with watch("sampling"):
            images = draw(generator, request, device=device, precision=precision)
        check_output(spec, images, len(indices))
        images = images.cpu()
        shard.monitor.update(images)
        for i, image in zip(indices, images, strict=True):
            if i < GRID_SIZE:
                shard.grid[i] = image.numpy()
        if keep_images:
            if kept is None:
                kept = np.empty((total, *images.shape[1:]), np.uint8)
            kept[done : done + len(images)] = images.numpy()
        done += len(images)
        pending.append(images)
        while waiting is not None and sum(len(p) for p in pending) >= len(waiting):
            size = len(waiting)
            waiting = next(remaining, None)
            batch = torch.cat(pending)
            pending = [batch[size:]] if len(batch) > size else []
            with watch("features"), torch.inference_mode():
                features.add({k: v.float() for k, v in extractor(batch[:size].to(device)).items()})
        if on_batch is not None:
            on_batch(len(indices))
    shard.features = features.arrays()
    shard.images = kept
    shard.sampling_s, shard.features_s = watch.get("sampling"), watch.get("features")
    return shard


# Samples drawn again in a batch of their own may differ by float rounding (a matmul's
# blocking changes with the batch size) but not by more than this many grey levels on
# average; a model that draws noise per batch or from the global RNG differs by tens.
SEED_CHECK_TOLERANCE = 2.0
SEED_CHECK_SIZE = 4


def seed_contract_problem(
    conditions: Conditions, generator: Any, shard: Shard, *, device: str, precision: str
) -> str | None:
    """Why the shard's samples break the seed contract, or None: sample i must depend only
    on its seed and condition, or the metrics change with ``--batch-size``."""
    picks, gap = redraw_gap(conditions, generator, shard, device=device, precision=precision)
    if gap <= SEED_CHECK_TOLERANCE:
        return None
    return (
        f"seed contract: samples {', '.join(map(str, picks))} drawn again in a batch of their "
        f"own differ from the run's by {gap:.1f} grey levels on average; a sample must depend "
        "only on its seed and condition (draw noise with genbench.seeding.PerSampleNoise), "
        "else its metrics change with --batch-size"
    )


def redraw_gap(
    conditions: Conditions, generator: Any, shard: Shard, *, device: str, precision: str
) -> tuple[list[int], float]:
    """Draw up to ``SEED_CHECK_SIZE`` of the shard's grid samples again, in one batch of
    their own and in reverse order: which, and their mean absolute difference from the
    run's in grey levels."""
    import numpy as np

    from genbench.contract import check_output

    kept = sorted(shard.grid)
    if not kept:
        return [], 0.0
    last = SEED_CHECK_SIZE - 1  # the last kept, evenly spaced others, the first
    picks = list(dict.fromkeys(kept[(len(kept) - 1) * k // last] for k in range(last, -1, -1)))
    images = draw(generator, conditions.request(picks), device=device, precision=precision)
    check_output(conditions.model, images, len(picks))
    again = images.cpu().numpy().astype(np.int16)
    return picks, float(np.abs(again - np.stack([shard.grid[i] for i in picks])).mean())
