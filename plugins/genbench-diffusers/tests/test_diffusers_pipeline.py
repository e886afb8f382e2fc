"""Tiny diffusers pipelines registered through the config pass the conformance kit, keep
the seed contract, and fail with actionable errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch
from genbench_diffusers.config import PipelineEntry
from genbench_diffusers.pipeline import DiffusersGenerator, load_pipeline, to_uint8
from genbench_diffusers.plugin import load_generator

from genbench import GenbenchError, SampleRequest, get_registry
from genbench.seeding import PerSampleNoise
from genbench.testing import assert_model_conforms

TINY_MODELS = [
    "diffusers.tiny-ddpm",
    "diffusers.tiny-ddim",
    "diffusers.tiny-dit",
    "diffusers.tiny-sd",
]


@pytest.mark.parametrize("name", TINY_MODELS)
def test_tiny_pipeline_conforms(registered: list[PipelineEntry], name: str) -> None:
    assert_model_conforms(name, n=4)


def test_scheduler_swap_and_steps_reach_the_pipeline(registered: list[PipelineEntry]) -> None:
    by_name = {e.name: e for e in registered}
    ddim = load_generator(by_name["tiny-ddim"], "cpu")
    assert type(ddim.pipeline.scheduler).__name__ == "DDIMScheduler"
    assert ddim.options == {"num_inference_steps": 4, "eta": 1.0}
    ddpm = load_generator(by_name["tiny-ddpm"], "cpu")
    assert type(ddpm.pipeline.scheduler).__name__ == "DDPMScheduler"
    request = SampleRequest(seeds=[5, 6])
    assert not torch.equal(ddim.sample(request), ddpm.sample(request))


def test_initial_latents_are_the_per_sample_noise(registered: list[PipelineEntry]) -> None:
    """The first network input of each sample is PerSampleNoise's draw for its seed."""
    generator = load_generator(registered[0], "cpu")
    seen: list[torch.Tensor] = []
    unet = generator.pipeline.unet
    hook = unet.register_forward_pre_hook(lambda module, args: seen.append(args[0].clone()))
    try:
        generator.sample(SampleRequest(seeds=[11, 12]))
    finally:
        hook.remove()
    steps = registered[0].steps
    assert steps is not None and len(seen) == 2 * steps
    expected = PerSampleNoise([11, 12]).randn(1, 16, 16)
    assert torch.equal(seen[0][0], expected[0]) and torch.equal(seen[steps][0], expected[1])


def test_a_scheduler_that_ignores_generators_still_depends_on_the_seed_only(
    registered: list[PipelineEntry],
) -> None:
    """DiTPipeline calls scheduler.step without a generator: ancestral DDPM noise then comes
    from torch's global generator, which the adapter seeds per sample and restores."""
    dit = next(e for e in registered if e.task == "class-conditional")
    entry = dataclasses.replace(dit, name="tiny-dit-ddpm", scheduler="DDPMScheduler")
    generator = load_generator(entry, "cpu")
    request = SampleRequest(seeds=[3, 4], labels=[1, 2])
    state = torch.random.get_rng_state()
    first = generator.sample(request)
    assert torch.equal(torch.random.get_rng_state(), state)
    torch.manual_seed(12345)  # a different global state must not matter
    assert torch.equal(generator.sample(request), first)
    alone = generator.sample(SampleRequest(seeds=[4], labels=[2]))
    assert torch.equal(alone[0], first[1])


def test_text_to_image_follows_the_prompt(registered: list[PipelineEntry]) -> None:
    sd = load_generator(next(e for e in registered if e.task == "text-to-image"), "cpu")
    red = sd.sample(SampleRequest(seeds=[7], prompts=["a red circle"]))
    blue = sd.sample(SampleRequest(seeds=[7], prompts=["a blue square"]))
    assert red.shape == (1, 3, 32, 32) and not torch.equal(red, blue)


def test_output_is_converted_to_the_declared_channels_and_resolution() -> None:
    rgb = np.random.default_rng(0).random((2, 8, 8, 3), dtype=np.float32)
    gray = to_uint8(rgb, channels=1, resolution=4)
    assert gray.shape == (2, 1, 4, 4) and gray.dtype == torch.uint8
    flat = np.full((1, 8, 8, 3), 0.5, dtype=np.float32)
    assert torch.equal(to_uint8(flat, 1, 4), torch.full((1, 1, 4, 4), 128, dtype=torch.uint8))
    assert torch.equal(
        to_uint8(rgb, 3, 8), torch.from_numpy(rgb * 255).round().byte().permute(0, 3, 1, 2)
    )
    assert to_uint8(rgb[..., :1], 3, 8).shape == (2, 3, 8, 8)


@pytest.mark.parametrize("switch", ["HF_HUB_OFFLINE", "GENBENCH_OFFLINE"])
def test_a_missing_hub_checkpoint_offline_names_the_id_and_the_fix(
    switch: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in {"HF_HUB_OFFLINE", "GENBENCH_OFFLINE"} - {switch}:
        monkeypatch.delenv(name)
    entry = PipelineEntry(
        name="cifar",
        source="google/ddpm-cifar10-32",
        task="unconditional",
        dataset="cifar10",
        resolution=32,
        channels=3,
    )
    with pytest.raises(GenbenchError, match="google/ddpm-cifar10-32") as caught:
        load_pipeline(entry, "cpu")
    assert "network is off" in str(caught.value) and "genbench diffusers add" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": "/no/such/pipeline"}, "no such directory"),
        ({"scheduler": "NoSuchScheduler"}, "compatible schedulers are"),
        ({"pipeline": None}, "takes no eta"),
        ({"pipeline": "DDIMScheduler"}, "not a diffusers pipeline class"),
        ({"task": "text-to-image"}, "takes no prompt"),
        ({"dtype": "float99"}, "not a torch dtype"),
    ],
)
def test_bad_entries_fail_with_what_to_fix(
    registered: list[PipelineEntry], change: dict[str, object], message: str
) -> None:
    entry = dataclasses.replace(registered[1], **change)  # tiny-ddim, a DDPMPipeline
    with pytest.raises(GenbenchError, match=message):
        DiffusersGenerator(entry, load_pipeline(entry, "cpu"), "cpu")


def test_a_directory_without_a_pipeline_is_refused(
    tmp_path: Path, registered: list[PipelineEntry]
) -> None:
    entry = dataclasses.replace(registered[0], source=str(tmp_path))
    with pytest.raises(GenbenchError, match=r"model_index\.json"):
        load_pipeline(entry, "cpu")


def test_registered_specs_carry_the_entry(registered: list[PipelineEntry]) -> None:
    spec = get_registry().models.get("diffusers.tiny-ddim")
    assert (spec.family, spec.task, spec.dataset, spec.resolution, spec.channels) == (
        "diffusers",
        "unconditional",
        "digits",
        16,
        1,
    )
    assert spec.plugin == "genbench-diffusers"
    expected = {"source": registered[1].source, "scheduler": "DDIMScheduler", "steps": 4, "nfe": 4}
    assert spec.info == expected
