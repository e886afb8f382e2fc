"""The GAN recipe of Goodfellow et al. 2014 on digits: k = 1 discriminator step per
generator step, the non-saturating generator loss ("maximise log D(G(z))", §3), minibatches
of m = 64. The paper used SGD with momentum; Adam(2e-4, beta1 = 0.5) trains these MLPs
faster and is what later GAN work settled on.

The MLP GAN collapses onto fewer digits after ~4k iterations on this data (NOTES.md), so
the run is scored every 250 iterations and the best checkpoint is shipped.
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
    steps=8000,
    eval_every=250,
)


# generator(**architecture): the untrained network that shipped weights are loaded into
generator = LazyNetwork("genbench_gankit.mlp:Generator")


def build(row: GANModel) -> GANNetworks:
    """Both networks of ``row``, with PyTorch's default initialisation."""
    from genbench_gan.model import Discriminator

    architecture = dict(row.architecture)
    discriminator = Discriminator(channels=row.channels, resolution=row.resolution)
    return GANNetworks(
        generator(**architecture), discriminator, architecture["latent_dim"], None, architecture
    )
