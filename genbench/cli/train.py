"""``genbench train MODEL``: train a registered model with its plugin's recipe."""

from __future__ import annotations

from pathlib import Path

import click

from genbench.bench.preview import preview_png
from genbench.errors import GenbenchError
from genbench.plugins import get_registry
from genbench.spec import dataset_mismatch
from genbench.weights import set_overrides


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

    Writes checkpoints and the family's logs and grids to the run folder, then
    samples/final.png: samples of the trained weights drawn by the model's own loader. Ends
    by printing the trained weights' path and the `genbench run` command that benchmarks
    them.
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
    folder = out or Path("runs") / model
    path = spec.train(dataset=data.name, steps=steps, seed=seed, out=folder, device=device)
    command = f"genbench run --models {model} --weights {model}={path}"
    if data.name != spec.dataset:
        command += f" --dataset {data.name}"
    if spec.weights is not None:
        # the trained file goes through the loader exactly as `run --weights` will read it
        set_overrides({spec.weights.name: path})
        png = preview_png(spec, data, device)
        if png is not None:
            grid = folder / "samples" / "final.png"
            grid.parent.mkdir(parents=True, exist_ok=True)
            grid.write_bytes(png)
            click.echo(f"samples: {grid}")
    click.echo(f"weights: {path}")
    click.echo(f"benchmark them: {command}")


commands = [train]
