"""A cheap validation metric for keeping the best checkpoint of an unstable GAN run.

GANs do not converge to a point: the MLP GAN collapses onto fewer digits after a few
thousand iterations and DCGAN can diverge (NOTES.md). So the loop scores the generator
every few hundred iterations with the benchmark's own yardstick at a small scale, FID of a
few hundred samples in the dataset's default feature space against the reference split,
and keeps the checkpoint that scored best. :class:`FeatureSpace` is that yardstick on its
own, for studies that score images other than a generator's samples.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genbench.seeding import sample_seeds
from genbench.spec import SampleRequest

if TYPE_CHECKING:
    import numpy as np
    import torch

    from genbench.spec import Generator

VALIDATION_SEED = 20140610  # fixed: every evaluation of a run sees the same z


class FeatureSpace:
    """A dataset's default feature net and its outputs on the first ``n_reference`` images
    of the reference split (all of them if None), cached as the benchmark caches them."""

    def __init__(self, dataset: str, device: str = "cpu", n_reference: int | None = None) -> None:
        from genbench.features import load_extractor, reference_features
        from genbench.plugins import get_registry

        spec = get_registry().datasets.get(dataset)
        self.extractor = load_extractor(spec.default_features, device=device)
        self.reference = reference_features(
            dataset, spec.reference_split, self.extractor, n_reference
        )

    def __call__(self, images: torch.Tensor) -> dict[str, np.ndarray]:
        """Every output of the net (``"features"``, ``"logits"``, ...) on uint8 images, as
        float64 arrays (n, d)."""
        import torch

        with torch.no_grad():
            outputs = self.extractor(images)
        return {name: value.double().cpu().numpy() for name, value in outputs.items()}

    def fid(self, features: np.ndarray) -> float:
        """FID of ``features`` (n, d) against the reference features."""
        import numpy as np

        from genbench.metrics import fid_from_features

        real = np.asarray(self.reference["features"], dtype=np.float64)
        return float(fid_from_features(real, features))


class FrechetValidator:
    """FID of ``n`` generated samples vs the reference split, in the dataset's feature net.

    A generator with a ``num_classes`` attribute (not None) is asked for balanced labels.
    """

    def __init__(self, dataset: str, n: int, device: str) -> None:
        self.space = FeatureSpace(dataset, device)
        self.seeds = sample_seeds(VALIDATION_SEED, range(n))

    def __call__(self, generator: Generator) -> float:
        labels = None
        num_classes = getattr(generator, "num_classes", None)
        if num_classes is not None:
            labels = [i % num_classes for i in range(len(self.seeds))]
        images = generator.sample(SampleRequest(seeds=self.seeds, labels=labels))
        return self.space.fid(self.space(images)["features"])
