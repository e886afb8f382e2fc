"""GauGAN's objective (Park et al. 2019; pix2pixHD's feature matching; a VAE's KL term):

    D:    mean over scales of  max(0, 1 - D(m, x)) + max(0, 1 + D(m, G(m, z)))
    G, E: -mean over scales of D(m, G(m, z)) + λ_FM · FM + λ_KL · KL(q(z | x) ‖ N(0, I))

with z = μ(x) + σ(x)·ε drawn from the encoder on the real image x of the map m. G and E
take one step, then D one step on the same batch. Only G ships; sampling draws z ~ N(0, I).
"""

from __future__ import annotations

import torch
from genbench_gankit.objectives import discriminator_loss, feature_matching, generator_loss
from genbench_gankit.patchgan import MultiscaleDiscriminator
from genbench_gankit.translation_training import TranslationTrainer

from genbench_gaugan.model import SPADEGenerator, StyleEncoder
from genbench_gaugan.recipe import FIELDS, GauGANRecipe, architecture


class GauGANTrainer(TranslationTrainer):
    losses = ("d_loss", "g_gan", "feature_matching", "kl")

    def __init__(self, model: str, recipe: GauGANRecipe, device: str) -> None:
        fields = FIELDS[model]
        shape = architecture(model)
        generator = SPADEGenerator(**shape).to(device)
        encoder = StyleEncoder(shape["z_dim"], shape["width"]).to(device)
        discriminator = MultiscaleDiscriminator(
            recipe.scales,
            fields.network_channels + 3,
            width=recipe.discriminator_width,
            layers=recipe.patch_layers,
            spectral=True,
        ).to(device)
        generator_parameters = [*generator.parameters(), *encoder.parameters()]
        super().__init__(
            {"generator": generator, "encoder": encoder, "discriminator": discriminator},
            {
                "generator": torch.optim.Adam(
                    generator_parameters, recipe.lr_generator, betas=recipe.betas
                ),
                "discriminator": torch.optim.Adam(
                    discriminator.parameters(), recipe.lr_discriminator, betas=recipe.betas
                ),
            },
            shipped="generator",
            architecture=shape,
            fields=fields,
        )
        self.recipe = recipe
        self.generator, self.encoder, self.discriminator = generator, encoder, discriminator

    def _scores(self, segmap: torch.Tensor, images: torch.Tensor) -> list[list[torch.Tensor]]:
        return self.discriminator.features(torch.cat([segmap, images], 1))

    def step(
        self, inputs: torch.Tensor, targets: torch.Tensor, rng: torch.Generator
    ) -> dict[str, float]:
        recipe, objective = self.recipe, self.recipe.objective
        discriminator = self.discriminator
        mu, logvar = self.encoder(targets)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        fake = self.generator.synthesize(inputs, z)

        discriminator.requires_grad_(False)  # G's step needs no gradients of D's weights
        fake_features, real_features = self._scores(inputs, fake), self._scores(inputs, targets)
        g_gan = torch.stack(
            [generator_loss(objective, scale[-1]) for scale in fake_features]
        ).mean()
        matching = feature_matching(real_features, fake_features)
        kl = -0.5 * torch.mean(torch.sum(1 + logvar - mu**2 - logvar.exp(), dim=1))
        self.optimizers["generator"].zero_grad(set_to_none=True)
        (g_gan + recipe.feature_matching_weight * matching + recipe.kl_weight * kl).backward()
        self.optimizers["generator"].step()
        discriminator.requires_grad_(True)

        fake_scores = self._scores(inputs, fake.detach())
        real_scores = self._scores(inputs, targets)
        d_loss = torch.stack(
            [
                discriminator_loss(objective, real[-1], fake[-1])
                for real, fake in zip(real_scores, fake_scores, strict=True)
            ]
        ).mean()
        self.optimizers["discriminator"].zero_grad(set_to_none=True)
        d_loss.backward()
        self.optimizers["discriminator"].step()
        return {
            "d_loss": d_loss.item(),
            "g_gan": g_gan.item(),
            "feature_matching": matching.item(),
            "kl": kl.item(),
        }
