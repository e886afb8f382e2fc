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


# The fixed shuffle a replay walks through. Datasets are often stored in order (sklearn's
# digits writer by writer), so replaying the first n images would not be a fair sample.
REPLAY_SHUFFLE_SEED = 0


def _split(dataset: str, split: str) -> Any:
    return genbench.get_registry().datasets.get(dataset).load(split)


def _replay_order(dataset: str, split_name: str, split: Any) -> Any:
    """A fixed shuffle of the rows a replay may return: the images a benchmark compares
    with (the first ``n_reference`` of the reference split) or the whole held-out split."""
    import numpy as np

    spec = genbench.get_registry().datasets.get(dataset)
    pool = len(split)
    if split_name == spec.reference_split and spec.n_reference is not None:
        pool = min(pool, spec.n_reference)
    return np.random.default_rng(REPLAY_SHUFFLE_SEED).permutation(pool)


class Replay:
    """Returns images of a dataset split: sample i is ``split[order[indices[i] % pool]]``."""

    def __init__(self, dataset: str, split: str) -> None:
        self.split = _split(dataset, split)
        self.order = _replay_order(dataset, split, self.split)

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        positions = request.indices if request.indices is not None else request.seeds
        rows = [int(self.order[int(p) % len(self.order)]) for p in positions]
        return torch.from_numpy(self.split.read("image", rows)).contiguous()


class LabelledReplay:
    """Class-conditional replay: sample i is the k-th image of the requested label in the
    split, k = ``indices[i] // num_classes`` (so balanced labels walk through each class).

    Labels are scanned in chunks only as far as the requested images need (a procedural
    dataset renders what it reads); past the last image of a class, k wraps around.
    """

    chunk = 2048

    def __init__(self, dataset: str, split: str, num_classes: int) -> None:
        self.dataset, self.split = dataset, _split(dataset, split)
        self.order = _replay_order(dataset, split, self.split)
        self.num_classes = num_classes
        self.rows: list[list[int]] = [[] for _ in range(num_classes)]
        self.scanned = 0

    def _row(self, label: int, k: int) -> int:
        """The split row of the k-th image of ``label`` (k wrapped past the last one)."""
        of_class = self.rows[label]
        while len(of_class) <= k and self.scanned < len(self.order):
            stop = min(self.scanned + self.chunk, len(self.order))
            rows = [int(r) for r in self.order[self.scanned : stop]]
            for row, found in zip(rows, self.split.read("label", rows), strict=True):
                self.rows[int(found)].append(row)
            self.scanned = stop
        if not of_class:
            raise genbench.GenbenchError(f"dataset {self.dataset!r} has no image of class {label}")
        return of_class[k % len(of_class)]

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        assert request.labels is not None, "a class-conditional request carries labels"
        positions = request.indices if request.indices is not None else request.seeds
        rows = [
            self._row(int(label), int(position) // self.num_classes)
            for position, label in zip(positions, request.labels, strict=True)
        ]
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
    levels of per-seed noise. ``field``: the mean of another image field (a translation's
    target domain); the request's condition is ignored."""

    def __init__(self, dataset: str, field: str = "image") -> None:
        import numpy as np
        import torch

        split = _split(dataset, "train")
        images = split.read(field, range(min(MEAN_IMAGES, len(split))))
        if not len(images):
            raise genbench.GenbenchError(f"dataset {dataset!r} has an empty train split")
        self.mean = torch.from_numpy(images.astype(np.float64).mean(0)).float()

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        jitter = PerSampleNoise(request.seeds).randint(2 * MEAN_JITTER + 1, *self.mean.shape)
        images = self.mean.round() + (jitter - MEAN_JITTER).float()
        return images.clamp(0, 255).to(torch.uint8)


def _inputs(request: genbench.SampleRequest) -> Any:
    if request.inputs is None or len(request.inputs) != len(request):
        raise genbench.GenbenchError(
            "a translation baseline needs one input image per seed in SampleRequest.inputs"
        )
    return request.inputs


class Copy:
    """Returns each input as its output, with the channels adapted: grey is repeated to
    RGB, RGB becomes luma (ITU-R 601) for a grey target."""

    def __init__(self, channels: int) -> None:
        self.channels = channels

    def sample(self, request: genbench.SampleRequest) -> Any:
        import torch

        inputs = torch.as_tensor(_inputs(request))
        if inputs.shape[1] == self.channels:
            return inputs.clone()
        if inputs.shape[1] == 1:
            return inputs.repeat(1, self.channels, 1, 1)
        weights = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)
        return (inputs.float() * weights).sum(1, keepdim=True).round().to(torch.uint8)


class GroundTruth:
    """The translation oracle: for each input, the target of the held-out item it comes
    from (found by the input's bytes). An input that is not in the split is an error."""

    def __init__(self, dataset: str, split: str, inputs: str, targets: str) -> None:
        self.dataset, self.inputs, self.targets = dataset, inputs, targets
        self.split = _split(dataset, split)
        known = self.split.read(inputs, range(len(self.split)))
        self.rows: dict[bytes, int] = {}
        for row, image in enumerate(known):
            self.rows.setdefault(image.tobytes(), row)

    def sample(self, request: genbench.SampleRequest) -> Any:
        import numpy as np
        import torch

        rows = []
        for image in np.asarray(_inputs(request)):
            row = self.rows.get(image.tobytes())
            if row is None:
                raise genbench.GenbenchError(
                    f"the ground-truth oracle of {self.dataset!r} knows only the held-out"
                    f" {self.inputs!r} images; this input is not one of them"
                )
            rows.append(row)
        return torch.from_numpy(self.split.read(self.targets, rows)).contiguous()
