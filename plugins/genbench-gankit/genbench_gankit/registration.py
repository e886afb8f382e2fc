"""A GAN family plugin's registration table: one ``GANModel`` row per registered model.

Every GAN model is registered the same way: shipped generator weights inside the package,
a sampler that rebuilds the generator from the file's config, and the shared training loop
as ``ModelSpec.train``. A row states what differs (dataset, image shape, architecture,
recipe, pinned sha256); nothing is defaulted. Cheap: nothing here imports torch.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench import ModelSpec, Weights
from genbench.train import shipped_weights
from genbench_gankit.loop import train_gan
from genbench_gankit.recipe import GANNetworks, GANRecipe

if TYPE_CHECKING:
    from torch import nn

    from genbench_gankit.sampling import GANSampler


@dataclass(frozen=True)
class LazyNetwork:
    """A network class named ``"module:Class"``, imported when first called, so that a
    registration table can name its generator without importing torch."""

    target: str

    def __call__(self, *args: Any, **kwargs: Any) -> nn.Module:
        module, name = self.target.split(":")
        network: nn.Module = getattr(importlib.import_module(module), name)(*args, **kwargs)
        return network


@dataclass(frozen=True)
class GANModel:
    """One row of a registration table.

    ``architecture`` holds the generator's constructor arguments; ``sha256`` pins the
    shipped file ``weights/<weights>.safetensors`` (``weights`` defaults to the name with
    dots as dashes; rows that only sample differently share one file). ``sampling`` holds
    generator arguments that are not in the weights (StyleGAN's truncation ψ): they are
    passed when the row loads and shown as leaderboard columns.
    """

    name: str
    dataset: str
    resolution: int
    channels: int
    architecture: Mapping[str, Any]
    recipe: GANRecipe
    sha256: str
    description: str
    paper: str
    num_classes: int | None = None
    weights: str = ""
    sampling: Mapping[str, Any] = field(default_factory=dict)


def _load(weights: Weights, generator: Callable[..., nn.Module], device: str) -> GANSampler:
    from genbench_gankit.sampling import load_sampler

    return load_sampler(weights, generator, device)


def gan_model_spec(
    row: GANModel,
    *,
    family: str,
    generator: Callable[..., nn.Module],
    build: Callable[[GANModel], GANNetworks],
    weights_folder: Path,
) -> ModelSpec:
    """``generator(**row.architecture)`` builds the untrained generator that the weights
    fill; ``build(row)`` makes both networks for training."""
    weights_name = row.weights or row.name
    weights = shipped_weights(weights_name, row.sha256, weights_folder)
    return ModelSpec(
        name=row.name,
        family=family,
        task="unconditional" if row.num_classes is None else "class-conditional",
        dataset=row.dataset,
        resolution=row.resolution,
        channels=row.channels,
        num_classes=row.num_classes,
        load=partial(_load, weights, partial(generator, **row.sampling)),
        weights=weights,
        paper=row.paper,
        license="MIT",
        description=row.description,
        train=partial(train_gan, weights_name, partial(build, row), row.recipe),
        recipe={**row.recipe.as_dict(), **row.architecture},
        info=row.sampling,
    )


def register_gan_models(
    register: Callable[[ModelSpec], None],
    rows: Iterable[GANModel],
    *,
    family: str,
    generator: Callable[..., nn.Module],
    build: Callable[[GANModel], GANNetworks],
    weights_folder: Path,
) -> None:
    """A family plugin's whole ``genbench_register_models``: one spec per row."""
    for row in rows:
        register(
            gan_model_spec(
                row,
                family=family,
                generator=generator,
                build=build,
                weights_folder=weights_folder,
            )
        )
