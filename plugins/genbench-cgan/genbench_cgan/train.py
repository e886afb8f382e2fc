"""The conditional GAN's recipe: DCGAN's (Adam(2e-4, beta1 = 0.5), m = 64, k = 1, the
non-saturating loss), with labels drawn uniformly for the generated half of each batch.
Scored every 100 iterations (FID on class-balanced samples); the best checkpoint ships.
"""

from __future__ import annotations

from typing import Any

from genbench.train.gan import GANNetworks, GANRecipe

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

ARCHITECTURES: dict[str, dict[str, Any]] = {
    "cgan.digits": {
        "latent_dim": 64,
        "num_classes": 10,
        "width": 64,
        "channels": 1,
        "upsampling": "transposed",
    },
}


def generator(**architecture: Any) -> Any:
    """The untrained generator that shipped weights are loaded into."""
    from genbench_cgan.model import ConditionalGenerator

    return ConditionalGenerator(**architecture)


def build(model: str) -> GANNetworks:
    """Both networks of ``model``, initialised as DCGAN's."""
    from genbench_dcgan.train import dcgan_init

    from genbench_cgan.model import ProjectionDiscriminator

    architecture = ARCHITECTURES[model]
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
