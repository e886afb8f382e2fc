"""StyleGAN's recipe (Karras et al. 2019, appendix C; their CelebA-HQ setting, which is
Progressive GAN's), on this CPU's scale.

``genbench_gankit.recipe.karras_recipe``: the WGAN-GP loss (λ = 10, one critic step per
generator step) with Progressive GAN's drift term 0.001 · E[D(x)²]; Adam(lr 0.001,
β = (0, 0.99)) on equalized-learning-rate layers (the mapping network's 100× lower), an
EMA of the generator (decay 0.999) scored and shipped; style mixing on 90 % of the
minibatches (the generator's own). The discriminator is Progressive GAN's, which StyleGAN
keeps. The paper's FFHQ setting, the non-saturating loss with the R1 penalty, was tried
first (γ = 0.1, 6000 iterations): its
validation FID was best at iteration 1500 (1077) and rose to 2063, with samples
collapsing onto red and green blobs; the Wasserstein run of Progressive GAN on the same
data improved steadily. Differences from the paper, for a 32×32 CPU run: no progressive
growing (StyleGAN 2 drops it too; at 32² the network is shallow), 16–64 channels instead
of 512, minibatch 16.
"""

from __future__ import annotations

from genbench_gankit.recipe import GANNetworks, karras_recipe
from genbench_gankit.registration import GANModel, LazyNetwork

RECIPE = karras_recipe(steps=20000)


# generator(**architecture): the untrained network that shipped weights are loaded into
generator = LazyNetwork("genbench_stylegan.model:Generator")


def build(row: GANModel) -> GANNetworks:
    """The style-based generator and Progressive GAN's discriminator (mirrored widths)."""
    from genbench_gankit.discriminator import ProgressiveDiscriminator

    architecture = dict(row.architecture)
    widths = {int(r): w for r, w in architecture["widths"].items()}
    discriminator = ProgressiveDiscriminator(widths, row.channels, row.resolution)
    return GANNetworks(
        generator(**architecture), discriminator, architecture["latent_dim"], None, architecture
    )
