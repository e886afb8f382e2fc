"""The adversarial objectives of the translation GANs, on raw discriminator outputs.

- ``non-saturating`` (pix2pix): the cross-entropy of D(x) = sigmoid(logit); G ascends
  log D(G(x)).
- ``least-squares`` (LSGAN, Mao et al. 2017; CycleGAN): D regresses real to 1 and fake to
  0, G pushes its outputs' scores to 1; gradients do not vanish for confident D.
- ``hinge`` (Lim and Ye 2017; GauGAN): D minimises max(0, 1 - real) + max(0, 1 + fake),
  G maximises D's score of its outputs.

Each discriminator loss averages real and fake terms over every patch; pix2pix and CycleGAN
halve it ("we divide the objective by 2 while optimizing D"), which ``discriminator_loss``
does for every objective.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

OBJECTIVES = ("non-saturating", "least-squares", "hinge")


def discriminator_loss(objective: str, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """What D minimises, from its logits on real and on generated images (halved)."""
    if objective == "non-saturating":
        loss = F.softplus(-real).mean() + F.softplus(fake).mean()
    elif objective == "least-squares":
        loss = ((real - 1) ** 2).mean() + (fake**2).mean()
    elif objective == "hinge":
        loss = F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    else:
        raise ValueError(f"unknown objective {objective!r}; choose one of {OBJECTIVES}")
    return loss / 2


def generator_loss(objective: str, fake: torch.Tensor) -> torch.Tensor:
    """What G minimises, from D's logits on its outputs."""
    if objective == "non-saturating":
        return F.softplus(-fake).mean()
    if objective == "least-squares":
        return ((fake - 1) ** 2).mean()
    if objective == "hinge":
        return -fake.mean()
    raise ValueError(f"unknown objective {objective!r}; choose one of {OBJECTIVES}")


def feature_matching(
    real: list[list[torch.Tensor]], fake: list[list[torch.Tensor]]
) -> torch.Tensor:
    """pix2pixHD's feature-matching loss: L1 between D's intermediate features of real and
    generated images, over every layer but the logits, averaged over the scales."""
    total = fake[0][0].new_zeros(())
    for real_scale, fake_scale in zip(real, fake, strict=True):
        for real_layer, fake_layer in zip(real_scale[:-1], fake_scale[:-1], strict=True):
            total = total + F.l1_loss(fake_layer, real_layer.detach())
    return total / len(fake)
