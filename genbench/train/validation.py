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
    from genbench.spec import Generator

VALIDATION_SEED = 20140610  # fixed: every evaluation of a run sees the same z


class FrechetValidator:
    """FID of ``n`` generated samples vs the reference split, in the dataset's feature net.

    A generator with a ``num_classes`` attribute (not None) is asked for balanced labels.
    """

    def __init__(self, dataset: str, n: int, device: str) -> None:
        from genbench.features import load_extractor, reference_features
        from genbench.plugins import get_registry

        spec = get_registry().datasets.get(dataset)
        self.extractor = load_extractor(spec.default_features, device=device)
        self.reference = reference_features(dataset, spec.reference_split, self.extractor)
        self.seeds = sample_seeds(VALIDATION_SEED, range(n))
        self.num_classes = spec.num_classes

    def __call__(self, generator: Generator) -> float:
        import numpy as np
        import torch

        from genbench.metrics import fid_from_features

        labels = None
        num_classes = getattr(generator, "num_classes", None)
        if num_classes is not None:
            labels = [i % num_classes for i in range(len(self.seeds))]
        images = generator.sample(SampleRequest(seeds=self.seeds, labels=labels))
        with torch.no_grad():
            fake = self.extractor(images)["features"].double().cpu().numpy()
        real = np.asarray(self.reference["features"], dtype=np.float64)
        return float(fid_from_features(real, fake))
