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
