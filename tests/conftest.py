"""Fake installed plugins with real entry points."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import genbench


@pytest.fixture
def install_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., None]]:
    """Install a fake distribution: a module plus a dist-info with an entry point in group
    ``genbench``, found by ``importlib.metadata`` exactly as a pip-installed plugin is."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    installed: list[str] = []

    def install(dist: str, source: str, *, version: str = "1.0", module: str | None = None) -> None:
        module = module or dist.replace("-", "_")
        (site / f"{module}.py").write_text(textwrap.dedent(source))
        info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[genbench]\n{dist} = {module}\n")
        installed.append(module)
        importlib.invalidate_caches()
        genbench.reset_registry()

    yield install
    for module in installed:
        sys.modules.pop(module, None)
    genbench.reset_registry()
