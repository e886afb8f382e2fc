"""Progressive GAN's recipe (Karras et al. 2018, §3, §4, appendix A.1), on this CPU's scale.

WGAN-GP loss with λ = 10 and one critic step per generator step, plus the drift term
ε_drift · E[D(x)²] with ε_drift = 0.001 that keeps the critic's scores from wandering;
Adam(lr 0.001, β = (0, 0.99)) on equalized-learning-rate layers; an EMA of the generator
(decay 0.999) is what is scored and shipped. Growing 4 → 8 → … → the full resolution:
``growth_phase`` iterations of stable training at each lower resolution and as many of
fade-in for each new one (the paper: 800k images each), then the rest at full resolution.
The paper's networks have 512 channels at low resolutions; these have 16–64, and a
minibatch of 16 (the paper uses 16 at high resolutions). The validation FID picks the best
checkpoint among those at full resolution.
"""

from __future__ import annotations

from genbench_gankit.recipe import GANNetworks, GANRecipe
from genbench_gankit.registration import GANModel, LazyNetwork


def progan_recipe(steps: int, growth_phase: int) -> GANRecipe:
    """The recipe above for a run of ``steps`` iterations."""
    return GANRecipe(
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
        growth_phase=growth_phase,
        steps=steps,
        eval_every=500,
        sample_every=1000,
        checkpoint_every=250,
    )


# generator(**architecture): the untrained network that shipped weights are loaded into
generator = LazyNetwork("genbench_progan.model:Generator")


def build(row: GANModel) -> GANNetworks:
    """Generator, discriminator (with mirrored widths) and their growth schedule."""
    from genbench_gankit.discriminator import ProgressiveDiscriminator
    from genbench_gankit.growth import ProgressiveGrowth

    architecture = dict(row.architecture)
    g = generator(**architecture)
    widths = {int(r): w for r, w in architecture["widths"].items()}
    d = ProgressiveDiscriminator(widths, row.channels, row.resolution)
    phase = row.recipe.growth_phase
    growth = ProgressiveGrowth(g, d, tuple(sorted(widths)), stable=phase, fade=phase)
    return GANNetworks(g, d, architecture["latent_dim"], None, architecture, growth)
