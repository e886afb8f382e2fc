"""DCGAN's training recipe (Radford et al. 2016, §4): Adam(2e-4, beta1 = 0.5), batches of
64 (the paper used 128; digits has 1437 training images), the non-saturating loss, one
discriminator step per generator step. Radford et al. initialise weights from N(0, 0.02).
The networks are ``genbench_gankit.dcgan``'s (the conditional GAN family shares them).

DCGAN on digits is unstable (NOTES.md: at width 32 it diverged), so the run is scored every
250 iterations and the best checkpoint is shipped. What is scored and shipped is an
exponential moving average of the generator (decay 0.999), as for the Wasserstein GANs:
the raw iterates of an unstable run jump between evaluations.
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
    ema_decay=0.999,
    steps=6000,
    eval_every=250,
)


def build(row: GANModel) -> GANNetworks:
    """Both networks of ``row``, initialised as Radford et al. do."""
    from genbench_gankit.dcgan import Discriminator, dcgan_init

    architecture = dict(row.architecture)
    discriminator = Discriminator(architecture["width"], architecture["channels"])
    return GANNetworks(
        generator(**architecture).apply(dcgan_init),
        discriminator.apply(dcgan_init),
        architecture["latent_dim"],
        None,
        architecture,
    )


# generator(**architecture): the untrained network that shipped weights are loaded into
generator = LazyNetwork("genbench_gankit.dcgan:Generator")
