"""What a GAN family plugin hands the shared loop: its hyperparameters and its networks.

Cheap: nothing here imports torch, so plugins can build their registration tables from it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from genbench import GenbenchError
from genbench_gankit.losses import LOSSES

if TYPE_CHECKING:
    from torch import nn

    from genbench_gankit.growth import Growth

OPTIMIZERS = ("adam", "rmsprop")


@dataclass(frozen=True)
class GANRecipe:
    """The hyperparameters of a GAN run (what a model card reports).

    ``batch_size`` is the lecture's m, ``discriminator_steps`` its k (WGAN's n_critic).
    ``gradient_penalty`` is WGAN-GP's λ, ``drift`` ProGAN's ε_drift (the critic also
    minimises ε_drift · E[D(x)²], which keeps its scores near zero), ``r1_penalty`` the γ
    of the R1 penalty γ/2 · E[‖∇D(x)‖²] on real images (Mescheder et al. 2018, StyleGAN).
    ``eval_every`` > 0 scores the generator that often (FID of ``eval_samples`` samples)
    and ships the best-scoring checkpoint instead of the last one.
    """

    loss: str = "non-saturating"
    batch_size: int = 64
    discriminator_steps: int = 1
    optimizer: str = "adam"
    lr_generator: float = 2e-4
    lr_discriminator: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    weight_clip: float | None = None
    gradient_penalty: float | None = None
    drift: float | None = None
    r1_penalty: float | None = None
    growth_phase: int = 0
    ema_decay: float | None = None
    steps: int = 2000
    eval_every: int = 0
    eval_samples: int = 500
    sample_every: int = 500
    checkpoint_every: int = 500
    log_every: int = 10

    def __post_init__(self) -> None:
        if self.loss not in LOSSES:
            raise GenbenchError(f"GAN loss {self.loss!r}: choose one of {', '.join(LOSSES)}")
        if self.optimizer not in OPTIMIZERS:
            raise GenbenchError(f"optimizer {self.optimizer!r}: choose one of {OPTIMIZERS}")
        object.__setattr__(self, "betas", tuple(float(b) for b in self.betas))

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def karras_recipe(steps: int, growth_phase: int = 0) -> GANRecipe:
    """Progressive GAN's recipe (Karras et al. 2018, §4 and appendix A.1), which StyleGAN
    keeps for CelebA-HQ, on this CPU's scale.

    WGAN-GP with λ = 10 and one critic step per generator step, plus the drift term
    ε_drift · E[D(x)²] with ε_drift = 0.001 that keeps the critic's scores from wandering;
    Adam(lr 0.001, β = (0, 0.99)) on equalized-learning-rate layers; an EMA of the
    generator (decay 0.999) is what is scored and shipped, the best of the validation FIDs
    taken every 500 iterations. Minibatch 16 (the paper's at high resolutions).
    ``growth_phase`` > 0 grows the networks (see ``genbench_gankit.growth``).
    """
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


@dataclass
class GANNetworks:
    """What a family plugin builds: both networks and how to rebuild the generator.

    A conditional pair (``num_classes`` set) is called as ``G(z, labels)`` and
    ``D(x, labels)``; an unconditional one as ``G(z)`` and ``D(x)``. ``D`` returns one
    logit (or critic score) per image. ``architecture`` holds the generator's constructor
    arguments, recorded in every checkpoint. ``growth`` (progressive GANs) sets the
    networks' resolution and fade-in for each iteration.
    """

    generator: nn.Module
    discriminator: nn.Module
    latent_dim: int
    num_classes: int | None = None
    architecture: dict[str, Any] = field(default_factory=dict)
    growth: Growth | None = None
