"""The core's runtime dependencies are exactly the distributions genbench imports.

Read from the source: every third-party module a genbench module imports (lazy imports
included) maps to the distribution that provides it, and pyproject.toml's
``[project] dependencies`` must name exactly those. The conformance kit's pytest is the one
exception: ``genbench.testing`` is a pytest plugin, loaded only by pytest.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

import genbench

ROOT = Path(__file__).parents[1]
TEST_ONLY = {"genbench/testing.py": {"pytest"}}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def imported_distributions() -> dict[str, set[str]]:
    """The distributions genbench imports at run time, and which files import each."""
    provided = metadata.packages_distributions()
    package = Path(genbench.__file__).parent
    found: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                tops = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                tops = {node.module.split(".")[0]}
            else:
                continue
            tops -= set(sys.stdlib_module_names) | {"genbench"} | TEST_ONLY.get(relative, set())
            for top in tops:
                for dist in provided.get(top, [top]):
                    found.setdefault(_name(dist), set()).add(relative)
    return found


def test_runtime_dependencies_are_what_genbench_imports() -> None:
    tomllib = pytest.importorskip("tomllib")
    declared = {
        _name(r)
        for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    imported = imported_distributions()
    undeclared = {d: sorted(files)[:3] for d, files in imported.items() if d not in declared}
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"
    unused = declared - set(imported)
    assert not unused, f"in [project] dependencies but never imported by genbench: {unused}"
