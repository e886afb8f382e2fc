"""The GAN training loop of the lecture (Goodfellow et al. 2014, Algorithm 1)::

    for number of training iterations do
        for k steps do
            sample m noise samples and m real examples
            update the discriminator by gradient ascent
        sample m noise samples
        update the generator

One loop serves every GAN family: the recipe picks the objective (non-saturating,
minimax, wasserstein), k, the optimizers, the discriminator's regulariser and an EMA of
the generator; a progressive GAN's ``growth`` sets the resolution and fade-in α of each
iteration. Every random draw of iteration s is seeded by (seed, s), so a run is
deterministic on the CPU and a resumed run repeats an uninterrupted one exactly; the
resumable checkpoint holds both networks, the EMA and the optimizers.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from genbench import GenbenchError, SampleRequest, get_registry
from genbench.seeding import derive_seed, seed_everything
from genbench_gankit.recipe import GANNetworks, GANRecipe

GROWTH_COLUMNS = ("resolution", "alpha")


def _identity(run: dict[str, Any]) -> dict[str, Any]:
    """What must match for a run folder to be resumed: a longer run of the same recipe
    (other ``steps``) is a continuation, anything else is another run."""
    recipe = {k: v for k, v in run.get("recipe", {}).items() if k != "steps"}
    return {
        "model": run.get("model"),
        "dataset": run.get("dataset"),
        "seed": run.get("seed"),
        "recipe": recipe,
    }


def train_gan(
    model: str,
    build: Callable[[], GANNetworks],
    recipe: GANRecipe,
    *,
    dataset: str,
    steps: int | None = None,
    seed: int = 0,
    out: str | Path,
    device: str = "cpu",
    progress: bool = True,
) -> Path:
    """Train ``model`` for ``steps`` iterations into ``out``; returns the generator file.

    ``functools.partial(train_gan, model, build, recipe)`` is a model's ``ModelSpec.train``.
    ``steps`` defaults to ``recipe.steps``.
    ``out`` receives ``last.safetensors`` (resumable state; a run finding one there
    continues from it), ``log.jsonl``/``log.csv``, sample grids under ``samples/`` (and,
    for a growing GAN, one per resolution stage), and ``generator.safetensors``: the
    generator alone (the EMA if any), from the iteration with the best validation FID when
    ``recipe.eval_every`` is set (once a growing GAN has reached its full resolution),
    else from the last.
    """
    import torch
    from tqdm import tqdm

    from genbench.train import (
        LOG_COLUMNS,
        FrechetValidator,
        LossLog,
        RealBatches,
        load_checkpoint,
        save_checkpoint,
        save_grid,
    )
    from genbench_gankit.sampling import export_generator
    from genbench_gankit.trainer import GANTrainer

    steps = recipe.steps if steps is None else steps
    seed_everything(seed)
    networks = build()
    growth = networks.growth
    trainer = GANTrainer(networks, recipe, device)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    last, best_file = folder / "last.safetensors", folder / "best.safetensors"
    # as the checkpoint's JSON will hold it (tuples become lists), to compare on resume
    run = json.loads(
        json.dumps({"model": model, "dataset": dataset, "seed": seed, "recipe": recipe.as_dict()})
    )
    start, best = 0, None
    if last.is_file():
        tensors, config = load_checkpoint(last, device=device)
        if _identity(config) != _identity(run):
            raise GenbenchError(
                f"{last} holds another run ({config.get('model')}, seed {config.get('seed')},"
                " or another recipe); choose a new --out folder or delete it"
            )
        trainer.load_state(tensors, config)
        start, best = config["step"], config.get("best_fid")

    def export(path: Path, step: int, val_fid: float | None) -> None:
        config = {
            **run,
            "architecture": networks.architecture,
            "latent_dim": networks.latent_dim,
            "num_classes": networks.num_classes,
            "step": step,
            "ema": trainer.ema is not None,
            "val_fid": val_fid,
        }
        export_generator(path, trainer.sampling_network(), config)

    data = RealBatches(
        dataset,
        get_registry().datasets.get(dataset).reference_split,
        recipe.batch_size,
        seed,
        device,
    )
    validator = (
        FrechetValidator(dataset, recipe.eval_samples, device) if recipe.eval_every else None
    )
    columns = LOG_COLUMNS + (GROWTH_COLUMNS if growth is not None else ())
    log = LossLog(folder, resume_from=start, columns=columns)
    (folder / "samples").mkdir(exist_ok=True)
    grid_seeds = list(range(100))
    grid_labels = [i % networks.num_classes for i in grid_seeds] if networks.num_classes else None

    def evaluate() -> float:
        assert validator is not None
        with trainer.sampler() as sampler:
            return validator(sampler)

    def save_samples(path: Path) -> None:
        with trainer.sampler() as sampler:
            grid = sampler.sample(SampleRequest(seeds=grid_seeds, labels=grid_labels))
        save_grid(grid, path)

    if validator is not None and start == 0:
        log.write({"step": 0, "val_fid": evaluate()})  # the untrained initialisation
    bar = tqdm(
        range(start, steps),
        initial=start,
        total=steps,
        disable=not progress,
        desc=model,
        mininterval=2.0,
    )
    for step in bar:
        iteration = step + 1
        torch.manual_seed(derive_seed(seed, iteration))  # dropout and other in-network draws
        rng = torch.Generator().manual_seed(derive_seed(seed, iteration, 1))
        row: dict[str, Any] = {"step": iteration}
        selectable = True  # may this iteration's generator be shipped as the best?
        if growth is not None:
            stage = growth.stage(iteration)
            growth.enter(stage)
            row.update(resolution=stage.resolution, alpha=round(stage.alpha, 4))
            selectable = growth.complete(stage)
        k = recipe.discriminator_steps
        for j in range(k):
            real, labels = data.batch(step * k + j)
            if growth is not None:
                real = growth.reals(real, stage)
            row.update(trainer.discriminator_step(real, labels, rng))
        row["g_loss"] = trainer.generator_step(recipe.batch_size, rng)
        evaluated = validator is not None and iteration % recipe.eval_every == 0
        if evaluated:
            row["val_fid"] = evaluate()
            if selectable and (best is None or row["val_fid"] < best):
                best = row["val_fid"]
                export(best_file, iteration, best)
        if evaluated or iteration % recipe.log_every == 0:
            log.write(row)
            bar.set_postfix({k: f"{v:.3g}" for k, v in row.items() if k != "step"})
        if recipe.sample_every and iteration % recipe.sample_every == 0:
            save_samples(folder / "samples" / f"step_{iteration:06d}.png")
        if growth is not None and (
            iteration == steps or growth.stage(iteration + 1).resolution != stage.resolution
        ):
            save_samples(folder / "samples" / f"stage_{stage.resolution:03d}px.png")
        if iteration % recipe.checkpoint_every == 0 or iteration == steps:
            tensors, extra = trainer.state()
            save_checkpoint(last, tensors, {**run, **extra, "step": iteration, "best_fid": best})
    final = folder / "generator.safetensors"
    if best is not None and best_file.is_file():
        shutil.copyfile(best_file, final)
    else:
        export(final, max(start, steps), None)
    return final
