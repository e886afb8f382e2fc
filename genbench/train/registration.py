"""One ``ModelSpec`` for a GAN trained with :func:`genbench.train.gan.train_gan`.

Every GAN family plugin registers its models the same way: shipped generator weights
inside the package, a sampler that rebuilds the generator from the file's config, and the
shared training loop as ``ModelSpec.train``. Cheap: nothing here imports torch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from genbench.spec import ModelSpec, Weights
from genbench.train.gan import GANNetworks, GANRecipe, train_gan

if TYPE_CHECKING:
    from torch import nn

    from genbench.train.sampling import GANSampler


def _load(
    name: str, weights: Weights, generator: Callable[..., nn.Module], device: str
) -> GANSampler:
    from genbench.train.sampling import load_sampler

    command = f"genbench train {name} --seed 0 --out runs/{name}"
    return load_sampler(name, weights, generator, device, command)


def gan_model_spec(
    name: str,
    *,
    family: str,
    generator: Callable[..., nn.Module],
    build: Callable[[], GANNetworks],
    recipe: GANRecipe,
    architecture: Mapping[str, Any],
    weights: Weights,
    paper: str,
    description: str,
    num_classes: int | None = None,
    dataset: str = "digits",
    resolution: int = 16,
    channels: int = 1,
) -> ModelSpec:
    """``generator(**architecture)`` builds the untrained generator that the weights fill;
    ``build()`` makes both networks for training."""
    return ModelSpec(
        name=name,
        family=family,
        task="unconditional" if num_classes is None else "class-conditional",
        dataset=dataset,
        resolution=resolution,
        channels=channels,
        num_classes=num_classes,
        load=partial(_load, name, weights, generator),
        weights=weights,
        paper=paper,
        license="MIT",
        description=description,
        train=partial(train_gan, name, build, recipe),
        recipe={**recipe.as_dict(), **architecture},
    )
