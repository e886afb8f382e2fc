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

[tool.setuptools.package-data]
# A wheel leaves out every file not declared here: the weights must be.
genbench_{module} = ["weights/*.safetensors"]
"""

_PLUGIN = '''"""Registers the {name} models with genbench. Cheap: torch is imported inside load."""

from pathlib import Path

import genbench

WEIGHTS = genbench.Weights(
    name="{name}.tiny",
    sha256="{sha256}",
    path=str(Path(__file__).parent / "weights" / "{name}-tiny.safetensors"),
    license="MIT",
)


def load(device):
    from genbench.weights import load_state_dict, resolve

    from genbench_{module}.model import TinyGenerator

    generator = TinyGenerator()
    generator.load_state_dict(load_state_dict(resolve(WEIGHTS)))
    return generator.to(device).eval()


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
            weights=WEIGHTS,
            license="MIT",
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
        self.net = nn.Sequential(nn.Linear(latent_dim, resolution * resolution), nn.Tanh())

    @torch.inference_mode()
    def sample(self, request) -> torch.Tensor:
        device = next(self.parameters()).device
        z = PerSampleNoise(request.seeds).randn(self.latent_dim, device=device)
        # One sample at a time: a matrix product's rounding may change with the batch size.
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
`genbench_{module}/model.py` holds the network and `genbench_{module}/weights/` the shipped
weights. Sample i must depend only on `seeds[i]`: draw noise with
`genbench.seeding.PerSampleNoise`. `tests/` runs genbench's conformance kit.

## Model card: {name}.tiny

- Weights: `genbench_{module}/weights/{name}-tiny.safetensors` (sha256 pinned in `plugin.py`),
  an untrained `TinyGenerator` initialised with seed 0. Replace them with your trained
  weights and say here how they were trained (data, steps, seed, hardware, time).
- License: MIT.
"""


def _write_weights(model_file: Path, target: Path) -> str:
    """Weights for the scaffold's network (its initialisation from seed 0), written as the
    plugin ships them; returns their sha256."""
    import importlib.util

    import torch

    from genbench.train import save_checkpoint

    spec = importlib.util.spec_from_file_location("genbench_scaffold_model", model_file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        network = module.TinyGenerator()
    return save_checkpoint(target, network.state_dict(), {"architecture": "TinyGenerator"})


def scaffold(name: str, directory: Path) -> list[Path]:
    """Write the plugin files for ``name`` under ``directory``; returns what was written."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise GenbenchError(f"plugin name {name!r}: use lower-case letters, digits and '_'")
    if directory.exists() and any(directory.iterdir()):
        raise GenbenchError(f"{directory} is not empty; choose a new directory")
    module = name
    package = directory / f"genbench_{module}"
    written = []

    def write(path: Path, template: str, **fields: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(name=name, module=module, **fields))
        written.append(path)

    write(directory / "pyproject.toml", _PYPROJECT)
    write(directory / "README.md", _README)
    write(package / "__init__.py", '"""genbench plugin: {name}."""\n')
    write(package / "model.py", _MODEL)
    weights = package / "weights" / f"{name}-tiny.safetensors"
    sha256 = _write_weights(package / "model.py", weights)
    written.append(weights)
    write(package / "plugin.py", _PLUGIN, sha256=sha256)
    write(directory / "tests" / f"test_{module}.py", _TEST)
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
