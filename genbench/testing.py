"""The conformance kit for plugin authors (also a pytest plugin, loaded automatically).

In a plugin's tests::

    from genbench.testing import assert_model_conforms

    def test_conforms():
        assert_model_conforms("acme.tiny")

It loads the model on the CPU and checks the contract of ``genbench.Generator``: uint8 of
the declared shape, determinism per seed, independence of the batch, conditions honoured,
no constant output. Each failure names the model, its plugin and what to fix.
"""

from __future__ import annotations

from typing import Any

import pytest

from genbench.contract import ConformanceError, check_output
from genbench.contract import fail as _fail
from genbench.spec import ModelSpec, SampleRequest

__all__ = ["ConformanceError", "assert_model_conforms", "check_output"]


def _conditions(spec: ModelSpec, n: int, variant: int) -> dict[str, Any]:
    """Conditions for ``n`` samples; a different ``variant`` gives different conditions."""
    import torch

    if spec.task == "class-conditional":
        assert spec.num_classes is not None
        return {"labels": [(i + variant) % spec.num_classes for i in range(n)]}
    if spec.task == "text-to-image":
        words = ["a red circle", "a blue square", "a green triangle", "two yellow stars"]
        return {"prompts": [words[(i + variant) % len(words)] for i in range(n)]}
    if spec.task in ("paired-translation", "unpaired-translation"):
        from genbench.plugins import get_registry

        dataset = get_registry().datasets.get(spec.dataset)
        split = dataset.load(dataset.heldout_split)
        inputs = split.read(spec.inputs, list(range(variant * n, variant * n + n)))
        return {"inputs": torch.from_numpy(inputs)}
    return {}


def _subset(conditions: dict[str, Any], index: list[int]) -> dict[str, Any]:
    return {
        key: (value[index] if hasattr(value, "shape") else [value[i] for i in index])
        for key, value in conditions.items()
    }


def assert_model_conforms(model: ModelSpec | str, *, device: str = "cpu", n: int = 6) -> None:
    """Check that a registered model follows the generator contract on ``device``."""
    import torch

    from genbench.plugins import get_registry

    spec = get_registry().models.get(model) if isinstance(model, str) else model
    generator = spec.load(device)
    if not hasattr(generator, "sample"):
        _fail(spec, "load(device) must return an object with a sample(request) method")
    seeds = [1000 + 17 * i for i in range(n)]
    conditions = _conditions(spec, n, variant=0)
    with torch.inference_mode():
        first = generator.sample(SampleRequest(seeds=seeds, **conditions))
        check_output(spec, first, n)
        first = first.cpu()
        again = generator.sample(SampleRequest(seeds=seeds, **conditions)).cpu()
        if not torch.equal(first, again):
            _fail(spec, "the same seeds gave different pixels; draw noise with genbench.seeding")
        order = [n - 1, 2, 0]
        shuffled = generator.sample(
            SampleRequest(seeds=[seeds[i] for i in order], **_subset(conditions, order))
        ).cpu()
        if not torch.equal(shuffled, first[order]):
            _fail(
                spec,
                "a sample changed when drawn in another batch; sample i may depend only "
                "on seeds[i] and its condition (use genbench.seeding.PerSampleNoise)",
            )
        alone = generator.sample(SampleRequest(seeds=[seeds[1]], **_subset(conditions, [1]))).cpu()
        if not torch.equal(alone[0], first[1]):
            _fail(spec, "a sample drawn alone differs from the same seed in a batch")
        if torch.equal(first[0], first[1]) or first.float().std() == 0:
            _fail(spec, "different seeds gave identical or constant images")
        if spec.task != "unconditional":
            other = generator.sample(
                SampleRequest(seeds=seeds, **_conditions(spec, n, variant=1))
            ).cpu()
            if torch.equal(other, first):
                _fail(spec, f"changing the {spec.task} condition did not change the output")


@pytest.fixture
def genbench_registry() -> Any:
    """The registry of installed plugins, for parametrizing tests over models."""
    from genbench.plugins import get_registry

    return get_registry()
