"""Checks that the translation plugins' tests share: a few training steps on one fixed batch
lower the losses, and shipped weights still translate as they did when released."""

from __future__ import annotations

import hashlib
from typing import Any

import torch

import genbench
from genbench.seeding import sample_seeds
from genbench.train import to_unit_range
from genbench_gankit.translation_training import TranslationTrainer

DIGEST_SEED = 7


def losses_on_a_fixed_batch(
    trainer: TranslationTrainer, dataset: str = "shapes", steps: int = 8, n: int = 8
) -> list[dict[str, float]]:
    """The losses of ``steps`` training steps on the same ``n`` held-out pairs (seeded)."""
    spec = genbench.get_registry().datasets.get(dataset)
    data = spec.load(spec.heldout_split)
    fields = trainer.fields
    inputs = fields.encode(torch.from_numpy(data.read(fields.inputs, range(n))))
    targets = to_unit_range(torch.from_numpy(data.read(fields.targets, range(n))))
    losses = []
    for step in range(steps):
        torch.manual_seed(step)
        losses.append(trainer.step(inputs, targets, torch.Generator().manual_seed(step)))
    return losses


def sample_digest(model: str, n: int = 8) -> str:
    """sha256 of a registered translation model's uint8 outputs for the first ``n`` inputs
    of the held-out split and ``n`` fixed seeds."""
    spec = genbench.get_registry().models.get(model)
    dataset = genbench.get_registry().datasets.get(spec.dataset)
    assert spec.inputs is not None, "a translation model names its input field"
    inputs = dataset.load(dataset.heldout_split).read(spec.inputs, range(n))
    request = genbench.SampleRequest(
        seeds=sample_seeds(DIGEST_SEED, range(n)), inputs=torch.from_numpy(inputs)
    )
    with torch.inference_mode():
        images: Any = spec.load("cpu").sample(request)
    return hashlib.sha256(images.contiguous().numpy().tobytes()).hexdigest()
