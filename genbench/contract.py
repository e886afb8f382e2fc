"""The output contract of ``genbench.Generator.sample``, checked by the harness on every
batch and by the conformance kit (:mod:`genbench.testing`). Needs no test framework."""

from __future__ import annotations

from typing import Any, NoReturn

from genbench.spec import ModelSpec


class ConformanceError(AssertionError):
    """A model does not follow the generator contract."""


def fail(spec: ModelSpec, message: str) -> NoReturn:
    """Raise a :class:`ConformanceError` naming the model, its plugin and what to fix."""
    raise ConformanceError(f"model {spec.name!r} (plugin {spec.plugin or '?'}): {message}")


def check_output(spec: ModelSpec, images: Any, n: int) -> None:
    """Fail unless ``images`` is a uint8 tensor (n, C, H, W) as ``spec`` declares."""
    import torch

    if not isinstance(images, torch.Tensor):
        fail(spec, f"sample() returned {type(images).__name__}; return a torch.uint8 tensor")
    if images.dtype != torch.uint8:
        fail(spec, f"sample() returned dtype {images.dtype}; convert to torch.uint8 (0..255)")
    expected = (n, spec.channels, spec.resolution, spec.resolution)
    if tuple(images.shape) != expected:
        fail(spec, f"sample() returned shape {tuple(images.shape)}; the spec declares {expected}")


def value_range_problem(brightest: int) -> str | None:
    """What is wrong with images whose brightest pixel is ``brightest`` (None: nothing).

    Images scaled to 0..1 before the uint8 cast hold only 0s and 1s: black, yet neither flat
    nor identical, so no other check notices them.
    """
    if brightest <= 1:
        return (
            "every pixel is 0 or 1: the images look scaled to 0..1 before the uint8 cast "
            "(they are black); scale them to 0..255 first"
        )
    return None
