"""Specs validate at construction and name the offending field; names resolve like timm's."""

from __future__ import annotations

import subprocess
import sys

import pytest

import genbench
from genbench.errors import UnknownNameError
from genbench.registry import Catalog, PluginRecord


def _model(**overrides: object) -> genbench.ModelSpec:
    fields: dict[str, object] = dict(
        name="acme.tiny",
        family="acme",
        task="unconditional",
        dataset="digits",
        resolution=16,
        channels=1,
        load=print,
    )
    fields.update(overrides)
    return genbench.ModelSpec(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "Acme Tiny"}, "name"),
        ({"task": "painting"}, "task"),
        ({"channels": 4}, "channels"),
        ({"resolution": 0}, "resolution"),
        ({"load": "not callable"}, "load"),
        ({"task": "class-conditional"}, "num_classes"),
        ({"task": "paired-translation"}, "inputs"),
        ({"weights": "file.safetensors"}, "weights"),
    ],
)
def test_invalid_model_spec_names_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(genbench.SpecError) as raised:
        _model(**overrides)
    assert raised.value.field == field
    assert f"field {field!r}" in str(raised.value)


def test_weights_need_a_real_sha256() -> None:
    with pytest.raises(genbench.SpecError, match="sha256"):
        genbench.Weights(name="acme", sha256="deadbeef")
    weights = genbench.Weights(name="acme", sha256="0" * 64, path="/x/acme-v1.safetensors")
    assert weights.filename == "acme-v1.safetensors"


def test_specs_are_frozen() -> None:
    spec = _model()
    with pytest.raises(AttributeError):
        spec.name = "other.name"  # type: ignore[misc]


def _catalog() -> Catalog[genbench.ModelSpec]:
    catalog: Catalog[genbench.ModelSpec] = Catalog("model")
    plugin = PluginRecord("genbench-test", "1.0", "test")
    for name, family in [
        ("dcgan.digits", "dcgan"),
        ("dcgan.shapes", "dcgan"),
        ("wgan-gp.digits", "wgan"),
        ("ddpm.digits-ddim50", "ddpm"),
    ]:
        catalog.add(_model(name=name, family=family), plugin)
    return catalog


@pytest.mark.parametrize(
    ("patterns", "exclude", "expected"),
    [
        ("all", "", ["dcgan.digits", "dcgan.shapes", "wgan-gp.digits", "ddpm.digits-ddim50"]),
        ("dcgan.*", "", ["dcgan.digits", "dcgan.shapes"]),
        ("*digits*", "", ["dcgan.digits", "wgan-gp.digits", "ddpm.digits-ddim50"]),
        ("family:wgan,ddpm.*", "", ["wgan-gp.digits", "ddpm.digits-ddim50"]),
        ("all", "dcgan.*", ["wgan-gp.digits", "ddpm.digits-ddim50"]),
        ("*digits*", "family:ddpm", ["dcgan.digits", "wgan-gp.digits"]),
    ],
)
def test_name_patterns(patterns: str, exclude: str, expected: list[str]) -> None:
    assert [s.name for s in _catalog().select(patterns, exclude)] == expected


def test_a_pattern_matching_nothing_lists_the_closest_names() -> None:
    with pytest.raises(UnknownNameError, match=r"'dcgan.digts'.*Did you mean: dcgan.digits"):
        _catalog().select("dcgan.*,dcgan.digts")


def test_importing_genbench_and_listing_models_imports_no_torch() -> None:
    code = (
        "import sys, genbench; genbench.get_registry().models.names();"
        " assert 'torch' not in sys.modules, [m for m in sys.modules if 'torch' in m]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
