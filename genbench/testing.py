"""The conformance kit for plugin authors (also a pytest plugin, loaded automatically).

In a plugin's tests::

    from genbench.testing import assert_model_conforms

    def test_conforms():
        assert_model_conforms("acme.tiny")

It checks what authors get wrong, each failure naming the model, its plugin and what to fix:

- the generator contract on the CPU: uint8 of the declared shape, images that are neither
  flat, nor all alike, nor scaled to 0..1 before the uint8 cast;
- independence of the batch: a full batch of ``n`` samples (32) against its last 8 seeds
  drawn in batches of 4 in reverse order and three of its seeds alone, and determinism;
- that conditions (labels, input images, prompts) change the output;
- that the installed distribution ships the model's weights file (a wheel without its
  package data) with the pinned sha256;
- that registering the plugin imports no torch (in a fresh interpreter where importing
  torch fails, so the message says where it was imported).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from genbench.contract import ConformanceError, check_output
from genbench.contract import fail as _fail
from genbench.errors import GenbenchError
from genbench.plugins import get_registry
from genbench.spec import ModelSpec, SampleRequest

if TYPE_CHECKING:
    from click.testing import Result

__all__ = [
    "ConformanceError",
    "assert_model_conforms",
    "assert_registers_without_torch",
    "assert_weights_shipped",
    "check_output",
    "genbench_registry",
    "run_cli",
]

# Samples per batch where the kit draws the full batch's seeds again in other batches.
OTHER_BATCH = 4


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
        dataset = get_registry().datasets.get(spec.dataset)
        split = dataset.load(dataset.heldout_split)
        rows = [(variant * n + i) % len(split) for i in range(n)]
        return {"inputs": torch.from_numpy(split.read(spec.inputs, rows))}
    return {}


def _subset(conditions: dict[str, Any], index: list[int]) -> dict[str, Any]:
    return {
        key: (value[index] if hasattr(value, "shape") else [value[i] for i in index])
        for key, value in conditions.items()
    }


def _spec(model: ModelSpec | str) -> ModelSpec:
    return get_registry().models.get(model) if isinstance(model, str) else model


def assert_model_conforms(model: ModelSpec | str, *, device: str = "cpu", n: int = 32) -> None:
    """Check a model against everything in this module's doc, on ``device``.

    ``model`` is a registered name or a spec (e.g. a registered one with a tiny ``load``).
    ``n`` is the full batch; keep it above 8, where batch-dependent code paths often start.
    """
    import torch

    from genbench.bench.sampling import OutputMonitor

    spec = _spec(model)
    assert_weights_shipped(spec)
    if spec.plugin:
        assert_registers_without_torch(spec.plugin)
    generator = spec.load(device)
    if not callable(getattr(generator, "sample", None)):
        _fail(spec, "load(device) must return an object with a sample(request) method")
    seeds = [1000 + 17 * i for i in range(n)]
    conditions = _conditions(spec, n, variant=0)

    def draw(index: list[int], given: dict[str, Any] = conditions) -> torch.Tensor:
        request = SampleRequest(seeds=[seeds[i] for i in index], **_subset(given, index))
        images = generator.sample(request)
        check_output(spec, images, len(index))
        return images.cpu()

    everything = list(range(n))
    with torch.inference_mode():
        full = draw(everything)
        monitor = OutputMonitor()
        monitor.update(full)
        problem = monitor.problem(n)
        if problem:
            _fail(spec, problem)
        # the last seeds (where code that changes past some batch size shows) in small
        # batches in reverse order, and three alone; all n again would double the kit's time
        backwards = everything[::-1][: 2 * OTHER_BATCH]
        batches = [backwards[i : i + OTHER_BATCH] for i in range(0, len(backwards), OTHER_BATCH)]
        batches += [[i] for i in dict.fromkeys((0, n // 2, n - 1))]
        for index in batches:
            if not torch.equal(draw(index), full[index]):
                if not torch.equal(draw(everything), full):
                    _fail(
                        spec,
                        "the same seeds gave other pixels; draw noise with genbench.seeding",
                    )
                _fail(
                    spec,
                    f"sample {index[0]} of a batch of {n} changed when drawn in a batch of "
                    f"{len(index)}; sample i may depend only on seeds[i] and its condition "
                    "(use genbench.seeding.PerSampleNoise; keep normalisation layers in eval mode)",
                )
        if spec.task != "unconditional":
            few = everything[: min(n, 8)]
            other = draw(few, _conditions(spec, n, variant=1))
            if torch.equal(other, full[few]):
                _fail(spec, f"changing the {spec.task} condition did not change the output")


def assert_weights_shipped(model: ModelSpec | str) -> None:
    """Check that the file a model's ``Weights.path`` names is installed with its plugin.

    The file must exist and match its pinned sha256. In a non-editable install (a wheel,
    as users get it) it must also be one of the distribution's recorded files: a wheel
    built without the file declared as package data leaves it out.
    """
    from genbench.weights import resolve

    spec = _spec(model)
    weights = spec.weights
    if weights is None or weights.path is None:
        return
    path = Path(weights.path)
    if not path.is_file():
        _fail(
            spec,
            f"its weights file {path} is not installed; declare it as package data (e.g. "
            '[tool.setuptools.package-data] genbench_acme = ["weights/*.safetensors"])',
        )
    try:
        resolve(weights)
    except GenbenchError as error:
        _fail(spec, str(error))
    try:
        dist = metadata.distribution(spec.plugin)
    except metadata.PackageNotFoundError:
        return  # not installed as a distribution (a spec made in a test)
    if not _editable(dist) and path.resolve() not in _recorded_files(dist):
        _fail(
            spec,
            f"its weights file {path} is not among the files of the installed distribution "
            f"{dist.metadata['Name']}; declare it as package data so that wheels ship it",
        )


def _editable(dist: metadata.Distribution) -> bool:
    """An editable install reads the source tree: its recorded files say nothing of a wheel."""
    text = dist.read_text("direct_url.json") or "{}"
    return bool(json.loads(text).get("dir_info", {}).get("editable"))


def _recorded_files(dist: metadata.Distribution) -> set[Path]:
    return {Path(str(dist.locate_file(f))).resolve() for f in dist.files or ()}


# Run in a fresh interpreter: every import of torch fails, naming the line that asked.
_REGISTER_WITHOUT_TORCH = """
import json, os, sys, traceback

LOADER = os.path.join("genbench", "plugins.py")

class NoTorch:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] != "torch":
            return None
        frames = [
            f for f in traceback.extract_stack()[:-1]
            if not f.filename.startswith("<") and "importlib" not in f.filename
        ]
        entry = max((i for i, f in enumerate(frames) if f.filename.endswith(LOADER)), default=-1)
        chain = [frames[entry + 1], frames[-1]] if entry + 1 < len(frames) else frames[-1:]
        where = " via ".join(dict.fromkeys(f"{f.filename}:{f.lineno}" for f in chain))
        raise ImportError(f"registration imports torch at {where}")

sys.meta_path.insert(0, NoTorch())
import genbench
plugins = genbench.get_registry().plugins
print(json.dumps({name: record.errors for name, record in plugins.items()}))
"""


@functools.cache
def assert_registers_without_torch(plugin: str) -> None:
    """Check that registering the distribution ``plugin`` imports no torch (once per process).

    Registration runs for every ``genbench`` command, ``genbench models`` included; torch
    belongs inside ``load``.
    """
    env = {
        **os.environ,
        "GENBENCH_LOAD_PLUGINS": "" if plugin == "genbench" else plugin,
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    done = subprocess.run(
        [sys.executable, "-c", _REGISTER_WITHOUT_TORCH],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise ConformanceError(f"plugin {plugin}: registering it failed: {done.stderr.strip()}")
    errors = json.loads(done.stdout.strip().splitlines()[-1])
    for name, problems in errors.items():
        for problem in problems:
            if "registration imports torch" in problem["error"]:
                raise ConformanceError(
                    f"plugin {name}: {problem['error']} ({problem['phase']}); import torch "
                    "inside load(), not at module level or in a hook"
                )


def run_cli(*args: str) -> Result:
    """Run ``genbench ARGS`` in this process as a user would (installed plugins and their
    commands included); the result has ``exit_code`` and ``output``."""
    from click.testing import CliRunner

    from genbench.cli import build_cli

    return CliRunner().invoke(build_cli(), list(args))


@pytest.fixture
def genbench_registry() -> Any:
    """The registry of installed plugins, for parametrizing tests over models."""
    return get_registry()
