"""One GAN update at a time: both networks, their optimizers and the optional EMA.

The discriminator (critic) descends its objective plus whichever regulariser the recipe
names: WGAN's weight clipping, WGAN-GP's gradient penalty, ProGAN's drift term, the R1
penalty. The generator descends its objective on fresh samples; the EMA follows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from genbench import GenbenchError
from genbench_gankit.recipe import GANNetworks, GANRecipe

if TYPE_CHECKING:
    import torch
    from torch import nn

    from genbench_gankit.sampling import GANSampler


@contextmanager
def evaluating(network: nn.Module) -> Iterator[nn.Module]:
    """``network`` in eval mode (batch norm on running statistics) for the block."""
    was_training = network.training
    network.eval()
    try:
        yield network
    finally:
        network.train(was_training)


class GANTrainer:
    """Both networks, their optimizers and the optional EMA; one method per update."""

    def __init__(self, networks: GANNetworks, recipe: GANRecipe, device: str = "cpu") -> None:
        from genbench.train import EMA

        self.networks, self.recipe, self.device = networks, recipe, device
        self.generator = networks.generator.to(device).train()
        self.discriminator = networks.discriminator.to(device).train()
        self.optimizer_g = self._optimizer(self.generator, recipe.lr_generator)
        self.optimizer_d = self._optimizer(self.discriminator, recipe.lr_discriminator)
        self.ema = EMA(self.generator, recipe.ema_decay) if recipe.ema_decay else None

    def _optimizer(self, network: nn.Module, lr: float) -> torch.optim.Optimizer:
        import torch

        if self.recipe.optimizer == "rmsprop":
            return torch.optim.RMSprop(network.parameters(), lr=lr)
        return torch.optim.Adam(network.parameters(), lr=lr, betas=self.recipe.betas)

    def generate(self, z: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        return self.generator(z) if labels is None else self.generator(z, labels)

    def discriminate(self, images: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        scores = (
            self.discriminator(images) if labels is None else self.discriminator(images, labels)
        )
        return scores.reshape(-1)

    def _noise(self, m: int, rng: torch.Generator) -> tuple[torch.Tensor, torch.Tensor | None]:
        """m latent vectors and, for a conditional GAN, m uniformly drawn labels."""
        import torch

        z = torch.randn(m, self.networks.latent_dim, generator=rng).to(self.device)
        if self.networks.num_classes is None:
            return z, None
        labels = torch.randint(self.networks.num_classes, (m,), generator=rng)
        return z, labels.to(self.device)

    def discriminator_step(
        self, real: torch.Tensor, real_labels: torch.Tensor | None, rng: torch.Generator
    ) -> dict[str, float]:
        """One update of D on m real and m generated images; returns its loss and scores."""
        import torch

        from genbench_gankit.losses import (
            clip_weights,
            discriminator_loss,
            gradient_penalty,
            r1_penalty,
        )

        recipe = self.recipe
        if self.networks.num_classes is None:
            real_labels = None
        elif real_labels is None:
            raise GenbenchError("a conditional GAN needs a dataset with a 'label' field")
        z, fake_labels = self._noise(len(real), rng)
        with torch.no_grad():
            fake = self.generate(z, fake_labels)
        if recipe.r1_penalty:
            real = real.detach().requires_grad_(True)
        real_scores = self.discriminate(real, real_labels)
        fake_scores = self.discriminate(fake, fake_labels)
        loss = discriminator_loss(recipe.loss, real_scores, fake_scores)
        if recipe.gradient_penalty:
            epsilon = torch.rand(len(real), generator=rng).to(self.device)
            penalty = gradient_penalty(self.discriminator, real, fake, epsilon, real_labels)
            loss = loss + recipe.gradient_penalty * penalty
        if recipe.drift:
            loss = loss + recipe.drift * (real_scores**2).mean()
        if recipe.r1_penalty:
            loss = loss + recipe.r1_penalty / 2 * r1_penalty(real_scores, real)
        self.optimizer_d.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer_d.step()
        if recipe.weight_clip:
            clip_weights(self.discriminator, recipe.weight_clip)
        return {
            "d_loss": loss.item(),
            "real_score": real_scores.mean().item(),
            "fake_score": fake_scores.mean().item(),
        }

    def generator_step(self, m: int, rng: torch.Generator) -> float:
        """One update of G on m fresh samples; returns its loss."""
        from genbench_gankit.losses import generator_loss

        z, labels = self._noise(m, rng)
        loss = generator_loss(self.recipe.loss, self.discriminate(self.generate(z, labels), labels))
        self.optimizer_g.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer_g.step()
        if self.ema is not None:
            self.ema.update(self.generator)
        return loss.item()

    def sampling_network(self) -> nn.Module:
        """The generator that is evaluated and shipped: the EMA when there is one."""
        return self.ema.average if self.ema is not None else self.generator

    @contextmanager
    def sampler(self) -> Iterator[GANSampler]:
        """The shipped generator in eval mode, wrapped as a ``genbench.Generator``."""
        from genbench_gankit.sampling import GANSampler

        with evaluating(self.sampling_network()) as network:
            yield GANSampler(network, self.networks.latent_dim, self.networks.num_classes)

    def state(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Everything a resumed run needs: (tensors, JSON config)."""
        from genbench.train import optimizer_tensors, prefixed

        tensors = {
            **prefixed("generator", self.generator.state_dict()),
            **prefixed("discriminator", self.discriminator.state_dict()),
        }
        if self.ema is not None:
            tensors.update(prefixed("ema", self.ema.average.state_dict()))
        groups = {}
        for name, optimizer in (
            ("optimizer_g", self.optimizer_g),
            ("optimizer_d", self.optimizer_d),
        ):
            optimizer_state, groups[name] = optimizer_tensors(name, optimizer)
            tensors.update(optimizer_state)
        return tensors, {"optimizer_groups": groups}

    def load_state(self, tensors: dict[str, Any], config: dict[str, Any]) -> None:
        from genbench.train import restore_optimizer, unprefixed

        self.generator.load_state_dict(unprefixed("generator", tensors))
        self.discriminator.load_state_dict(unprefixed("discriminator", tensors))
        if self.ema is not None:
            self.ema.average.load_state_dict(unprefixed("ema", tensors))
        groups = config["optimizer_groups"]
        restore_optimizer(self.optimizer_g, "optimizer_g", tensors, groups["optimizer_g"])
        restore_optimizer(self.optimizer_d, "optimizer_d", tensors, groups["optimizer_d"])
