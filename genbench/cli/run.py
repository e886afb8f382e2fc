"""``genbench run``: benchmark installed models and write leaderboards."""

from __future__ import annotations

import sys

import click

from genbench.bench.config import PRECISIONS, RunConfig
from genbench.bench.watchdog import DEFAULT_TIMEOUT
from genbench.cli.weights_cmd import weights_option


@click.command("run")
@click.option(
    "--models",
    default="all",
    show_default=True,
    help="Models: 'all', comma-separated globs, or family:NAME.",
)
@click.option("--exclude", default="", help="Models to leave out (same patterns).")
@click.option(
    "--dataset",
    default=None,
    help="Compare with this dataset, or with the images of a folder, zip or npz (default:"
    " each model's own).",
)
@click.option("--features", default=None, help="Feature extractor (default: the dataset's).")
@click.option(
    "--resize", default=None, help="Resize mode of the feature extractor (default: its first)."
)
@click.option("--metrics", default=None, help="Comma-separated metrics (default: the task's).")
@click.option(
    "--n-samples", type=int, default=None, help="Samples per model (default: the dataset's)."
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Run seed; sample i gets its own seed from it (default 0).",
)
@click.option(
    "--seeds",
    default=None,
    metavar="S1,S2,...",
    help="Several run seeds: each an independent sample set of every model; the row holds"
    " their mean and the standard deviation over seeds (e.g. 0,1,2).",
)
@click.option(
    "--bootstrap",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="Bootstrap resamples of each row's 95% intervals and tied ranks (0: none).",
)
@click.option(
    "--batch-size",
    type=int,
    default=64,
    show_default=True,
    help="Sampling batch size (results do not depend on it).",
)
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda or cuda:i.")
@click.option(
    "--precision",
    type=click.Choice(PRECISIONS),
    default="fp32",
    show_default=True,
    help="Autocast precision for sampling.",
)
@click.option(
    "--prompts",
    type=click.Path(dir_okay=False),
    default=None,
    help="Prompt file for text-to-image models (one per line).",
)
@click.option(
    "--out",
    default="runs/latest",
    show_default=True,
    help="Run folder: results, leaderboards, grids.",
)
@click.option(
    "--resume", is_flag=True, help="Skip models that already have a successful row in --out."
)
@click.option(
    "--isolate", is_flag=True, help="Run each model in its own process (survives crashes)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    envvar="GENBENCH_TIMEOUT",
    metavar="SECONDS",
    help="Stop a model after this many seconds without a loaded model or sampled batch; its row"
    " says it timed out (0: never). Also GENBENCH_TIMEOUT.",
)
@click.option("--no-progress", is_flag=True, help="No progress bars.")
@weights_option
def run(no_progress: bool, **options: object) -> None:
    """Benchmark models: sample, extract features, score, write leaderboards.

    Exits with status 1 when any model failed (its row says why), 2 on bad options.
    `torchrun --nproc_per_node=N -m genbench run ...` shares the samples among N
    processes (gloo on CPU, NCCL on GPU) with the same results as one process.
    """
    from genbench.bench.runner import run as run_benchmark
    from genbench.files import check_writable

    seed, seeds = options.pop("seed"), options.pop("seeds")
    config = RunConfig(
        progress=not no_progress,
        seeds=_seeds(seed, seeds),
        **options,  # type: ignore[arg-type]
    )
    check_writable(config.out, "--out")
    summary = run_benchmark(config, echo=click.echo)
    if summary.rows or summary.resumed:
        click.echo(
            f"results: {summary.out / 'results'}  leaderboards: {summary.out / 'leaderboards'}\n"
            f"pages and plots: genbench leaderboard render {summary.out}"
        )
    if summary.failed:
        names = ", ".join(r["model"] for r in summary.failed)
        click.echo(f"{len(summary.failed)} model(s) failed: {names}", err=True)
        sys.exit(1)


def _seeds(seed: object, seeds: object) -> tuple[int, ...]:
    """The run's seeds from --seed or --seeds (not both)."""
    if seed is not None and seeds is not None:
        raise click.UsageError("pass --seed or --seeds, not both")
    if seeds is None:
        return (0 if seed is None else int(seed),)  # type: ignore[call-overload]
    try:
        parsed = tuple(int(part) for part in str(seeds).split(","))
    except ValueError:
        raise click.BadParameter(
            f"{seeds!r}: expected comma-separated integers, e.g. 0,1,2", param_hint="--seeds"
        ) from None
    if len(set(parsed)) != len(parsed):
        raise click.BadParameter(f"{seeds!r} repeats a seed", param_hint="--seeds")
    return parsed


commands = [run]
