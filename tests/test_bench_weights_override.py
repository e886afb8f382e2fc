"""`genbench run --weights NAME=PATH` swaps a weights file, in isolated workers too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from genbench.cli import build_cli
from genbench.train.checkpoint import sha256_file

SHIPPED = Path(__file__).parents[1] / "genbench" / "features" / "weights" / "digits-cnn.safetensors"


def _perturbed_copy(target: Path, source: Path = SHIPPED) -> Path:
    from safetensors import safe_open
    from safetensors.torch import save_file

    with safe_open(str(source), framework="pt") as handle:
        tensors = {key: handle.get_tensor(key) for key in handle.keys()}  # noqa: SIM118
        metadata = handle.metadata()
    first = sorted(tensors)[0]
    tensors[first] = tensors[first] * 1.01
    save_file(tensors, str(target), metadata=metadata)
    return target


@pytest.mark.parametrize("isolate", [False, True], ids=["in-process", "isolated"])
def test_override_is_used_and_recorded(tmp_path: Path, isolate: bool) -> None:
    weights = _perturbed_copy(tmp_path / "my-digits-cnn.safetensors")
    out = tmp_path / "run"
    args = [
        "run",
        "--models",
        "baseline.oracle-digits",
        "--n-samples",
        "24",
        "--metrics",
        "fid",
        "--no-progress",
        "--out",
        str(out),
        "--weights",
        f"digits-cnn={weights}",
    ]
    result = CliRunner().invoke(build_cli(), args + (["--isolate"] if isolate else []))
    assert result.exit_code == 0, result.output
    (row_file,) = (out / "results").glob("*.json")
    row = json.loads(row_file.read_text())
    assert row["status"] == "ok", row["error"]
    sha = sha256_file(weights)
    assert row["features_sha256"] == sha != sha256_file(SHIPPED)
    # loud wherever it shows: another feature space's name, a warning, the reproduce command
    assert row["features"] == f"digits-cnn@{sha[:8]}"
    assert "non-reference weights: digits-cnn" in row["warnings"]
    assert f"--weights digits-cnn={weights}" in row["reproduce"]


def test_score_marks_non_reference_weights(tmp_path: Path) -> None:
    weights = _perturbed_copy(tmp_path / "my-digits-cnn.safetensors")
    args = ["score", "digits:train", "digits:test", "--features", "digits-cnn", "--json"]
    result = CliRunner().invoke(build_cli(), [*args, "--weights", f"digits-cnn={weights}"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    sha = sha256_file(weights)
    assert report["features"] == f"digits-cnn@{sha[:8]}" and report["features_sha256"] == sha
    assert report["warnings"].startswith("non-reference weights: digits-cnn")


def test_a_missing_override_file_is_named(tmp_path: Path) -> None:
    args = ["run", "--models", "baseline.oracle-digits", "--weights", "digits-cnn=/no/such.file"]
    result = CliRunner().invoke(build_cli(), args)
    assert result.exit_code == 2
    assert "/no/such.file" in result.output


def test_a_model_scored_with_other_weights_is_its_own_entry(tmp_path: Path) -> None:
    """Overridden model weights are not the registered model: the row's name and reproduce
    command say so, so it is never mistaken for (or merged with) the official row."""
    from genbench.weights import resolve

    shipped = resolve("gan.digits")
    weights = _perturbed_copy(tmp_path / "my-gan.safetensors", shipped)
    out = tmp_path / "run"
    args = ["run", "--models", "gan.digits", "--n-samples", "24", "--metrics", "fid"]
    args += ["--bootstrap", "0", "--no-progress", "--out", str(out)]
    result = CliRunner().invoke(build_cli(), [*args, "--weights", f"gan.digits={weights}"])
    assert result.exit_code == 0, result.output
    (row_file,) = (out / "results").glob("*.json")
    row = json.loads(row_file.read_text())
    sha = sha256_file(weights)
    assert row["model"] == f"gan.digits@{sha[:8]}" and row["weights_sha256"] == sha
    assert f"--weights gan.digits={weights}" in row["reproduce"]


@pytest.fixture
def overrides():
    """``genbench.weights.set_overrides`` for one test, cleared before (a CLI test in this
    process may have left some) and after it."""
    from genbench.weights import set_overrides

    set_overrides({})
    yield set_overrides
    set_overrides({})


def _halved_copy(target: Path, source: Path) -> Path:
    """The checkpoint with every float tensor halved: the same architecture, other weights."""
    from safetensors import safe_open
    from safetensors.torch import save_file

    with safe_open(str(source), framework="pt") as handle:
        tensors = {key: handle.get_tensor(key) for key in handle.keys()}  # noqa: SIM118
        metadata = handle.metadata()
    tensors = {k: v * 0.5 if v.is_floating_point() else v for k, v in tensors.items()}
    save_file(tensors, str(target), metadata=metadata)
    return target


def _samples(model: str):
    import torch

    from genbench import SampleRequest, get_registry

    spec = get_registry().models.get(model)
    inputs = None
    if spec.inputs is not None:  # a translation model: any images of its input shape
        noise = torch.Generator().manual_seed(0)
        shape = (3, 1 if model.endswith("gray") else 3, spec.resolution, spec.resolution)
        inputs = torch.randint(0, 256, shape, generator=noise, dtype=torch.uint8)
    labels = [0, 1, 2] if spec.num_classes else None
    return spec.load("cpu").sample(SampleRequest(seeds=[0, 1, 2], labels=labels, inputs=inputs))


@pytest.mark.parametrize(
    "model", ["gan.digits", "cgan.digits", "ddpm.digits-ddim10", "pix2pix.shapes-gray"]
)
def test_other_weights_give_other_samples(tmp_path: Path, overrides, model: str) -> None:
    """--weights reaches the loader of each kind of model (GAN kit, DDPM, translation kit):
    the same seeds give other samples, and the registered file gives back the official ones."""
    import torch

    from genbench import get_registry
    from genbench.weights import resolve

    official = _samples(model)
    weights = get_registry().models.get(model).weights
    overrides({weights.name: _halved_copy(tmp_path / "mine.safetensors", resolve(weights))})
    theirs = _samples(model)
    assert theirs.shape == official.shape and not torch.equal(theirs, official)
    overrides({})
    assert torch.equal(_samples(model), official)


def test_a_file_that_does_not_fit_is_refused_in_one_line(tmp_path: Path, overrides) -> None:
    from genbench import GenbenchError, get_registry
    from genbench.weights import resolve

    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(resolve("gan.digits").read_bytes()[:5000])
    other_family = resolve("dcgan.digits")
    ddpm = get_registry().models.get("ddpm.digits-ddim10")
    for model, path, says in [
        ("gan.digits", truncated, "not a valid safetensors file"),
        ("gan.digits", other_family, "is not a checkpoint of this model"),
        ("ddpm.digits-ddim10", resolve("gan.digits"), "is not a checkpoint of this model"),
    ]:
        spec = get_registry().models.get(model)
        assert spec.weights is not None and ddpm.weights is not None
        overrides({spec.weights.name: path})
        with pytest.raises(GenbenchError) as caught:
            spec.load("cpu")
        message = str(caught.value)
        assert says in message and str(path) in message and "\n" not in message


def test_a_file_of_other_shapes_is_refused_in_one_line(tmp_path: Path, overrides) -> None:
    """Same family and config, tensors of another shape: torch's many-line report becomes one."""
    from safetensors import safe_open
    from safetensors.torch import save_file

    from genbench import GenbenchError, get_registry
    from genbench.weights import resolve

    with safe_open(str(resolve("gan.digits")), framework="pt") as handle:
        tensors = {key: handle.get_tensor(key) for key in handle.keys()}  # noqa: SIM118
        metadata = handle.metadata()
    first = sorted(tensors)[0]
    tensors[first] = tensors[first][..., :1].contiguous()
    save_file(tensors, str(tmp_path / "narrow.safetensors"), metadata=metadata)
    overrides({"gan.digits": tmp_path / "narrow.safetensors"})
    with pytest.raises(GenbenchError, match="does not fit the model's network") as caught:
        get_registry().models.get("gan.digits").load("cpu")
    assert "\n" not in str(caught.value) and first in str(caught.value)


def test_a_model_without_weights_refuses_the_option() -> None:
    args = ["run", "--models", "baseline.noise-digits"]
    result = CliRunner().invoke(
        build_cli(), [*args, "--weights", f"baseline.noise-digits={SHIPPED}"]
    )
    assert result.exit_code == 2
    assert "'baseline.noise-digits' loads no weights file" in result.output


def test_a_model_name_stands_for_its_weights_name() -> None:
    """DDPM rows share the file ``ddpm-digits``: their model names reach it too."""
    from genbench.weights import check_override_names

    pairs = ["ddpm.digits-ddim10=a.safetensors", "gan.digits=b.safetensors"]
    assert check_override_names(pairs) == ["ddpm-digits=a.safetensors", "gan.digits=b.safetensors"]
