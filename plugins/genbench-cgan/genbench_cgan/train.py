"""The conditional GAN's recipe: DCGAN's (Adam(2e-4, beta1 = 0.5), m = 64, k = 1, the
non-saturating loss), with labels drawn uniformly for the generated half of each batch.
Scored every 100 iterations (FID on class-balanced samples); the best checkpoint ships.
"""

from __future__ import annotations

from genbench_gankit.recipe import GANNetworks, GANRecipe
from genbench_gankit.registration import GANModel, LazyNetwork

RECIPE = GANRecipe(
    loss="non-saturating",
    batch_size=64,
    discriminator_steps=1,
    optimizer="adam",
    lr_generator=2e-4,
    lr_discriminator=2e-4,
    betas=(0.5, 0.999),
    steps=1000,
    eval_every=100,
)


# generator(**architecture): the untrained network that shipped weights are loaded into
generator = LazyNetwork("genbench_cgan.model:ConditionalGenerator")


def build(row: GANModel) -> GANNetworks:
    """Both networks of ``row``, initialised as DCGAN's."""
    from genbench_gankit.dcgan import dcgan_init

    from genbench_cgan.model import ProjectionDiscriminator

    architecture = dict(row.architecture)
    discriminator = ProjectionDiscriminator(
        architecture["num_classes"], architecture["width"], architecture["channels"]
    )
    return GANNetworks(
        generator(**architecture).apply(dcgan_init),
        discriminator.apply(dcgan_init),
        architecture["latent_dim"],
        architecture["num_classes"],
        architecture,
    )
