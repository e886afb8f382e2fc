"""The adversarial objectives of the lecture, on raw discriminator outputs (logits).

``D(x) = sigmoid(logit)``. The discriminator ascends ``log D(x) + log(1 - D(G(z)))``; we
minimise its negation, ``softplus(-real) + softplus(fake)``. The generator either descends
``log(1 - D(G(z)))`` (minimax, Goodfellow et al. 2014, eq. 1) or ascends ``log D(G(z))``
(non-saturating, the same paper's practical advice: strong gradients early in training).
WGAN (Arjovsky et al. 2017) replaces probabilities by a critic ``f``: the critic ascends
``f(x) - f(G(z))``, the generator ascends ``f(G(z))``; its Lipschitz constraint comes from
weight clipping or, in WGAN-GP (Gulrajani et al. 2017), a gradient penalty. The R1
penalty (Mescheder et al. 2018), which StyleGAN uses with the non-saturating loss, pushes
the discriminator's gradient on real images towards zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch
    from torch import nn

LOSSES = ("non-saturating", "minimax", "wasserstein")


def discriminator_loss(loss: str, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """What the discriminator (critic) minimises, from its outputs on real and fake data."""
    import torch.nn.functional as F

    if loss == "wasserstein":
        return fake.mean() - real.mean()
    return F.softplus(-real).mean() + F.softplus(fake).mean()


def generator_loss(loss: str, fake: torch.Tensor) -> torch.Tensor:
    """What the generator minimises, from the discriminator's outputs on its samples."""
    import torch.nn.functional as F

    if loss == "wasserstein":
        return -fake.mean()
    if loss == "minimax":
        return -F.softplus(fake).mean()  # log(1 - sigmoid(fake)) = -softplus(fake)
    return F.softplus(-fake).mean()  # -log sigmoid(fake)


def gradient_penalty(
    critic: nn.Module,
    real: torch.Tensor,
    fake: torch.Tensor,
    epsilon: torch.Tensor,
    labels: torch.Tensor | None = None,
) -> torch.Tensor:
    """WGAN-GP's ``E[(||grad f(x_hat)||_2 - 1)^2]`` at ``x_hat = eps x + (1 - eps) G(z)``.

    ``epsilon`` (n,) is drawn by the caller from the trainer's random stream, so that a
    run stays deterministic and resumable.
    """
    import torch

    eps = epsilon.view(-1, *([1] * (real.dim() - 1)))
    mixed = (eps * real + (1 - eps) * fake.detach()).requires_grad_(True)
    scores = critic(mixed, labels) if labels is not None else critic(mixed)
    (gradients,) = torch.autograd.grad(scores.sum(), mixed, create_graph=True)
    norms = gradients.flatten(1).norm(2, dim=1)
    return ((norms - 1) ** 2).mean()


def clip_weights(critic: nn.Module, clip: float) -> None:
    """WGAN's crude Lipschitz constraint: every critic parameter into [-clip, clip]."""
    import torch

    with torch.no_grad():
        for parameter in critic.parameters():
            parameter.clamp_(-clip, clip)


def r1_penalty(real_scores: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """``E[||grad D(x)||_2^2]`` on real images; ``real`` must have required grad when
    ``real_scores`` were computed from it. The caller weighs it by gamma / 2."""
    import torch

    (gradients,) = torch.autograd.grad(real_scores.sum(), real, create_graph=True)
    return gradients.pow(2).flatten(1).sum(1).mean()
