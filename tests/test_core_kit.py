"""The conformance kit catches the bugs plugin authors make, and passes a correct plugin."""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

import pytest

import genbench
from genbench.testing import (
    ConformanceError,
    assert_model_conforms,
    assert_registers_without_torch,
    assert_weights_shipped,
)

KIT = Path(__file__).with_name("kit_plugin.py")


@pytest.fixture
def kit(install_plugin) -> None:  # type: ignore[no-untyped-def]
    install_plugin("genbench-kit", KIT.read_text(), module="genbench_kit")


def test_a_correct_model_passes(kit) -> None:
    assert_model_conforms("kit.good")


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("kit.unit-range", "scaled to 0..1 before the uint8 cast"),
        ("kit.batch-above-8", "changed when drawn in a batch of 4"),
        ("kit.random", "the same seeds gave other pixels"),
        ("kit.deaf", "changing the class-conditional condition did not change the output"),
    ],
)
def test_planted_bugs_are_caught(kit, model: str, message: str) -> None:
    with pytest.raises(ConformanceError, match=message) as caught:
        assert_model_conforms(model)
    assert f"model '{model}' (plugin genbench-kit)" in str(caught.value)


def test_batch_dependence_above_8_needs_a_batch_above_8(kit) -> None:
    """The bug the kit missed when it sampled 6: a small batch cannot show it."""
    assert_model_conforms("kit.batch-above-8", n=8)
    with pytest.raises(ConformanceError):
        assert_model_conforms("kit.batch-above-8", n=9)


def test_a_model_of_a_plugin_that_failed_says_so(install_plugin) -> None:
    install_plugin("genbench-acme", "raise ImportError('no module named acme_backend')")
    with pytest.raises(genbench.GenbenchError, match=r"genbench-acme.*acme_backend"):
        assert_model_conforms("acme.tiny")


def test_registration_that_imports_torch_is_caught_where_it_happens(install_plugin) -> None:
    install_plugin(
        "genbench-heavy",
        "import genbench\nimport torch\n\n@genbench.hookimpl\n"
        "def genbench_register_models(register):\n    pass\n",
    )
    with pytest.raises(ConformanceError) as caught:
        assert_registers_without_torch("genbench-heavy")
    assert "registration imports torch at" in str(caught.value)
    assert "genbench_heavy.py:2" in str(caught.value)


def test_registration_without_torch_passes(kit) -> None:
    assert_registers_without_torch("genbench-kit")


def _shipper(site: Path, *, recorded: bool) -> genbench.ModelSpec:
    """A plugin distribution installed as from a wheel, whose RECORD lists its weights
    file or (a wheel built without package data) leaves it out."""
    package = site / "genbench_shipper"
    (package / "weights").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    weights = package / "weights" / "shipper-tiny.safetensors"
    weights.write_bytes(b"not really tensors, but pinned")
    info = site / "genbench_shipper-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: genbench-shipper\nVersion: 1.0\n")
    files = ["genbench_shipper/__init__.py"]
    files += ["genbench_shipper/weights/shipper-tiny.safetensors"] if recorded else []
    (info / "RECORD").write_text("".join(f"{f},,\n" for f in files))
    importlib.invalidate_caches()
    return genbench.ModelSpec(
        name="shipper.tiny",
        family="shipper",
        task="unconditional",
        dataset="digits",
        resolution=8,
        channels=1,
        load=print,
        weights=genbench.Weights(
            name="shipper.tiny",
            sha256=hashlib.sha256(weights.read_bytes()).hexdigest(),
            path=str(weights),
        ),
        plugin="genbench-shipper",
    )


@pytest.mark.parametrize("recorded", [True, False], ids=["shipped", "left-out"])
def test_a_wheel_must_ship_its_weights(tmp_path: Path, monkeypatch, recorded: bool) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = _shipper(tmp_path, recorded=recorded)
    if recorded:
        assert_weights_shipped(spec)
        return
    with pytest.raises(ConformanceError, match="declare it as package data so that wheels"):
        assert_weights_shipped(spec)


def test_a_missing_or_altered_weights_file_is_caught(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = _shipper(tmp_path, recorded=True)
    assert spec.weights is not None and spec.weights.path is not None
    Path(spec.weights.path).write_bytes(b"retrained, but the sha256 was not updated")
    with pytest.raises(ConformanceError, match=r"has sha256 .* expected"):
        assert_weights_shipped(spec)
    Path(spec.weights.path).unlink()
    with pytest.raises(ConformanceError, match="is not installed"):
        assert_weights_shipped(spec)
