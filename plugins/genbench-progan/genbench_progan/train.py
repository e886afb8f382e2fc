"""How Progressive GAN trains (Karras et al. 2018, §3, §4, appendix A.1), on this CPU's scale.

The loss, optimiser and EMA are ``genbench_gankit.recipe.karras_recipe``'s (WGAN-GP with
the drift term, Adam(0.001, β = (0, 0.99)), EMA 0.999). Growing 4 → 8 → … → the full
resolution: ``growth_phase`` iterations of stable training at each lower resolution and as
many of fade-in for each new one (the paper: 800k images each), then the rest at full
resolution. The paper's networks have 512 channels at low resolutions; these have 16–64.
The validation FID picks the best checkpoint among those at full resolution.
"""

from __future__ import annotations

from genbench_gankit.recipe import GANNetworks
from genbench_gankit.registration import GANModel, LazyNetwork

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
