"""The GAN training loop of the lecture (Goodfellow et al. 2014, Algorithm 1)::

    for number of training iterations do
        for k steps do
            sample m noise samples and m real examples
            update the discriminator by gradient ascent
        sample m noise samples
        update the generator

One loop serves every GAN family: the recipe picks the objective (non-saturating,
minimax, wasserstein), k, the optimizers, WGAN's weight clipping or WGAN-GP's gradient
penalty, and an EMA of the generator. Every random draw of iteration s is seeded by
(seed, s), so a run is deterministic on the CPU and a resumed run repeats an uninterrupted
one exactly; the resumable checkpoint holds both networks, the EMA and the optimizers.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.errors import GenbenchError
from genbench.seeding import derive_seed, seed_everything
from genbench.train.losses import LOSSES

if TYPE_CHECKING:
    import torch
    from torch import nn

    from genbench.train.sampling import GANSampler

OPTIMIZERS = ("adam", "rmsprop")


@dataclass(frozen=True)
class GANRecipe:
    """The hyperparameters of a GAN run (what a model card reports).

    ``batch_size`` is the lecture's m, ``discriminator_steps`` its k (WGAN's n_critic).
    ``eval_every`` > 0 scores the generator that often (FID of ``eval_samples`` samples)
    and ships the best-scoring checkpoint instead of the last one.
    """

    loss: str = "non-saturating"
    batch_size: int = 64
    discriminator_steps: int = 1
    optimizer: str = "adam"
    lr_generator: float = 2e-4
    lr_discriminator: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    weight_clip: float | None = None
    gradient_penalty: float | None = None
    ema_decay: float | None = None
    steps: int = 2000
    eval_every: int = 0
    eval_samples: int = 500
    sample_every: int = 500
    checkpoint_every: int = 500
    log_every: int = 10

    def __post_init__(self) -> None:
        if self.loss not in LOSSES:
            raise GenbenchError(f"GAN loss {self.loss!r}: choose one of {', '.join(LOSSES)}")
        if self.optimizer not in OPTIMIZERS:
            raise GenbenchError(f"optimizer {self.optimizer!r}: choose one of {OPTIMIZERS}")
        object.__setattr__(self, "betas", tuple(float(b) for b in self.betas))

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class GANNetworks:
    """What a family plugin builds: both networks and how to rebuild the generator.

    A conditional pair (``num_classes`` set) is called as ``G(z, labels)`` and
    ``D(x, labels)``; an unconditional one as ``G(z)`` and ``D(x)``. ``D`` returns one
    logit (or critic score) per image. ``architecture`` holds the generator's constructor
    arguments, recorded in every checkpoint.
    """

    generator: nn.Module
    discriminator: nn.Module
    latent_dim: int
    num_classes: int | None = None
    architecture: dict[str, Any] = field(default_factory=dict)


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
        from genbench.train.ema import EMA

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

        from genbench.train.losses import clip_weights, discriminator_loss, gradient_penalty

        if self.networks.num_classes is None:
            real_labels = None
        elif real_labels is None:
            raise GenbenchError("a conditional GAN needs a dataset with a 'label' field")
        z, fake_labels = self._noise(len(real), rng)
        with torch.no_grad():
            fake = self.generate(z, fake_labels)
        real_scores = self.discriminate(real, real_labels)
        fake_scores = self.discriminate(fake, fake_labels)
        loss = discriminator_loss(self.recipe.loss, real_scores, fake_scores)
        if self.recipe.gradient_penalty:
            epsilon = torch.rand(len(real), generator=rng).to(self.device)
            penalty = gradient_penalty(self.discriminator, real, fake, epsilon, real_labels)
            loss = loss + self.recipe.gradient_penalty * penalty
        self.optimizer_d.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer_d.step()
        if self.recipe.weight_clip:
            clip_weights(self.discriminator, self.recipe.weight_clip)
        return {
            "d_loss": loss.item(),
            "real_score": real_scores.mean().item(),
            "fake_score": fake_scores.mean().item(),
        }

    def generator_step(self, m: int, rng: torch.Generator) -> float:
        """One update of G on m fresh samples; returns its loss."""
        from genbench.train.losses import generator_loss

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
        from genbench.train.sampling import GANSampler

        with evaluating(self.sampling_network()) as network:
            yield GANSampler(network, self.networks.latent_dim, self.networks.num_classes)

    def state(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Everything a resumed run needs: (tensors, JSON config)."""
        from genbench.train.state import optimizer_tensors, prefixed

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
        from genbench.train.state import restore_optimizer, unprefixed

        self.generator.load_state_dict(unprefixed("generator", tensors))
        self.discriminator.load_state_dict(unprefixed("discriminator", tensors))
        if self.ema is not None:
            self.ema.average.load_state_dict(unprefixed("ema", tensors))
        groups = config["optimizer_groups"]
        restore_optimizer(self.optimizer_g, "optimizer_g", tensors, groups["optimizer_g"])
        restore_optimizer(self.optimizer_d, "optimizer_d", tensors, groups["optimizer_d"])


def _identity(run: dict[str, Any]) -> dict[str, Any]:
    """What must match for a run folder to be resumed: a longer run of the same recipe
    (other ``steps``) is a continuation, anything else is another run."""
    recipe = {k: v for k, v in run.get("recipe", {}).items() if k != "steps"}
    return {
        "model": run.get("model"),
        "dataset": run.get("dataset"),
        "seed": run.get("seed"),
        "recipe": recipe,
    }


def train_gan(
    model: str,
    build: Callable[[], GANNetworks],
    recipe: GANRecipe,
    *,
    dataset: str,
    steps: int | None = None,
    seed: int = 0,
    out: str | Path,
    device: str = "cpu",
    progress: bool = True,
) -> Path:
    """Train ``model`` for ``steps`` iterations into ``out``; returns the generator file.

    ``functools.partial(train_gan, model, build, recipe)`` is a model's ``ModelSpec.train``.
    ``steps`` defaults to ``recipe.steps``.
    ``out`` receives ``last.safetensors`` (resumable state; a run finding one there
    continues from it), ``log.jsonl``/``log.csv``, sample grids under ``samples/``, and
    ``generator.safetensors``: the generator alone (the EMA if any), from the iteration
    with the best validation FID when ``recipe.eval_every`` is set, else from the last.
    """
    import torch
    from tqdm import tqdm

    from genbench.plugins import get_registry
    from genbench.train.checkpoint import load_checkpoint, save_checkpoint
    from genbench.train.data import RealBatches
    from genbench.train.log import LossLog
    from genbench.train.sampling import export_generator
    from genbench.train.validation import FrechetValidator

    steps = recipe.steps if steps is None else steps
    seed_everything(seed)
    networks = build()
    trainer = GANTrainer(networks, recipe, device)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    last, best_file = folder / "last.safetensors", folder / "best.safetensors"
    # as the checkpoint's JSON will hold it (tuples become lists), to compare on resume
    run = json.loads(
        json.dumps({"model": model, "dataset": dataset, "seed": seed, "recipe": recipe.as_dict()})
    )
    start, best = 0, None
    if last.is_file():
        tensors, config = load_checkpoint(last, device=device)
        if _identity(config) != _identity(run):
            raise GenbenchError(
                f"{last} holds another run ({config.get('model')}, seed {config.get('seed')},"
                " or another recipe); choose a new --out folder or delete it"
            )
        trainer.load_state(tensors, config)
        start, best = config["step"], config.get("best_fid")

    def export(path: Path, step: int, val_fid: float | None) -> None:
        config = {
            **run,
            "architecture": networks.architecture,
            "latent_dim": networks.latent_dim,
            "num_classes": networks.num_classes,
            "step": step,
            "ema": trainer.ema is not None,
            "val_fid": val_fid,
        }
        export_generator(path, trainer.sampling_network(), config)

    data = RealBatches(
        dataset,
        get_registry().datasets.get(dataset).reference_split,
        recipe.batch_size,
        seed,
        device,
    )
    validator = (
        FrechetValidator(dataset, recipe.eval_samples, device) if recipe.eval_every else None
    )
    log = LossLog(folder, resume_from=start)
    (folder / "samples").mkdir(exist_ok=True)
    grid_seeds = list(range(100))
    grid_labels = [i % networks.num_classes for i in grid_seeds] if networks.num_classes else None

    def evaluate() -> float:
        assert validator is not None
        with trainer.sampler() as sampler:
            return validator(sampler)

    if validator is not None and start == 0:
        log.write({"step": 0, "val_fid": evaluate()})  # the untrained initialisation
    bar = tqdm(
        range(start, steps),
        initial=start,
        total=steps,
        disable=not progress,
        desc=model,
        mininterval=2.0,
    )
    for step in bar:
        iteration = step + 1
        torch.manual_seed(derive_seed(seed, iteration))  # dropout and other in-network draws
        rng = torch.Generator().manual_seed(derive_seed(seed, iteration, 1))
        k = recipe.discriminator_steps
        for j in range(k):
            real, labels = data.batch(step * k + j)
            row: dict[str, Any] = trainer.discriminator_step(real, labels, rng)
        row = {"step": iteration, **row, "g_loss": trainer.generator_step(recipe.batch_size, rng)}
        evaluated = validator is not None and iteration % recipe.eval_every == 0
        if evaluated:
            row["val_fid"] = evaluate()
            if best is None or row["val_fid"] < best:
                best = row["val_fid"]
                export(best_file, iteration, best)
        if evaluated or iteration % recipe.log_every == 0:
            log.write(row)
            bar.set_postfix({k: f"{v:.3g}" for k, v in row.items() if k != "step"})
        if recipe.sample_every and iteration % recipe.sample_every == 0:
            from genbench.spec import SampleRequest
            from genbench.train.grid import save_grid

            with trainer.sampler() as sampler:
                grid = sampler.sample(SampleRequest(seeds=grid_seeds, labels=grid_labels))
            save_grid(grid, folder / "samples" / f"step_{iteration:06d}.png")
        if iteration % recipe.checkpoint_every == 0 or iteration == steps:
            tensors, extra = trainer.state()
            save_checkpoint(last, tensors, {**run, **extra, "step": iteration, "best_fid": best})
    final = folder / "generator.safetensors"
    if best is not None and best_file.is_file():
        shutil.copyfile(best_file, final)
    else:
        export(final, max(start, steps), None)
    return final
