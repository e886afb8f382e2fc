"""``genbench train MODEL``: train a registered model with its plugin's recipe."""

from __future__ import annotations

from pathlib import Path

import click

from genbench.errors import GenbenchError
from genbench.plugins import get_registry
from genbench.spec import dataset_mismatch


@click.command("train")
@click.argument("model")
@click.option("--dataset", help="Dataset to train on (default: the model's own).")
@click.option("--steps", type=int, help="Training iterations (default: the recipe's).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the whole run.")
@click.option("--out", type=click.Path(path_type=Path), help="Run folder (default: runs/MODEL).")
@click.option("--device", default="cpu", show_default=True, help="torch device, e.g. cuda.")
@click.option("--threads", type=int, help="torch CPU threads (1 is fastest on busy machines).")
def train(
    model: str,
    dataset: str | None,
    steps: int | None,
    seed: int,
    out: Path | None,
    device: str,
    threads: int | None,
) -> None:
    """Train MODEL; a run folder holding a checkpoint of the same run is resumed.

    Writes loss logs, sample grids and checkpoints to the run folder and prints the path of
    the trained weights.
    """
    spec = get_registry().models.get(model)
    if spec.train is None:
        raise GenbenchError(
            f"model {model!r} (plugin {spec.plugin}) has no training recipe; `genbench models"
            " --json` shows which models set `train`"
        )
    data = get_registry().datasets.get(dataset or spec.dataset)
    mismatch = dataset_mismatch(spec, data)
    if mismatch:
        raise GenbenchError(
            f"model {model!r} (plugin {spec.plugin}) {mismatch}; train it on its own dataset"
            f" ({spec.dataset!r}) or on one of the same shape"
        )
    if threads:
        import torch

        torch.set_num_threads(threads)
    path = spec.train(
        dataset=data.name,
        steps=steps,
        seed=seed,
        out=out or Path("runs") / model,
        device=device,
    )
    click.echo(str(path))


commands = [train]
