"""The recipes of WGAN and WGAN-GP, as their papers give them.

WGAN (Arjovsky et al. 2017, Algorithm 1): n_critic = 5 critic steps per generator step,
RMSprop with learning rate 5e-5, critic weights clipped to [-0.01, 0.01], m = 64.
WGAN-GP (Gulrajani et al. 2017, Algorithm 1): n_critic = 5, gradient penalty lambda = 10,
Adam(1e-4, beta1 = 0, beta2 = 0.9), m = 64.
Both ship an exponential moving average of the generator (decay 0.999): their small,
momentum-free steps make the raw iterates noisy, and on this data the average scored far
better. Each is scored every 250 generator iterations and the best checkpoint is shipped.
"""

from __future__ import annotations

from genbench_gankit.recipe import GANNetworks, GANRecipe
from genbench_gankit.registration import GANModel, LazyNetwork

WGAN = GANRecipe(
    loss="wasserstein",
    batch_size=64,
    discriminator_steps=5,
    optimizer="rmsprop",
    lr_generator=5e-5,
    lr_discriminator=5e-5,
    weight_clip=0.01,
    ema_decay=0.999,
    steps=20000,
    eval_every=250,
)

WGAN_GP = GANRecipe(
    loss="wasserstein",
    batch_size=64,
    discriminator_steps=5,
    optimizer="adam",
    lr_generator=1e-4,
    lr_discriminator=1e-4,
    betas=(0.0, 0.9),
    gradient_penalty=10.0,
    ema_decay=0.999,
    steps=20000,
    eval_every=250,
)

# The critic's hidden width.
CRITIC_HIDDEN = 512


# generator(**architecture): the untrained network that shipped weights are loaded into
generator = LazyNetwork("genbench_gankit.mlp:Generator")


def build(row: GANModel) -> GANNetworks:
    """Generator and critic of ``row``, with PyTorch's default initialisation (built in
    this order: the initialisation draws from one seeded stream)."""
    from genbench_wgan.critic import Critic

    architecture = dict(row.architecture)
    g = generator(**architecture)
    critic = Critic(CRITIC_HIDDEN, channels=row.channels, resolution=row.resolution)
    return GANNetworks(g, critic, architecture["latent_dim"], None, architecture)
