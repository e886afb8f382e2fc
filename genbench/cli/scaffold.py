"""``genbench new-plugin NAME [DIR]``: a complete plugin distribution that passes its tests."""

from __future__ import annotations

import re
from pathlib import Path

import click

from genbench.errors import GenbenchError

_PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "genbench-{name}"
version = "0.1.0"
description = "genbench plugin: the {name} model family"
requires-python = ">=3.10"
dependencies = ["genbench>=0.1", "torch>=2.2"]

[project.entry-points.genbench]
{name} = "genbench_{module}.plugin"

[tool.setuptools.packages.find]
include = ["genbench_{module}*"]
"""

_PLUGIN = '''"""Registers the {name} models with genbench."""

import genbench


def load(device):
    from genbench_{module}.model import TinyGenerator

    return TinyGenerator().to(device)


@genbench.hookimpl
def genbench_register_models(register):
    register(
        genbench.ModelSpec(
            name="{name}.tiny",
            family="{name}",
            task="unconditional",
            dataset="digits",
            resolution=16,
            channels=1,
            load=load,
            description="A tiny untrained generator: replace it with your model.",
        )
    )
'''

_MODEL = '''"""The network. Replace it with your model; keep the sample() contract."""

import torch
from torch import nn

from genbench.seeding import PerSampleNoise


class TinyGenerator(nn.Module):
    def __init__(self, latent_dim: int = 16, resolution: int = 16) -> None:
        super().__init__()
        self.latent_dim, self.resolution = latent_dim, resolution
        torch.manual_seed(0)  # fixed weights stand in for a trained checkpoint
        self.net = nn.Sequential(nn.Linear(latent_dim, resolution * resolution), nn.Tanh())

    @torch.inference_mode()
    def sample(self, request) -> torch.Tensor:
        device = next(self.parameters()).device
        z = PerSampleNoise(request.seeds).randn(self.latent_dim, device=device)
        # One sample at a time, so a sample never depends on its batch neighbours.
        x = torch.cat([self.net(row[None]) for row in z])
        x = x.view(-1, 1, self.resolution, self.resolution)
        return ((x + 1) * 127.5).round().clamp(0, 255).to(torch.uint8)
'''

_TEST = """from genbench.testing import assert_model_conforms


def test_tiny_model_conforms():
    assert_model_conforms("{name}.tiny")
"""

_README = """# genbench-{name}

A [genbench](https://pypi.org/project/genbench/) plugin registering the `{name}` model family.

    pip install -e .
    genbench models "{name}.*"
    pytest

`genbench_{module}/plugin.py` registers the models (cheap: no torch at registration),
`genbench_{module}/model.py` holds the network. Sample i must depend only on `seeds[i]`:
draw noise with `genbench.seeding.PerSampleNoise`. `tests/` runs genbench's conformance kit.
"""


def scaffold(name: str, directory: Path) -> list[Path]:
    """Write the plugin files for ``name`` under ``directory``; returns what was written."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise GenbenchError(f"plugin name {name!r}: use lower-case letters, digits and '_'")
    if directory.exists() and any(directory.iterdir()):
        raise GenbenchError(f"{directory} is not empty; choose a new directory")
    module = name
    files = {
        "pyproject.toml": _PYPROJECT,
        "README.md": _README,
        f"genbench_{module}/__init__.py": '"""genbench plugin: {name}."""\n',
        f"genbench_{module}/plugin.py": _PLUGIN,
        f"genbench_{module}/model.py": _MODEL,
        f"tests/test_{module}.py": _TEST,
    }
    written = []
    for relative, template in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(name=name, module=module) if "{" in template else template)
        written.append(path)
    return written


@click.command("new-plugin")
@click.argument("name")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def new_plugin(name: str, directory: Path | None) -> None:
    """Scaffold a plugin distribution NAME in DIRECTORY (default: ./genbench-NAME)."""
    target = directory or Path(f"genbench-{name}")
    for path in scaffold(name, target):
        click.echo(f"wrote {path}")
    click.echo(f"next: pip install -e {target} && pytest {target}")


commands = [new_plugin]
