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
    of the reference split's ``field`` (all of them if None; ``field`` is the ground truth
    generated images are compared with, e.g. a translation's target ``domain_b``). The
    image field's features are cached as the benchmark caches them."""

    def __init__(
        self,
        dataset: str,
        device: str = "cpu",
        n_reference: int | None = None,
        field: str = "image",
    ) -> None:
        from genbench.features import load_extractor, reference_features
        from genbench.features.reference import field_features
        from genbench.plugins import get_registry

        spec = get_registry().datasets.get(dataset)
        self.extractor = load_extractor(spec.default_features, device=device)
        if field == "image":
            self.reference = reference_features(
                dataset, spec.reference_split, self.extractor, n_reference
            )
        else:
            data = spec.load(spec.reference_split)
            total = len(data) if n_reference is None else min(n_reference, len(data))
            self.reference = field_features(data, field, total, self.extractor)

    def __call__(self, images: torch.Tensor) -> dict[str, np.ndarray]:
        """Every output of the net (``"features"``, ``"logits"``, ...) on uint8 images, as
        float64 arrays (n, d)."""
        import torch

        with torch.no_grad():
            outputs = self.extractor(images)
        return {name: value.double().cpu().numpy() for name, value in outputs.items()}

    def features(self, images: torch.Tensor | np.ndarray) -> np.ndarray:
        """The ``"features"`` output on uint8 images (n, C, H, W) as float64 (n, d), fed in
        the benchmark's fixed chunks, so the values (and FIDs) equal a leaderboard row's."""
        import numpy as np

        extracted = self.extractor.extract([images], total=len(images))
        return np.asarray(extracted["features"], dtype=np.float64)

    def fid(self, features: np.ndarray) -> float:
        """FID of ``features`` (n, d) against the reference features."""
        import numpy as np

        from genbench.metrics import fid_from_features

        real = np.asarray(self.reference["features"], dtype=np.float64)
        return float(fid_from_features(real, features))


class FrechetValidator:
    """FID of ``n`` generated samples vs the reference split, in the dataset's feature net.

    A generator with a ``num_classes`` attribute (not None) is asked for balanced labels.
    ``field`` is the reference split's field generated images are compared with (see
    :class:`FeatureSpace`); ``score`` takes any uint8 images.
    """

    def __init__(self, dataset: str, n: int, device: str, field: str = "image") -> None:
        self.space = FeatureSpace(dataset, device, field=field)
        self.seeds = sample_seeds(VALIDATION_SEED, range(n))

    def __call__(self, generator: Generator) -> float:
        labels = None
        num_classes = getattr(generator, "num_classes", None)
        if num_classes is not None:
            labels = [i % num_classes for i in range(len(self.seeds))]
        return self.score(generator.sample(SampleRequest(seeds=self.seeds, labels=labels)))

    def score(self, images: torch.Tensor) -> float:
        """FID of uint8 images (n, C, H, W) against the reference field."""
        return self.space.fid(self.space(images)["features"])
