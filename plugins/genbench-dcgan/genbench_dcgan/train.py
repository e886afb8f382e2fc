"""DCGAN's training recipe (Radford et al. 2016, §4): Adam(2e-4, beta1 = 0.5), batches of
64 (the paper used 128; digits has 1437 training images), the non-saturating loss, one
discriminator step per generator step. Radford et al. initialise weights from N(0, 0.02).

DCGAN on digits is unstable (NOTES.md: at width 32 it diverged), so the run is scored every
250 iterations and the best checkpoint is shipped. What is scored and shipped is an
exponential moving average of the generator (decay 0.999), as for the Wasserstein GANs:
the raw iterates of an unstable run jump between evaluations.
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
    ema_decay=0.999,
    steps=6000,
    eval_every=250,
)

ARCHITECTURES: dict[str, dict[str, Any]] = {
    "dcgan.digits": {"latent_dim": 64, "width": 64, "channels": 1, "upsampling": "transposed"},
    "dcgan.digits-upsample": {
        "latent_dim": 64,
        "width": 64,
        "channels": 1,
        "upsampling": "bilinear",
    },
}


def dcgan_init(module: Any) -> None:
    """Radford et al.: all weights from N(0, 0.02); batch-norm scales from N(1, 0.02)."""
    from torch import nn

    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d | nn.Linear | nn.Embedding):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if getattr(module, "bias", None) is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def build(model: str) -> GANNetworks:
    """Both networks of ``model``, initialised as Radford et al. do."""
    from genbench_dcgan.model import Discriminator

    architecture = ARCHITECTURES[model]
    discriminator = Discriminator(architecture["width"], architecture["channels"])
    return GANNetworks(
        generator(**architecture).apply(dcgan_init),
        discriminator.apply(dcgan_init),
        architecture["latent_dim"],
        None,
        architecture,
    )


def generator(**architecture: Any) -> Any:
    """The untrained generator that shipped weights are loaded into."""
    from genbench_dcgan.model import Generator

    return Generator(**architecture)
