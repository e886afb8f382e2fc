"""pix2pix's recipe and the three shapes tasks (no torch: the plugin registers from it).

Isola et al. 2017, section 3.3: one D step, then one G step; Adam(2e-4, β = (0.5, 0.999));
λ = 100 on the L1 term; D's objective halved. Batches of 16 (the paper uses 1 to 10) with
instance norm, so each image is normalised alone as in the paper's batch-1 runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genbench_gankit.translation import Fields, TranslationRecipe


@dataclass(frozen=True)
class Pix2pixRecipe(TranslationRecipe):
    l1_weight: float = 100.0
    objective: str = "non-saturating"
    patch_layers: int = 1  # 16×16 patches at 32 px (``PatchDiscriminator.receptive_field``)
    discriminator_width: int = 64


RECIPE = Pix2pixRecipe(steps=6000)

SEMANTIC_CLASSES = 10  # shapes' semantic maps: 0 background, 1 + one of 9 classes

FIELDS = {
    "pix2pix.shapes-edges": Fields("edges", "image"),
    "pix2pix.shapes-gray": Fields("gray", "image"),
    "pix2pix.shapes-semantic": Fields("semantic", "image", input_classes=SEMANTIC_CLASSES),
}


def architecture(model: str) -> dict[str, Any]:
    """The generator's constructor arguments for ``model``."""
    return {
        "in_channels": FIELDS[model].network_channels,
        "out_channels": 3,
        "widths": [32, 64, 128, 128, 128],
        "dropout_layers": 3,
        "keep_luma": FIELDS[model].inputs == "gray",
    }
