"""Several outputs of one input: what the seed-diversity metrics and the translation grids
show.

For a translation job the harness draws ``SEEDS`` outputs of each of the run's first
``INPUTS`` inputs (held-out rows 0..M-1, the inputs of samples 0..M-1). Output k of input
m has the seed ``derive_seed(run seed, STREAM, m, k)``, so it depends only on the run seed
and its position, never on batches or processes; features are extracted in the fixed
chunks the main samples use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from genbench.bench.conditions import Conditions
from genbench.features.extractor import FEATURE_CHUNK
from genbench.seeding import derive_seed
from genbench.spec import SampleRequest

if TYPE_CHECKING:
    import numpy as np

INPUTS = 50
SEEDS = 4
STREAM = 0x7A41  # keeps these seeds apart from the main samples' sample_seeds(seed, i)


def sample_variations(
    conditions: Conditions,
    generator: Any,
    extractor: Any,
    *,
    batch_size: int,
    device: str,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, np.ndarray]:
    """``{"images": uint8 (M, K, C, H, W), "inputs": (M, ...), "targets": (M, ...)}`` plus
    each extractor output as (M, K, d)."""
    import numpy as np
    import torch

    from genbench.contract import check_output

    job = conditions.job
    rows = list(range(INPUTS))
    inputs = conditions.request(rows).inputs
    assert inputs is not None, "a translation request carries inputs"
    positions = [(m, k) for m in rows for k in range(SEEDS)]
    images = []
    for start in range(0, len(positions), batch_size):
        batch = positions[start : start + batch_size]
        request = SampleRequest(
            seeds=[derive_seed(job.seed, STREAM, m, k) for m, k in batch],
            indices=[m for m, _ in batch],
            inputs=inputs[[m for m, _ in batch]],
        )
        with torch.inference_mode():
            output = generator.sample(request)
        check_output(job.model, output, len(batch))
        images.append(output.cpu())
        if on_batch is not None:
            on_batch(len(batch))
    everything = torch.cat(images)
    outputs: dict[str, list[np.ndarray]] = {}
    for start in range(0, len(everything), FEATURE_CHUNK):
        chunk = everything[start : start + FEATURE_CHUNK].to(device)
        for name, value in extractor(chunk).items():
            outputs.setdefault(name, []).append(value.float().cpu().numpy())
    shape = (INPUTS, SEEDS)
    found = {name: np.concatenate(parts).reshape(*shape, -1) for name, parts in outputs.items()}
    targets = conditions.targets(rows)
    assert targets is not None, "a translation job has targets"
    return {
        **found,
        "images": everything.numpy().reshape(*shape, *everything.shape[1:]),
        "inputs": inputs.numpy(),
        "targets": targets,
    }
