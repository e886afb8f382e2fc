"""``genbench sanity``: do the metrics do what they claim, on the real held-out images?"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("sanity")
@click.option(
    "--datasets",
    default="digits,shapes",
    show_default=True,
    help="Comma-separated labelled datasets; each in its default feature space.",
)
@click.option(
    "--n",
    type=click.IntRange(min=20),
    default=1000,
    show_default=True,
    help="Generated samples per set (at most the held-out split's size).",
)
@click.option(
    "--out",
    default="leaderboards/sanity",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of the table (sanity.csv) and its page (README.md).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of every draw.")
def sanity(datasets: str, n: int, out: str, seed: int) -> None:
    """Score controlled changes of real held-out images (identical sets, dropped classes,
    blur, noise, truncation, training copies, outliers, sample size) and judge every metric
    against what its paper claims; print and write the check × metric table.

    Exits with status 0 even when a metric fails a check: a failure is a finding about the
    metric, recorded in the table (docs/sanity.md describes each check)."""
    import torch

    from genbench.sanity import checks, data, table

    torch.set_num_threads(1)  # the checks' many small sets: more threads only contend
    settings = checks.Settings(n=n, seed=seed)
    results = []
    for name in (d.strip() for d in datasets.split(",") if d.strip()):
        click.echo(f"{name}: scoring the checks ...")
        results += checks.run_checks(data.load(name), settings)
    command = f"genbench sanity --datasets {datasets} --n {n} --seed {seed}"
    click.echo(table.markdown(results, command))
    for path in table.write(results, Path(out), command):
        click.echo(f"wrote {path}")


commands = [sanity]
