"""A cheap validation metric for keeping the best checkpoint of an unstable GAN run.

GANs do not converge to a point: the MLP GAN collapses onto fewer digits after a few
thousand iterations and DCGAN can diverge (NOTES.md). So the loop scores the generator
every few hundred iterations with the benchmark's own yardstick at a small scale, FID of a
few hundred samples in the dataset's default feature space against the reference split,
and keeps the checkpoint that scored best.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genbench.seeding import sample_seeds
from genbench.spec import SampleRequest

if TYPE_CHECKING:
    import torch

    from genbench.train.sampling import GANSampler

VALIDATION_SEED = 20140610  # fixed: every evaluation of a run sees the same z


class FrechetValidator:
    """FID of ``n`` generated samples vs the reference split, in the dataset's feature net.

    ``field`` is the reference split's field generated images are compared with (a
    translation model's target, e.g. ``domain_b``); ``score`` takes any uint8 images.
    """

    def __init__(self, dataset: str, n: int, device: str, field: str = "image") -> None:
        from genbench.features import load_extractor, reference_features
        from genbench.plugins import get_registry

        spec = get_registry().datasets.get(dataset)
        self.extractor = load_extractor(spec.default_features, device=device)
        if field == "image":
            self.reference = reference_features(dataset, spec.reference_split, self.extractor)
        else:
            data = spec.load(spec.reference_split)
            starts = range(0, len(data), 256)
            batches = (data.read(field, range(i, min(i + 256, len(data)))) for i in starts)
            self.reference = self.extractor.extract(batches, total=len(data))
        self.seeds = sample_seeds(VALIDATION_SEED, range(n))
        self.num_classes = spec.num_classes

    def __call__(self, sampler: GANSampler) -> float:
        labels = None
        if sampler.num_classes is not None:
            labels = [i % sampler.num_classes for i in range(len(self.seeds))]
        return self.score(sampler.sample(SampleRequest(seeds=self.seeds, labels=labels)))

    def score(self, images: torch.Tensor) -> float:
        """FID of uint8 images (n, C, H, W) against the reference field."""
        import numpy as np
        import torch

        from genbench.metrics import fid_from_features

        with torch.no_grad():
            fake = self.extractor(images)["features"].double().cpu().numpy()
        real = np.asarray(self.reference["features"], dtype=np.float64)
        return float(fid_from_features(real, fake))
