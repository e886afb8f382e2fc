"""Plugin loading: isolation of broken plugins, selection, strict mode, attribution."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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


def test_a_name_two_plugins_register_is_refused_for_both(install_plugin) -> None:
    """A plugin cannot take over another's name by sorting first (entry point "aaa")."""
    install_plugin("genbench-acme", GOOD)
    install_plugin("aaa", GOOD, module="aaa_takeover")
    registry = genbench.get_registry()
    assert "acme.tiny" not in registry.models
    for name in ("genbench-acme", "aaa"):
        error = registry.plugins[name].errors[0]["error"]
        assert "registered by both aaa 1.0 and genbench-acme 1.0" in error, error
        assert "genbench uses neither" in error
        assert "acme.tiny" not in registry.plugins[name].registered.get("model", [])
    code, output = _run("models", "acme.tiny")
    assert code == 2
    assert "model 'acme.tiny' is refused: registered by both aaa 1.0 and genbench-acme" in output
    code, output = _run("run", "--models", "acme.*", "--out", "unused")
    assert code == 2 and "is refused" in output


def test_the_core_keeps_its_own_names(install_plugin) -> None:
    install_plugin(
        "genbench-evil",
        """
        import genbench

        @genbench.hookimpl
        def genbench_register_metrics(register):
            register(genbench.MetricSpec(name="fid", columns=("fid",), compute=dict,
                                         consumes=("features",)))
        """,
    )
    registry = genbench.get_registry()
    assert registry.metrics.get("fid").plugin == "genbench"
    error = registry.plugins["genbench-evil"].errors[0]["error"]
    assert "metric name 'fid' belongs to genbench itself" in error


TWICE = """
import genbench

@genbench.hookimpl
def genbench_register_models(register):
    for _ in range(2):
        register(genbench.ModelSpec(name="acme.tiny", family="acme", task="unconditional",
                                    dataset="digits", resolution=16, channels=1, load=print))
"""


def test_a_plugin_registering_a_name_twice_is_blamed(install_plugin) -> None:
    install_plugin("genbench-acme", TWICE)
    registry = genbench.get_registry()
    assert "acme.tiny" in registry.models
    error = registry.plugins["genbench-acme"].errors[0]["error"]
    assert "registered model 'acme.tiny' twice" in error


UNDECORATED = """
import genbench

def genbench_register_models(register):
    register(genbench.ModelSpec(name="acme.tiny", family="acme", task="unconditional",
                                dataset="digits", resolution=16, channels=1, load=print))
"""

OPTIONAL = """
import genbench

@genbench.hookimpl(optionalhook=True)
def genbench_register_schedulers(register):
    raise AssertionError("a hook this genbench does not have is never called")
"""


def test_an_undecorated_hook_is_reported_and_never_called(install_plugin) -> None:
    install_plugin("genbench-acme", UNDECORATED)
    registry = genbench.get_registry()
    assert "acme.tiny" not in registry.models
    record = registry.plugins["genbench-acme"]
    assert record.status == "error" and record.hooks == []
    assert (
        "genbench_register_models is not decorated with @genbench.hookimpl"
        in (record.errors[0]["error"])
    )


def test_a_misspelt_hook_names_the_right_one_and_an_optional_one_is_allowed(
    install_plugin,
) -> None:
    install_plugin(
        "genbench-typo",
        "import genbench\n@genbench.hookimpl\ndef genbench_register_modles(register):\n  pass",
    )
    install_plugin("genbench-future", OPTIONAL)
    registry = genbench.get_registry()
    error = registry.plugins["genbench-typo"].errors[0]["error"]
    assert "unknown hook genbench_register_modles (did you mean genbench_register_models?)" in error
    assert registry.plugins["genbench-future"].status == "ok"


def test_hooks_are_called_through_one_plugin_manager_held_by_the_registry(install_plugin) -> None:
    install_plugin("genbench-acme", GOOD)
    registry = genbench.get_registry()
    assert registry is genbench.get_registry()
    impls = registry.manager.hook.genbench_register_models.get_hookimpls()
    assert "genbench-acme" in [i.plugin_name for i in impls]
    assert "genbench.metrics.plugin" in {
        i.plugin_name for i in registry.manager.hook.genbench_register_metrics.get_hookimpls()
    }
    genbench.reset_registry()
    assert genbench.get_registry() is not registry


COMMANDS = """
import click
import genbench

@genbench.hookimpl
def genbench_register_models(register):
    raise RuntimeError("a bad pipeline entry")

@genbench.hookimpl
def genbench_register_commands(cli):
    @cli.command("{name}")
    def command():
        click.echo("{name} from {dist}")
"""


def test_commands_are_added_even_when_the_models_failed(install_plugin) -> None:
    install_plugin("genbench-fixer", COMMANDS.format(name="fix", dist="fixer"))
    code, output = _run("fix")
    assert code == 0 and "fix from fixer" in output
    assert genbench.get_registry().plugins["genbench-fixer"].errors[0]["phase"] == (
        "genbench_register_models"
    )


def test_a_plugin_cannot_replace_a_command(install_plugin) -> None:
    install_plugin("genbench-hijack", COMMANDS.format(name="run", dist="hijack"))
    install_plugin("genbench-one", COMMANDS.format(name="same", dist="one"))
    install_plugin("genbench-two", COMMANDS.format(name="same", dist="two"))
    code, output = _run("run", "--help")
    assert code == 0 and "Benchmark models" in output
    plugins = genbench.get_registry().plugins
    assert "command 'run' is genbench's own" in plugins["genbench-hijack"].errors[-1]["error"]
    code, output = _run("same")
    assert code == 2 and "No such command 'same'" in output
    for name in ("genbench-one", "genbench-two"):
        error = plugins[name].errors[-1]["error"]
        assert "command 'same' is added by both genbench-one 1.0 and genbench-two 1.0" in error


def test_a_hook_that_exits_is_recorded_and_genbench_goes_on(install_plugin) -> None:
    install_plugin(
        "genbench-quitter",
        "import genbench, sys\n@genbench.hookimpl\ndef genbench_register_models(register):\n"
        "    sys.exit(0)",
    )
    install_plugin("genbench-acme", GOOD)
    registry = genbench.get_registry()
    assert "acme.tiny" in registry.models
    assert "SystemExit" in registry.plugins["genbench-quitter"].errors[0]["error"]


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


def test_load_plugins_naming_nothing_installed_is_an_error(install_plugin, monkeypatch) -> None:
    install_plugin("genbench-acme", GOOD)
    monkeypatch.setenv("GENBENCH_LOAD_PLUGINS", "genbench-acme,nosuch")
    with pytest.raises(genbench.GenbenchError) as caught:
        genbench.get_registry()
    message = str(caught.value)
    assert "no installed plugin is called 'nosuch'" in message and "genbench-acme" in message
    result = subprocess.run(
        [sys.executable, "-m", "genbench", "models"],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: GENBENCH_LOAD_PLUGINS=genbench-acme,nosuch")


def test_a_pattern_matching_nothing_names_the_plugins_that_failed(install_plugin) -> None:
    install_plugin("genbench-acme", "raise ImportError('no module named acme_backend')")
    code, output = _run("models", "acme.*")
    assert code == 2
    assert "no model matches 'acme.*'" in output
    assert "Plugins failed to load, so a model of theirs may be missing: genbench-acme" in output
    assert "acme_backend" in output


def test_cli_unknown_pattern_is_an_error_listing_close_names(install_plugin) -> None:
    install_plugin("genbench-acme", GOOD)
    code, output = _run("models", "acme.tiyn")
    assert code == 2
    assert "no model matches 'acme.tiyn'" in output
    assert "Did you mean: acme.tiny" in output


def test_cli_lists_metrics() -> None:
    code, output = _run("metrics", "k*", "--json")
    assert code == 0
    (kid,) = json.loads(output)
    assert kid["name"] == "kid" and kid["columns"] == ["kid", "kid_std"]
    code, output = _run("metrics")
    assert code == 0 and "fid" in output and "CONSUMES" in output
