"""Every registered row: the conformance kit, on a tiny network (fast) and on the shipped
one (slow); the shipped checkpoint reproduces a pinned sample."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from genbench import GenbenchError, SampleRequest, Weights, get_registry
from genbench.testing import assert_model_conforms
from genbench.train import sha256_file

from genbench_ddpm import sampler
from genbench_ddpm.config import SamplerConfig
from genbench_ddpm.plugin import DIGITS, ROWS, SHAPES, RowLoader

ROW_NAMES = sorted(ROWS)


def _weights(path: Path) -> Weights:
    """A tiny checkpoint as a row's registered weights."""
    return Weights(name="ddpm-tiny", sha256=sha256_file(path), path=str(path))


def test_every_row_is_registered_with_its_nfe() -> None:
    models = get_registry().models
    for name, (network, config, _) in ROWS.items():
        spec = models.get(name)
        assert spec.dataset == network.dataset and spec.weights == network.weights
        assert spec.family == "ddpm" and spec.plugin == "genbench-ddpm"
        assert spec.info["nfe"] == config.nfe
        conditional = config.condition == "request"
        assert spec.task == ("class-conditional" if conditional else "unconditional")
    assert models.get("ddpm.digits").info["nfe"] == 1000
    assert models.get("ddpm.digits-cfg2").info == {
        "nfe": 100,
        "sampler": "ddim",
        "steps": 50,
        "eta": 0.0,
        "guidance": 2.0,
    }


def test_registration_does_not_import_torch() -> None:
    code = "import sys, genbench_ddpm.plugin; assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", ROW_NAMES)
def test_row_conforms_on_a_tiny_network(name: str, tiny_checkpoints: dict[str, Path]) -> None:
    spec = get_registry().models.get(name)
    config = spec.load.sampler
    short = replace(config, steps=min(config.steps, 4))  # the tiny schedule has 20 steps
    tiny = tiny_checkpoints[spec.dataset]
    weights = _weights(tiny)
    assert_model_conforms(replace(spec, weights=weights, load=RowLoader(weights, short)))


@pytest.mark.parametrize(("condition", "guidance"), [("seed", 0.0), ("request", 2.0)])
def test_samples_do_not_depend_on_their_micro_batch(
    condition: str, guidance: float, tiny_checkpoint: Path
) -> None:
    """Requests larger than MICRO_BATCH put a seed in another chunk at another position."""
    n = sampler.MICRO_BATCH + 9
    generator = RowLoader(_weights(tiny_checkpoint), ROWS["ddpm.digits-ddim10"][1])("cpu")
    generator.config = replace(generator.config, steps=3, condition=condition, guidance=guidance)
    seeds, labels = list(range(100, 100 + n)), [i % 10 for i in range(n)]
    with torch.inference_mode():
        everything = generator.sample(SampleRequest(seeds=seeds, labels=labels))
        picked = [n - 1, 5, sampler.MICRO_BATCH, 0]
        again = generator.sample(
            SampleRequest(seeds=[seeds[i] for i in picked], labels=[labels[i] for i in picked])
        )
    assert torch.equal(again, everything[picked])


def test_missing_or_corrupt_weights_say_what_to_do(tmp_path: Path, tiny_checkpoint: Path) -> None:
    config = ROWS["ddpm.digits-ddim10"][1]
    absent = Weights(name="ddpm-shapes", sha256="0" * 64, path=str(tmp_path / "absent"))
    with pytest.raises(GenbenchError, match=r"reinstall the plugin.*--weights ddpm-shapes=PATH"):
        RowLoader(absent, config)("cpu")
    corrupt = Weights(name="ddpm-shapes", sha256="0" * 64, path=str(tiny_checkpoint))
    with pytest.raises(GenbenchError, match="sha256"):
        RowLoader(corrupt, config)("cpu")


def test_labels_out_of_range_are_refused(tiny_checkpoint: Path) -> None:
    generator = RowLoader(_weights(tiny_checkpoint), ROWS["ddpm.digits-cfg2"][1])("cpu")
    with pytest.raises(GenbenchError, match=r"labels in 0\.\.9"):
        generator.sample(SampleRequest(seeds=[1], labels=[10]))


# Five DDIM steps with guidance 2 from each shipped network, seeds 0..3, labels 0..3, one
# thread, recorded on this project's x86-64 CPU (AVX-512); another CPU's kernels may
# round differently, so a mismatch there is worth a look, not proof of a broken file.
PINNED_SHA256 = {
    "digits": "7eca9fd2976e0883c058312391e97e9cab6090f604c6dab2397edd3c9dcbf19c",
    "shapes": "17eb2e889742beea39bdc94fc07fe2ecec57a29e93fd0355063a18a64c45e5c0",
}


@pytest.mark.parametrize("network", [DIGITS, SHAPES], ids=lambda network: network.dataset)
def test_shipped_checkpoint_reproduces_the_pinned_sample(network) -> None:  # type: ignore[no-untyped-def]
    config = SamplerConfig("ddim", 5, condition="request", guidance=2.0)
    generator = RowLoader(network.weights, config)("cpu")
    images = generator.sample(SampleRequest(seeds=[0, 1, 2, 3], labels=[0, 1, 2, 3]))
    assert hashlib.sha256(images.numpy().tobytes()).hexdigest() == PINNED_SHA256[network.dataset]


@pytest.mark.slow
@pytest.mark.parametrize("name", ROW_NAMES)
def test_shipped_row_conforms_as_registered(name: str) -> None:
    assert_model_conforms(name)
