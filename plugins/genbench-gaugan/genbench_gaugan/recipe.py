"""GauGAN's recipe (Park et al. 2019, section 4 and appendix A) for shapes (no torch).

Hinge loss; feature matching on the discriminators' features, λ_FM = 10; KL divergence of
the style encoder, λ_KL = 0.05; two-time-scale update rule: Adam with lr 1e-4 for the
generator and encoder and 4e-4 for the discriminator, β = (0, 0.9). Discriminator: two
PatchGANs at 32 and 16 px, spectral norm and instance norm. Not reproduced: the VGG
perceptual loss (λ = 10), whose ImageNet weights are not available offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genbench_gankit.translation import Fields, TranslationRecipe

SEMANTIC_CLASSES = 10  # shapes' semantic maps: 0 background, 1 + one of 9 classes


@dataclass(frozen=True)
class GauGANRecipe(TranslationRecipe):
    feature_matching_weight: float = 10.0
    kl_weight: float = 0.05
    objective: str = "hinge"
    scales: int = 2
    patch_layers: int = 1  # 16×16 patches at each scale
    discriminator_width: int = 64


RECIPE = GauGANRecipe(
    batch_size=16, lr_generator=1e-4, lr_discriminator=4e-4, betas=(0.0, 0.9), steps=3000
)

FIELDS = {
    "gaugan.shapes": Fields("semantic", "image", input_classes=SEMANTIC_CLASSES),
}


def architecture(model: str) -> dict[str, Any]:
    """The generator's constructor arguments."""
    return {"classes": FIELDS[model].network_channels, "z_dim": 64, "width": 32}
