"""The hook contract is documented, and every registered model passes the conformance kit."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import genbench
from genbench import hookspecs
from genbench.testing import assert_model_conforms

HOOKS = [
    name
    for name, _ in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("genbench_")
]
GUIDE = Path(__file__).parents[1] / "docs" / "plugins.md"


def test_there_are_hooks() -> None:
    assert {
        "genbench_register_models",
        "genbench_register_datasets",
        "genbench_register_feature_extractors",
        "genbench_register_metrics",
        "genbench_register_commands",
    } <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(hook: str) -> None:
    function = getattr(hookspecs, hook)
    doc = inspect.getdoc(function) or ""
    for parameter in inspect.signature(function).parameters:
        assert f":param {parameter}:" in doc, f"{hook}: document parameter {parameter!r}"
    assert ".. versionadded::" in doc, f"{hook}: say since which version it exists"
    assert function.__annotations__, f"{hook}: type the hook"
    assert f"`{hook}" in GUIDE.read_text(), f"{hook}: describe it in docs/plugins.md"


# Samplers this long are checked by their own plugin's tests; here they would only double
# the suite's longest test (a 1000-step DDPM: ~5 min on 2 busy cores). Those of 50 steps
# and more take 20-30 s each under the kit's batch of 32: the quick suite leaves them out.
LONG_SAMPLERS_NFE = 1000
SLOW_SAMPLERS_NFE = 50


def _conformance_params() -> list[object]:
    params: list[object] = []
    for spec in genbench.get_registry().models:
        nfe = int(spec.info.get("nfe", 1))
        marks: list[pytest.MarkDecorator] = []
        if nfe >= LONG_SAMPLERS_NFE:
            marks.append(pytest.mark.skip(reason=f"{spec.plugin}'s own tests check it"))
        elif spec.info.get("baseline") == "mean-target":
            # The mean-target baseline ignores its input by design (the kit's condition check).
            marks.append(pytest.mark.skip(reason="ignores its input by design"))
        elif nfe >= SLOW_SAMPLERS_NFE:
            marks.append(pytest.mark.slow)
        params.append(pytest.param(spec.name, marks=marks))
    return params


@pytest.mark.parametrize("name", _conformance_params())
def test_registered_model_conforms(name: str) -> None:
    assert_model_conforms(name)


def test_no_installed_plugin_is_broken() -> None:
    broken = {n: r.errors for n, r in genbench.get_registry().plugins.items() if r.status != "ok"}
    assert not broken
