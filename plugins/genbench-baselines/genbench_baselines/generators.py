"""The baseline generators. Each follows the genbench contract: sample i depends only on
its seed (or its index in the run, for replays of a dataset)."""

from __future__ import annotations

from typing import Any

import genbench
from genbench.seeding import PerSampleNoise

# Grey levels of per-seed noise on the mean image: enough that samples differ, far too
# little for any metric to tell them from the mean.
MEAN_JITTER = 2
# The mean is taken over the first training images (all of digits; procedural shapes would
# otherwise render 20000 scenes for a picture that is already converged).
MEAN_IMAGES = 2048


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


class LabelledReplay:
    """Class-conditional replay: sample i is the k-th image of the requested label in the
    split, k = ``indices[i] // num_classes`` (so balanced labels walk through each class)."""

    def __init__(self, dataset: str, split: str, num_classes: int) -> None:
        import numpy as np

        self.split = _split(dataset, split)
        labels = self.split.read("label", range(len(self.split)))
        self.rows = [np.flatnonzero(labels == c).tolist() for c in range(num_classes)]
        self.num_classes = num_classes
        empty = [c for c, rows in enumerate(self.rows) if not rows]
        if empty:
            raise genbench.GenbenchError(
                f"dataset {dataset!r} split {split!r} has no image of class {empty}"
            )

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        assert request.labels is not None, "a class-conditional request carries labels"
        positions = request.indices if request.indices is not None else request.seeds
        rows = []
        for position, label in zip(positions, request.labels, strict=True):
            of_class = self.rows[int(label)]
            rows.append(of_class[(int(position) // self.num_classes) % len(of_class)])
        return torch.from_numpy(self.split.read("image", rows)).contiguous()


class Noise:
    """Uniform noise over 0..255, one independent draw per seed."""

    def __init__(self, channels: int, resolution: int) -> None:
        self.shape = (channels, resolution, resolution)

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        return PerSampleNoise(request.seeds).randint(256, *self.shape).to(torch.uint8)


class Mean:
    """The mean training image (of the first ``MEAN_IMAGES``), plus ±``MEAN_JITTER`` grey
    levels of per-seed noise."""

    def __init__(self, dataset: str) -> None:
        import numpy as np
        import torch

        split = _split(dataset, "train")
        images = split.read("image", range(min(MEAN_IMAGES, len(split))))
        if not len(images):
            raise genbench.GenbenchError(f"dataset {dataset!r} has an empty train split")
        self.mean = torch.from_numpy(images.astype(np.float64).mean(0)).float()

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        jitter = PerSampleNoise(request.seeds).randint(2 * MEAN_JITTER + 1, *self.mean.shape)
        images = self.mean.round() + (jitter - MEAN_JITTER).float()
        return images.clamp(0, 255).to(torch.uint8)
