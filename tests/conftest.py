"""Fake installed plugins with real entry points; a stand-in LPIPS trunk."""

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


@pytest.fixture
def lpips_weights(tmp_path: Path) -> Iterator[Path]:
    """A random AlexNet trunk in torchvision's format, given as ``--weights lpips-alexnet``
    (the real file is a download)."""
    import torch
    import torchvision

    from genbench import weights

    torch.manual_seed(0)
    path = tmp_path / "alexnet.pth"
    trunk = torchvision.models.alexnet(weights=None).features.state_dict()
    torch.save({f"features.{key}": value for key, value in trunk.items()}, path)
    weights.set_overrides({"lpips-alexnet": path})
    yield path
    weights.set_overrides({})
