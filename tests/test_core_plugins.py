"""Plugin loading: isolation of broken plugins, selection, strict mode, attribution."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import genbench
from genbench.cli import build_cli

GOOD = """
import genbench

def load(device):
    raise NotImplementedError

@genbench.hookimpl
def genbench_register_models(register):
    register(genbench.ModelSpec(name="acme.tiny", family="acme", task="unconditional",
                                dataset="digits", resolution=16, channels=1, load=load))
"""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), list(args))
    return result.exit_code, result.output


def test_good_plugin_is_tagged_with_its_distribution(install_plugin) -> None:
    install_plugin("genbench-acme", GOOD, version="2.3")
    spec = genbench.get_registry().models.get("acme.tiny")
    assert (spec.plugin, spec.plugin_version) == ("genbench-acme", "2.3")
    record = genbench.get_registry().plugins["genbench-acme"]
    assert record.status == "ok"
    assert record.hooks == ["genbench_register_models"]
    assert record.registered == {"model": ["acme.tiny"]}


@pytest.mark.parametrize(
    ("source", "phase", "message"),
    [
        ("raise ImportError('no module named acme_backend')", "import", "acme_backend"),
        (
            "import genbench\n@genbench.hookimpl\ndef genbench_register_models(register):\n"
            "    raise RuntimeError('boom')",
            "genbench_register_models",
            "boom",
        ),
        (
            "import genbench\n@genbench.hookimpl\ndef genbench_register_models(register):\n"
            "    register(genbench.ModelSpec(name='bad.x', family='bad', task='painting',"
            " dataset='digits', resolution=16, channels=1, load=print))",
            "genbench_register_models",
            "field 'task'",
        ),
        (
            "import genbench\n@genbench.hookimpl\ndef genbench_register_models(register):\n"
            "    register('not a spec')",
            "register",
            "expected genbench.ModelSpec",
        ),
        (
            "import genbench\n@genbench.hookimpl\n"
            "def genbench_register_modles(register):\n    pass",
            "register",
            "genbench_register_modles",
        ),
    ],
    ids=["import-error", "hook-raises", "invalid-spec", "wrong-type", "misspelt-hook"],
)
def test_broken_plugin_is_recorded_and_the_rest_loads(
    install_plugin, source, phase, message
) -> None:
    install_plugin("genbench-acme", GOOD)
    install_plugin("genbench-broken", source, version="0.9")
    registry = genbench.get_registry()
    assert "acme.tiny" in registry.models
    broken = registry.plugins["genbench-broken"]
    assert broken.status == "error"
    assert broken.version == "0.9"
    assert broken.errors[0]["phase"] == phase
    assert message in broken.errors[0]["error"]


def test_duplicate_name_keeps_the_first_and_blames_the_second(install_plugin) -> None:
    install_plugin("genbench-acme", GOOD)
    install_plugin("genbench-copycat", GOOD, module="copycat")
    registry = genbench.get_registry()
    assert registry.models.get("acme.tiny").plugin == "genbench-acme"
    error = registry.plugins["genbench-copycat"].errors[0]["error"]
    assert "already registered by genbench-acme" in error


def test_strict_mode_reraises(install_plugin, monkeypatch) -> None:
    install_plugin("genbench-broken", "raise ImportError('missing dependency foo')")
    monkeypatch.setenv("GENBENCH_STRICT", "1")
    with pytest.raises(genbench.GenbenchError, match=r'plugin "genbench-broken".*foo'):
        genbench.get_registry()


def test_load_plugins_selects_by_distribution(install_plugin, monkeypatch) -> None:
    install_plugin("genbench-acme", GOOD)
    monkeypatch.setenv("GENBENCH_LOAD_PLUGINS", "")
    genbench.reset_registry()
    assert "genbench-acme" not in genbench.get_registry().plugins
    monkeypatch.setenv("GENBENCH_LOAD_PLUGINS", "genbench-acme")
    genbench.reset_registry()
    assert "acme.tiny" in genbench.get_registry().models


def test_cli_lists_models_and_shows_broken_plugins(install_plugin) -> None:
    install_plugin("genbench-acme", GOOD)
    install_plugin("genbench-broken", "raise ImportError('no module named acme_backend')")
    code, output = _run("models", "acme.*", "--json")
    assert code == 0
    assert [m["name"] for m in json.loads(output[: output.rindex("]") + 1])] == ["acme.tiny"]
    code, output = _run("plugins", "--json")
    assert code == 0
    records = {r["name"]: r for r in json.loads(output)}
    assert records["genbench-broken"]["status"] == "error"
    assert "acme_backend" in records["genbench-broken"]["errors"][0]["error"]


def test_cli_unknown_pattern_is_an_error_listing_close_names(install_plugin) -> None:
    install_plugin("genbench-acme", GOOD)
    code, output = _run("models", "acme.tiyn")
    assert code == 2
    assert "no model matches 'acme.tiyn'" in output
    assert "Did you mean: acme.tiny" in output
