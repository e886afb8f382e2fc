"""The checks every GAN family plugin's tests run, written once.

A plugin's test module parametrizes :class:`GANFamilyChecks` over its registration table::

    @pytest.mark.parametrize("row", MODELS, ids=lambda row: row.name)
    class TestDCGAN(GANFamilyChecks):
        build = staticmethod(build)
        pinned_samples = {"dcgan.digits": "<sha256 of sample_digest>"}

and gets: the conformance kit, a discriminator whose updates lower its loss on a fixed
batch, and shipped weights that still produce the samples pinned when they were released.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ClassVar

from genbench import SampleRequest, get_registry
from genbench.seeding import sample_seeds

if TYPE_CHECKING:
    from genbench_gankit.recipe import GANNetworks, GANRecipe
    from genbench_gankit.registration import GANModel

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

    from genbench.train import to_unit_range
    from genbench_gankit.trainer import GANTrainer

    torch.manual_seed(0)  # the initialisation
    networks = build()
    torch.manual_seed(0)  # dropout inside the discriminator
    trainer = GANTrainer(networks, recipe)
    spec = get_registry().datasets.get(dataset)
    # the first images of the split: reading them renders or loads no more than that
    data, first = spec.load(spec.reference_split), range(recipe.batch_size)
    real = to_unit_range(torch.from_numpy(data.read("image", first)))
    labels = torch.from_numpy(data.read("label", first)) if "label" in data.fields else None
    if networks.growth is not None:
        stage = networks.growth.stage(1)
        networks.growth.enter(stage)
        real = networks.growth.reals(real, stage)
    return [
        trainer.discriminator_step(real, labels, torch.Generator().manual_seed(0))["d_loss"]
        for _ in range(steps)
    ]


def sample_digest(model: str, n: int = 8) -> str:
    """sha256 of the uint8 samples of a registered model for ``n`` fixed seeds (and, for a
    class-conditional model, the balanced labels ``i % num_classes``)."""
    import torch

    spec = get_registry().models.get(model)
    labels = [i % spec.num_classes for i in range(n)] if spec.num_classes else None
    with torch.inference_mode():
        images = spec.load("cpu").sample(
            SampleRequest(seeds=sample_seeds(DIGEST_SEED, range(n)), labels=labels)
        )
    return hashlib.sha256(images.contiguous().numpy().tobytes()).hexdigest()


class GANFamilyChecks:
    """Tests shared by the GAN families, parametrized by a subclass over ``row``.

    ``first_loss`` is the update whose loss the last one must beat: WGAN's first update
    clips the initial weights, which rescales the critic, so its losses compare from 1.
    """

    build: ClassVar[Callable[[GANModel], GANNetworks]]
    pinned_samples: ClassVar[Mapping[str, str]]
    first_loss: ClassVar[int] = 0

    def test_model_conforms(self, row: GANModel) -> None:
        from genbench.testing import assert_model_conforms

        assert_model_conforms(row.name)

    def test_discriminator_steps_lower_its_loss_on_a_fixed_batch(self, row: GANModel) -> None:
        build = type(self).build
        losses = discriminator_losses(lambda: build(row), row.recipe, dataset=row.dataset)
        assert losses[-1] < losses[self.first_loss]

    def test_shipped_weights_reproduce_the_pinned_samples(self, row: GANModel) -> None:
        assert sample_digest(row.name) == self.pinned_samples[row.name]
