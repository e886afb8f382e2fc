"""A grid of a model's samples, drawn without a benchmark run: what ``genbench train`` shows
of the weights it trained, from the model's own loader (so, from any ``--weights``)."""

from __future__ import annotations

from genbench.bench.grids import TRANSLATION_ROWS, grid_png, sample_grid_png, translation_tiles
from genbench.bench.plan import TRANSLATION
from genbench.seeding import sample_seeds
from genbench.spec import DatasetSpec, ModelSpec, SampleRequest

SAMPLES = 32


def preview_png(model: ModelSpec, dataset: DatasetSpec, device: str) -> bytes | None:
    """The PNG of the samples of seed 0: by class when the model takes labels; translations
    of the held-out split's first inputs beside their targets; None for text-to-image, whose
    prompts only a run gives."""
    import torch

    if model.task == "text-to-image":
        return None
    generator = model.load(device)
    seeds = sample_seeds(0, range(SAMPLES))
    with torch.inference_mode():
        if model.task in TRANSLATION:
            assert model.inputs is not None and model.targets is not None  # checked by ModelSpec
            split = dataset.load(dataset.heldout_split)
            rows = list(range(min(TRANSLATION_ROWS, len(split))))
            inputs = split.read(model.inputs, rows)
            request = SampleRequest(seeds=seeds[: len(rows)], inputs=torch.from_numpy(inputs))
            outputs = generator.sample(request).cpu().numpy()[:, None]
            tiles, columns = translation_tiles(inputs, outputs, split.read(model.targets, rows))
            return grid_png(tiles, columns)
        labels = None
        if model.task == "class-conditional":
            assert model.num_classes is not None  # checked by ModelSpec
            labels = [i % model.num_classes for i in range(SAMPLES)]
        images = generator.sample(SampleRequest(seeds=seeds, labels=labels)).cpu().numpy()
    return sample_grid_png(list(images), labels)
