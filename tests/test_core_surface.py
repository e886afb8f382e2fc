"""The public surface, stated once and enforced: plugins import only public names, and the
plugin guide documents exactly the public names.

The public names are the ``__all__`` of the modules in ``genbench.hookspecs.PUBLIC_MODULES``.
A plugin that uses any other name of genbench fails here with the file, line and name.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from genbench.cli.scaffold import scaffold
from genbench.hookspecs import PUBLIC_MODULES

ROOT = Path(__file__).parents[1]
GUIDE = ROOT / "docs" / "plugins.md"
PUBLIC = {module: set(importlib.import_module(module).__all__) for module in PUBLIC_MODULES}
SKIPPED_FOLDERS = {"build", "dist", ".venv", "__pycache__"}


def _is_public(dotted: str) -> bool:
    """Whether ``a.b.c`` names a public module or a public name of one."""
    module, _, name = dotted.rpartition(".")
    return dotted in PUBLIC or name in PUBLIC.get(module, set())


def _reached(node: ast.expr) -> str | None:
    """What an attribute chain on the name ``genbench`` reaches past the public modules:
    ``genbench.spec`` for ``genbench.spec.ModelSpec``, ``genbench.seeding.randn`` for
    ``genbench.seeding.randn(...)``; None for other chains."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == "genbench"):
        return None
    dotted = "genbench"
    for part in reversed(parts):
        dotted = f"{dotted}.{part}"
        if dotted not in PUBLIC:
            return dotted
    return None


def private_uses(source: str) -> list[tuple[int, str]]:
    """(line, name) of every private genbench name ``source`` imports or reaches."""
    found: set[tuple[int, str]] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            names = names if node.module in PUBLIC else [node.module]
        elif isinstance(node, ast.Attribute):
            reached = _reached(node)
            names = [reached] if reached else []
        else:
            continue
        for name in names:
            if name.split(".")[0] == "genbench" and name != "genbench" and not _is_public(name):
                found.add((node.lineno, name))
    return sorted(found)


def _offenders(folder: Path) -> list[str]:
    return [
        f"{path.relative_to(folder.parent)}:{line}: {name}"
        for path in sorted(folder.rglob("*.py"))
        if not SKIPPED_FOLDERS & set(path.relative_to(folder).parts)
        for line, name in private_uses(path.read_text())
    ]


def _message(offenders: list[str]) -> str:
    modules = ", ".join(PUBLIC_MODULES)
    return (
        f"private genbench names used (a plugin may use only the __all__ of {modules}; "
        "see docs/plugins.md, 'The public API'):\n  " + "\n  ".join(offenders)
    )


def test_the_checker_finds_private_imports_and_attributes() -> None:
    source = (
        "import genbench\nimport genbench.seeding\nimport genbench.plugins\n"
        "from genbench import ModelSpec, weights\nfrom genbench.spec import TASKS\n"
        "from genbench.train import EMA, gan\nfrom genbench.seeding import _splitmix64\n"
        "genbench.seeding.PerSampleNoise\ngenbench.spec.ModelSpec\ngenbench.Weights\n"
        "genbench.get_registry().models\n"
    )
    assert private_uses(source) == [
        (3, "genbench.plugins"),
        (5, "genbench.spec"),
        (6, "genbench.train.gan"),
        (7, "genbench.seeding._splitmix64"),
        (9, "genbench.spec"),
    ]


PLUGINS = sorted(p.name for p in (ROOT / "plugins").iterdir() if (p / "pyproject.toml").is_file())


@pytest.mark.parametrize("plugin", PLUGINS)
def test_plugins_use_only_public_names(plugin: str) -> None:
    offenders = _offenders(ROOT / "plugins" / plugin)
    assert not offenders, _message(offenders)


def test_the_scaffold_uses_only_public_names(tmp_path: Path) -> None:
    scaffold("acme", tmp_path / "genbench-acme")
    offenders = _offenders(tmp_path / "genbench-acme")
    assert not offenders, _message(offenders)


def _documented() -> dict[str, str]:
    """The guide's reference: every listed public name and what it says of it."""
    section = GUIDE.read_text().split("## The public API", 1)[1]
    entries = re.findall(r"^- `(genbench[\w.]*)`: (.+(?:\n  .+)*)", section, flags=re.M)
    return dict(entries)


def test_the_guide_documents_exactly_the_public_names() -> None:
    public = {
        name if module == "genbench" else f"{module}.{name}"
        for module, names in PUBLIC.items()
        for name in names
    }
    public = {name if "." in name else f"genbench.{name}" for name in public}
    documented = _documented()
    assert not public - set(documented), (
        f"document these in docs/plugins.md: {public - set(documented)}"
    )
    assert not set(documented) - public, f"not public, yet documented: {set(documented) - public}"
    assert all(len(text.split()) >= 3 for text in documented.values())


def test_the_public_modules_are_stated_alike_everywhere() -> None:
    import genbench

    for module in PUBLIC_MODULES[1:]:
        assert f"`{module}`" in GUIDE.read_text().split("## The public API", 1)[1], module
        assert module in (genbench.__doc__ or ""), module
