"""CycleGAN's full objective (Zhu et al. 2017, eq. 3, plus the identity term of 5.2):

    L = L_GAN(G, D_Y) + L_GAN(F, D_X) + λ (|F(G(x)) - x|₁ + |G(F(y)) - y|₁)
        + 0.5 λ (|G(y) - y|₁ + |F(x) - x|₁)

G maps day (A) to night (B), F night to day. Both generators take one joint step, then
each discriminator one step on real images and on fakes drawn through its image pool.
Only G ships: the benchmark translates day to night.
"""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F
from genbench_gankit.image_pool import ImagePool
from genbench_gankit.objectives import discriminator_loss, generator_loss
from genbench_gankit.patchgan import PatchDiscriminator
from genbench_gankit.translation_training import TranslationTrainer

from genbench_cyclegan.model import ResnetGenerator
from genbench_cyclegan.recipe import FIELDS, CycleGANRecipe, architecture


class CycleGANTrainer(TranslationTrainer):
    losses = ("d_a", "d_b", "g_gan", "cycle", "identity")

    def __init__(self, model: str, recipe: CycleGANRecipe, device: str) -> None:
        fields = FIELDS[model]
        channels = fields.channels
        networks = {
            "g_ab": ResnetGenerator(**architecture(model)),
            "g_ba": ResnetGenerator(**architecture(model)),
            "d_a": PatchDiscriminator(channels, recipe.discriminator_width, recipe.patch_layers),
            "d_b": PatchDiscriminator(channels, recipe.discriminator_width, recipe.patch_layers),
        }
        networks = {name: network.to(device) for name, network in networks.items()}

        def adam(names: tuple[str, str], lr: float) -> torch.optim.Optimizer:
            parameters = itertools.chain(*(networks[n].parameters() for n in names))
            return torch.optim.Adam(parameters, lr, betas=recipe.betas)

        super().__init__(
            networks,
            {
                "generators": adam(("g_ab", "g_ba"), recipe.lr_generator),
                "discriminators": adam(("d_a", "d_b"), recipe.lr_discriminator),
            },
            shipped="g_ab",
            architecture=architecture(model),
            fields=fields,
        )
        self.recipe = recipe
        self.pools = {"pool_a": ImagePool(recipe.pool_size), "pool_b": ImagePool(recipe.pool_size)}

    def step(
        self, inputs: torch.Tensor, targets: torch.Tensor, rng: torch.Generator
    ) -> dict[str, float]:
        n = self.networks
        real_a, real_b, objective = inputs, targets, self.recipe.objective
        discriminators = [*n["d_a"].parameters(), *n["d_b"].parameters()]
        for parameter in discriminators:  # G's step needs no gradients of D's weights
            parameter.requires_grad_(False)
        fake_b, fake_a = n["g_ab"](real_a), n["g_ba"](real_b)
        g_gan = generator_loss(objective, n["d_b"](fake_b)) + generator_loss(
            objective, n["d_a"](fake_a)
        )
        cycle = F.l1_loss(n["g_ba"](fake_b), real_a) + F.l1_loss(n["g_ab"](fake_a), real_b)
        identity = F.l1_loss(n["g_ab"](real_b), real_b) + F.l1_loss(n["g_ba"](real_a), real_a)
        weight = self.recipe.cycle_weight
        self.optimizers["generators"].zero_grad(set_to_none=True)
        (g_gan + weight * cycle + self.recipe.identity_weight * weight * identity).backward()
        self.optimizers["generators"].step()
        for parameter in discriminators:
            parameter.requires_grad_(True)

        pooled_a = self.pools["pool_a"].query(fake_a, rng)
        pooled_b = self.pools["pool_b"].query(fake_b, rng)
        d_a = discriminator_loss(objective, n["d_a"](real_a), n["d_a"](pooled_a))
        d_b = discriminator_loss(objective, n["d_b"](real_b), n["d_b"](pooled_b))
        self.optimizers["discriminators"].zero_grad(set_to_none=True)
        (d_a + d_b).backward()
        self.optimizers["discriminators"].step()
        return {
            "d_a": d_a.item(),
            "d_b": d_b.item(),
            "g_gan": g_gan.item(),
            "cycle": cycle.item(),
            "identity": identity.item(),
        }

    def extra_tensors(self) -> dict[str, torch.Tensor]:
        return {name: pool.state() for name, pool in self.pools.items()}

    def load_extra(self, tensors: dict[str, torch.Tensor]) -> None:
        for name, pool in self.pools.items():
            pool.load_state(tensors[name])
