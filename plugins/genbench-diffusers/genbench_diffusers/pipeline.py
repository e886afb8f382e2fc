"""A diffusers pipeline behind genbench's ``Generator`` contract.

The seed contract: sample i depends only on the weights, ``seeds[i]`` and its condition.
Two things make that hold bit for bit:

- each sample is drawn by its own pipeline call with its own CPU ``torch.Generator``
  seeded with ``seeds[i]``. Every diffusers pipeline draws its initial latents from that
  generator first (``randn_tensor``), so they equal
  ``genbench.seeding.PerSampleNoise([seed]).randn(*latent_shape)``; the ancestral noise of
  stochastic schedulers (DDPM) continues the same stream. Pipelines whose scheduler step
  ignores ``generator`` (DiTPipeline) fall back on torch's global generator, which is seeded
  from the sample's seed for the call and restored afterwards.
- one call per sample, because CPU kernels give results that differ in the last bits with
  the batch size, which rounding to uint8 occasionally turns into a different pixel.
  ``benchmarks/bench_batching.py`` measures it on the tiny test pipelines (16 samples, one
  thread): batched and one-by-one outputs differ by up to 1e-6, and 2 of Stable
  Diffusion's 49152 pixels change; one-by-one calls are 2.5-7x slower there (two runs), where the
  per-call overhead dominates.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from genbench import GenbenchError, SampleRequest
from genbench.seeding import derive_seed
from genbench_diffusers.config import PipelineEntry
from genbench_diffusers.hub import local_directory, missing_checkpoint, network_off

if TYPE_CHECKING:
    import numpy as np
    import torch

# The keyword that carries each task's condition into the pipeline call.
CONDITION_ARGUMENT = {
    "unconditional": "batch_size",
    "class-conditional": "class_labels",
    "text-to-image": "prompt",
}


def load_pipeline(entry: PipelineEntry, device: str) -> Any:
    """The entry's pipeline on ``device``, with its scheduler swapped in if one is named."""
    import diffusers
    import torch
    import transformers

    # The harness shows its own progress; diffusers warns at length about accelerate.
    for library in (diffusers, transformers):
        library.utils.logging.set_verbosity_error()
        library.utils.logging.disable_progress_bar()
    what = f"diffusers model {entry.model_name!r}"
    directory = local_directory(entry.source)
    if directory is not None and not (directory / "model_index.json").is_file():
        raise GenbenchError(
            f"{what}: {directory} holds no model_index.json; save the pipeline there with"
            " `pipeline.save_pretrained(DIR)`"
        )
    dtype = getattr(torch, entry.dtype, None)
    if not isinstance(dtype, torch.dtype):
        raise GenbenchError(f"{what}: dtype {entry.dtype!r} is not a torch dtype (e.g. float16)")
    pipeline_class: Any = diffusers.DiffusionPipeline
    if entry.pipeline:
        pipeline_class = getattr(diffusers, entry.pipeline, None)
        if not (
            inspect.isclass(pipeline_class)
            and issubclass(pipeline_class, diffusers.DiffusionPipeline)
        ):
            raise GenbenchError(f"{what}: {entry.pipeline!r} is not a diffusers pipeline class")
    try:
        pipeline = pipeline_class.from_pretrained(
            str(directory or entry.source),
            dtype=dtype,
            revision=entry.revision,
            local_files_only=directory is None and network_off(),
        )
    except (OSError, ValueError) as error:  # the hub's errors derive from these
        if directory is not None:
            raise GenbenchError(
                f"{what}: cannot load the pipeline in {directory}: {error}"
            ) from error
        raise missing_checkpoint(what, entry.source, error) from error
    if entry.scheduler:
        pipeline.scheduler = _scheduler(entry, pipeline.scheduler, what)
    pipeline.set_progress_bar_config(disable=True)
    return pipeline.to(device)


def _scheduler(entry: PipelineEntry, current: Any, what: str) -> Any:
    import diffusers

    scheduler_class = getattr(diffusers, str(entry.scheduler), None)
    if not (inspect.isclass(scheduler_class) and hasattr(scheduler_class, "from_config")):
        compatible = sorted(c.__name__ for c in getattr(current, "compatibles", []))
        raise GenbenchError(
            f"{what}: scheduler {entry.scheduler!r} is not a diffusers scheduler; this pipeline's"
            f" compatible schedulers are {', '.join(compatible)}"
        )
    return scheduler_class.from_config(current.config)


class DiffusersGenerator:
    """Draws samples from a diffusers pipeline, one pipeline call per sample (see above)."""

    def __init__(self, entry: PipelineEntry, pipeline: Any, device: str) -> None:
        self.entry = entry
        self.pipeline = pipeline
        self.device = device
        self.options = entry.pipeline_options()
        accepted = inspect.signature(pipeline.__call__).parameters
        needed = [CONDITION_ARGUMENT[entry.task], "generator", "output_type", *self.options]
        refused = [name for name in needed if name not in accepted]
        if refused:
            raise GenbenchError(
                f"diffusers model {entry.model_name!r}: {type(pipeline).__name__} takes no"
                f" {', '.join(refused)}; check the entry's task ({entry.task}) and options"
            )

    def sample(self, request: SampleRequest) -> torch.Tensor:
        import torch

        conditions = self._conditions(request)
        images = [
            self._sample_one(seed, c) for seed, c in zip(request.seeds, conditions, strict=True)
        ]
        if not images:
            shape = (0, self.entry.channels, self.entry.resolution, self.entry.resolution)
            return torch.empty(shape, dtype=torch.uint8)
        return torch.cat(images)

    def _conditions(self, request: SampleRequest) -> list[dict[str, Any]]:
        task = self.entry.task
        if task == "class-conditional":
            return [{"class_labels": [int(label)]} for label in _given(request.labels, "labels")]
        if task == "text-to-image":
            return [{"prompt": str(prompt)} for prompt in _given(request.prompts, "prompts")]
        return [{"batch_size": 1} for _ in request.seeds]

    def _sample_one(self, seed: int, condition: dict[str, Any]) -> torch.Tensor:
        import torch

        device = torch.device(self.device)
        forked = [device.index or 0] if device.type == "cuda" else []
        with torch.random.fork_rng(devices=forked), torch.inference_mode():
            torch.manual_seed(derive_seed(seed, 1))
            output = self.pipeline(
                **condition,
                **self.options,
                generator=torch.Generator().manual_seed(int(seed)),
                output_type="np",
            )
        return to_uint8(output.images, self.entry.channels, self.entry.resolution)


def _given(values: Sequence[Any] | None, name: str) -> Sequence[Any]:
    if values is None:
        raise GenbenchError(f"the request carries no {name}; the harness fills them by task")
    return values


def to_uint8(images: np.ndarray, channels: int, resolution: int) -> torch.Tensor:
    """Pipeline output (n, H, W, C) floats in [0, 1] → uint8 (n, channels, res, res).

    Resizing (antialiased bilinear) and the colour conversion (ITU-R 601 luma, as PIL's
    "L" mode) happen in float before the single rounding, which is diffusers' own
    ``round(x * 255)``.
    """
    import torch
    import torch.nn.functional as F

    x = torch.from_numpy(images).float().permute(0, 3, 1, 2)
    if x.shape[1] == 3 and channels == 1:
        luma = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)
        x = (x * luma).sum(dim=1, keepdim=True)
    elif x.shape[1] == 1 and channels == 3:
        x = x.expand(-1, 3, -1, -1)
    if tuple(x.shape[-2:]) != (resolution, resolution):
        x = F.interpolate(x, size=(resolution, resolution), mode="bilinear", antialias=True)
    return (x * 255).round().clamp(0, 255).to(torch.uint8)
