"""CycleGAN's recipe (Zhu et al. 2017, sections 3-4) for shapes' day → night (no torch).

Least-squares GAN loss; cycle-consistency λ = 10; identity loss 0.5·λ (section 5.2,
"photo generation from paintings": it keeps colours when no change is needed); each
discriminator is shown a history of 50 generated images; Adam(2e-4, β = (0.5, 0.999)).
The paper trains at batch size 1 and decays the rate linearly over the last 100 of 200
epochs; here batches of 8 at a constant rate, and the best validation checkpoint ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genbench_gankit.translation import Fields, TranslationRecipe


@dataclass(frozen=True)
class CycleGANRecipe(TranslationRecipe):
    cycle_weight: float = 10.0
    identity_weight: float = 0.5  # times cycle_weight
    pool_size: int = 50
    objective: str = "least-squares"
    patch_layers: int = 1  # 16×16 patches at 32 px
    discriminator_width: int = 64


RECIPE = CycleGANRecipe(batch_size=8, steps=3000)

FIELDS = {
    "cyclegan.shapes-day2night": Fields("domain_a", "domain_b", paired=False, channels=3),
}


def architecture(model: str) -> dict[str, Any]:
    """The generator's constructor arguments (both directions share them)."""
    return {"channels": FIELDS[model].channels, "width": 32, "blocks": 4}
