"""``genbench features list|train``: the feature spaces metrics are computed in."""

from __future__ import annotations

import json
from pathlib import Path

import click

from genbench.cli.registry_commands import echo_table, spec_as_dict
from genbench.home import subdir
from genbench.plugins import get_registry


@click.group("features")
def features() -> None:
    """Feature extractors: list them, train the embedded ones."""


@features.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def list_features(as_json: bool) -> None:
    """Registered feature extractors, their outputs, resize modes and weights."""
    rows = [spec_as_dict(s) for s in get_registry().feature_extractors]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        row["outputs"] = ",".join(f"{k}:{v}" for k, v in row["outputs"].items())
        row["resize_modes"] = ",".join(row["resize_modes"])
        row["weights"] = (row["weights"] or {}).get("name", "")
    echo_table(rows, ["name", "outputs", "resize_modes", "weights", "plugin"])


@features.command("train")
@click.argument("name")
@click.option("--seed", default=0, show_default=True, help="Seed of init, order and augmentation.")
@click.option("--epochs", type=int, default=None, help="Override the recipe's epoch count.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for NAME.safetensors and its card (default: GENBENCH_HOME/trained/NAME).",
)
def train(name: str, seed: int, epochs: int | None, out: Path | None) -> None:
    """Train an embedded feature net (digits-cnn, shapes-cnn) deterministically on CPU."""
    from genbench.features.training import train_embedded

    result = train_embedded(name, seed=seed, out=out or subdir("trained") / name, epochs=epochs)
    card = result.card
    click.echo(
        f"{name}: test accuracy {card['test_accuracy']:.4f} on {card['dataset']}"
        f" {card['test_split']} ({card['n_test']} images), {card['train_seconds']} s"
    )
    click.echo(f"weights {result.path} sha256 {card['sha256']}")
    click.echo(f"card    {result.card_path}")


commands = [features]
