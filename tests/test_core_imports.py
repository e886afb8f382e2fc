"""The import graph of the core: no module of ``genbench`` imports itself back.

The graph is read from the source (every ``import`` statement, lazy ones inside functions
included, since a lazy import is a dependency all the same; ``if TYPE_CHECKING:`` blocks
left out, since they never run). A cycle is reported with its modules, so whoever adds one
sees which edge to cut.
"""

from __future__ import annotations

import ast
from pathlib import Path

import genbench

PACKAGE = Path(genbench.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks."""
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }


def imported_modules(source: str, modules: set[str]) -> set[str]:
    """The modules among ``modules`` that ``source`` imports (``from pkg import mod`` names
    the module ``pkg.mod``; ``from mod import name`` names ``mod``)."""
    tree = ast.parse(source)
    skipped = _type_checking_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
    return found & modules


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    names = set(paths)
    return {name: imported_modules(p.read_text(), names) - {name} for name, p in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = [stack.pop()]
            while component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_lazy_imports_and_skips_type_checking_ones() -> None:
    source = (
        "from typing import TYPE_CHECKING\nimport a\nfrom pkg import b, name\n"
        "if TYPE_CHECKING:\n    import c\ndef f():\n    from d import x\n"
    )
    modules = {"a", "pkg", "pkg.b", "c", "d"}
    assert imported_modules(source, modules) == {"a", "pkg", "pkg.b", "d"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_genbench_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "genbench.bench.runner" in graph and len(graph) > 50
    found = cycles(graph)
    assert not found, "import cycles in genbench: " + "; ".join(" <-> ".join(c) for c in found)
