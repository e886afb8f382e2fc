"""pix2pix's objective (Isola et al. 2017, eq. 4):

    G* = arg min_G max_D  L_cGAN(G, D) + λ L_L1(G),   λ = 100

D sees (input, target) as real and (input, G(input)) as fake; G minimises the
non-saturating cGAN loss plus λ times the L1 distance to the target.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from genbench_gankit.objectives import discriminator_loss, generator_loss
from genbench_gankit.patchgan import PatchDiscriminator
from genbench_gankit.translation_training import TranslationTrainer

from genbench_pix2pix.model import UNetGenerator
from genbench_pix2pix.recipe import FIELDS, Pix2pixRecipe, architecture


class Pix2pixTrainer(TranslationTrainer):
    losses = ("d_loss", "g_gan", "g_l1", "real_score", "fake_score")

    def __init__(self, model: str, recipe: Pix2pixRecipe, device: str) -> None:
        fields = FIELDS[model]
        generator = UNetGenerator(**architecture(model)).to(device)
        discriminator = PatchDiscriminator(
            fields.network_channels + 3, recipe.discriminator_width, recipe.patch_layers
        ).to(device)
        super().__init__(
            {"generator": generator, "discriminator": discriminator},
            {
                "generator": torch.optim.Adam(
                    generator.parameters(), recipe.lr_generator, betas=recipe.betas
                ),
                "discriminator": torch.optim.Adam(
                    discriminator.parameters(), recipe.lr_discriminator, betas=recipe.betas
                ),
            },
            shipped="generator",
            architecture=architecture(model),
            fields=fields,
        )
        self.recipe = recipe

    def step(
        self, inputs: torch.Tensor, targets: torch.Tensor, rng: torch.Generator
    ) -> dict[str, float]:
        generator, discriminator = self.networks["generator"], self.networks["discriminator"]
        objective = self.recipe.objective
        fake = generator(inputs)
        real_scores = discriminator(torch.cat([inputs, targets], 1))
        fake_scores = discriminator(torch.cat([inputs, fake.detach()], 1))
        d_loss = discriminator_loss(objective, real_scores, fake_scores)
        self.optimizers["discriminator"].zero_grad(set_to_none=True)
        d_loss.backward()
        self.optimizers["discriminator"].step()

        g_gan = generator_loss(objective, discriminator(torch.cat([inputs, fake], 1)))
        g_l1 = F.l1_loss(fake, targets)
        self.optimizers["generator"].zero_grad(set_to_none=True)
        (g_gan + self.recipe.l1_weight * g_l1).backward()
        self.optimizers["generator"].step()
        return {
            "d_loss": d_loss.item(),
            "g_gan": g_gan.item(),
            "g_l1": g_l1.item(),
            "real_score": real_scores.mean().item(),
            "fake_score": fake_scores.mean().item(),
        }
