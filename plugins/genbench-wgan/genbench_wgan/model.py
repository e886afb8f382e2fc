"""WGAN's networks are DCGAN's (Arjovsky et al. 2017, §4; Gulrajani et al. 2017, §5).

The critic is DCGAN's discriminator read as a score: its output logit is ``f(x)``, never
squashed by a sigmoid. WGAN keeps batch norm in the critic. WGAN-GP drops it, because the
gradient penalty is a per-sample quantity that batch statistics would blur; Gulrajani et
al. suggest layer normalization instead.
"""

from __future__ import annotations

from genbench_dcgan.model import Discriminator, Generator


def critic(width: int, channels: int, norm: str) -> Discriminator:
    """The critic f: images -> one unbounded score each."""
    return Discriminator(width, channels, norm=norm)


__all__ = ["Generator", "critic"]
