"""The baseline generators. Each follows the genbench contract: sample i depends only on
its seed (or its index in the run, for replays of a dataset)."""

from __future__ import annotations

from typing import Any

import genbench
from genbench.seeding import PerSampleNoise

# Grey levels of per-seed noise on the mean image: enough that samples differ, far too
# little for any metric to tell them from the mean.
MEAN_JITTER = 2


def _split(dataset: str, split: str) -> Any:
    return genbench.get_registry().datasets.get(dataset).load(split)


class Replay:
    """Returns images of a dataset split: sample i is ``split[indices[i] % len(split)]``."""

    def __init__(self, dataset: str, split: str) -> None:
        self.split = _split(dataset, split)

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        positions = request.indices if request.indices is not None else request.seeds
        rows = [int(p) % len(self.split) for p in positions]
        return torch.from_numpy(self.split.read("image", rows)).contiguous()


class Noise:
    """Uniform noise over 0..255, one independent draw per seed."""

    def __init__(self, channels: int, resolution: int) -> None:
        self.shape = (channels, resolution, resolution)

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        return PerSampleNoise(request.seeds).randint(256, *self.shape).to(torch.uint8)


class Mean:
    """The mean training image, plus ±``MEAN_JITTER`` grey levels of per-seed noise."""

    def __init__(self, dataset: str, chunk: int = 2048) -> None:
        import numpy as np
        import torch

        split = _split(dataset, "train")
        total = None
        for start in range(0, len(split), chunk):
            images = split.read("image", range(start, min(start + chunk, len(split))))
            part = images.astype(np.float64).sum(0)
            total = part if total is None else total + part
        assert total is not None, f"dataset {dataset!r} has an empty train split"
        self.mean = torch.from_numpy(total / len(split)).float()

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        jitter = PerSampleNoise(request.seeds).randint(2 * MEAN_JITTER + 1, *self.mean.shape)
        images = self.mean.round() + (jitter - MEAN_JITTER).float()
        return images.clamp(0, 255).to(torch.uint8)
