"""The recipes of WGAN and WGAN-GP, as their papers give them.

WGAN (Arjovsky et al. 2017, Algorithm 1): n_critic = 5 critic steps per generator step,
RMSprop with learning rate 5e-5, critic weights clipped to [-0.01, 0.01], m = 64.
WGAN-GP (Gulrajani et al. 2017, Algorithm 1): n_critic = 5, gradient penalty lambda = 10,
Adam(1e-4, beta1 = 0, beta2 = 0.9), m = 64.
WGAN is scored every 100 generator iterations, WGAN-GP every 250; the best checkpoint
is shipped.
"""

from __future__ import annotations

from typing import Any

from genbench.train.gan import GANNetworks, GANRecipe

RECIPES = {
    "wgan.digits": GANRecipe(
        loss="wasserstein",
        batch_size=64,
        discriminator_steps=5,
        optimizer="rmsprop",
        lr_generator=5e-5,
        lr_discriminator=5e-5,
        weight_clip=0.01,
        steps=1000,
        eval_every=100,
    ),
    "wgan-gp.digits": GANRecipe(
        loss="wasserstein",
        batch_size=64,
        discriminator_steps=5,
        optimizer="adam",
        lr_generator=1e-4,
        lr_discriminator=1e-4,
        betas=(0.0, 0.9),
        gradient_penalty=10.0,
        steps=1500,
        eval_every=250,
    ),
}

ARCHITECTURES: dict[str, dict[str, Any]] = {
    "wgan.digits": {"latent_dim": 64, "width": 32, "channels": 1, "upsampling": "transposed"},
    "wgan-gp.digits": {"latent_dim": 64, "width": 32, "channels": 1, "upsampling": "transposed"},
}

CRITIC_NORMS = {"wgan.digits": "batch", "wgan-gp.digits": "layer"}


def generator(**architecture: Any) -> Any:
    """The untrained generator that shipped weights are loaded into."""
    from genbench_wgan.model import Generator

    return Generator(**architecture)


def build(model: str) -> GANNetworks:
    """Generator and critic of ``model``, with PyTorch's default initialisation."""
    from genbench_wgan.model import critic

    architecture = ARCHITECTURES[model]
    return GANNetworks(
        generator(**architecture),
        critic(architecture["width"], architecture["channels"], CRITIC_NORMS[model]),
        architecture["latent_dim"],
        None,
        architecture,
    )
