"""Checks that a GAN family plugin's tests share: the discriminator learns, and shipped
weights still produce the samples they produced when the plugin was released."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from genbench.seeding import sample_seeds
from genbench.spec import SampleRequest

if TYPE_CHECKING:
    from genbench.train.gan import GANNetworks, GANRecipe

DIGEST_SEED = 7


def discriminator_losses(
    build: Callable[[], GANNetworks],
    recipe: GANRecipe,
    *,
    dataset: str = "digits",
    steps: int = 5,
) -> list[float]:
    """D's loss over ``steps`` updates on one fixed real batch and one fixed fake batch.

    ``build()`` makes the networks from a fixed seed, so the losses do not depend on what
    ran before. The generator is not updated, so a working discriminator update must lower
    the loss.
    """
    import torch

    from genbench.plugins import get_registry
    from genbench.train.data import RealBatches
    from genbench.train.gan import GANTrainer

    torch.manual_seed(0)  # the initialisation
    networks = build()
    torch.manual_seed(0)  # dropout inside the discriminator
    trainer = GANTrainer(networks, recipe)
    split = get_registry().datasets.get(dataset).reference_split
    real, labels = RealBatches(dataset, split, recipe.batch_size, seed=0, device="cpu").batch(0)
    return [
        trainer.discriminator_step(real, labels, torch.Generator().manual_seed(0))["d_loss"]
        for _ in range(steps)
    ]


def sample_digest(model: str, n: int = 8) -> str:
    """sha256 of the uint8 samples of a registered model for ``n`` fixed seeds (and, for a
    class-conditional model, the balanced labels ``i % num_classes``)."""
    import torch

    from genbench.plugins import get_registry

    spec = get_registry().models.get(model)
    labels = [i % spec.num_classes for i in range(n)] if spec.num_classes else None
    with torch.inference_mode():
        images = spec.load("cpu").sample(
            SampleRequest(seeds=sample_seeds(DIGEST_SEED, range(n)), labels=labels)
        )
    return hashlib.sha256(images.contiguous().numpy().tobytes()).hexdigest()
