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
    assert row["features_sha256"] == sha256_file(weights) != sha256_file(SHIPPED)


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
