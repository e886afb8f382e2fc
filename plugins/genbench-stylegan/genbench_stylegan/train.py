"""StyleGAN's recipe (Karras et al. 2019, appendix C; their CelebA-HQ setting, which is
Progressive GAN's), on this CPU's scale.

The WGAN-GP loss (λ = 10, one critic step per generator step) with Progressive GAN's drift
term ε_drift · E[D(x)²], ε_drift = 0.001; Adam(lr 0.001, β = (0, 0.99)) on
equalized-learning-rate layers (the mapping network's 100× lower), style mixing on 90 % of
the minibatches, an EMA of the generator (decay 0.999) scored and shipped. The
discriminator is Progressive GAN's, which StyleGAN keeps. The paper's FFHQ setting, the
non-saturating loss with the R1 penalty, was tried first (γ = 0.1, 6000 iterations): its
validation FID was best at iteration 1500 (1077) and rose to 2063, with samples
collapsing onto red and green blobs; the Wasserstein run of Progressive GAN on the same
data improved steadily. Differences from the paper, for a 32×32 CPU run: no progressive
growing (StyleGAN 2 drops it too; at 32² the network is shallow), 16–64 channels instead
of 512, minibatch 16.
"""

from __future__ import annotations

from genbench_gankit.recipe import GANNetworks, GANRecipe
from genbench_gankit.registration import GANModel, LazyNetwork

RECIPE = GANRecipe(
    loss="wasserstein",
    batch_size=16,
    discriminator_steps=1,
    optimizer="adam",
    lr_generator=1e-3,
    lr_discriminator=1e-3,
    betas=(0.0, 0.99),
    gradient_penalty=10.0,
    drift=1e-3,
    ema_decay=0.999,
    steps=12000,
    eval_every=500,
    sample_every=1000,
    checkpoint_every=250,
)


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
