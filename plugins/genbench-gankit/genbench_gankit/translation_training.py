"""The training run of an image-to-image GAN: batches, steps, validation, checkpoints.

A family plugin supplies a :class:`TranslationTrainer` (its networks, optimizers and one
training step) and a recipe; this loop does the rest the same way for pix2pix, CycleGAN and
GauGAN. Every random draw of iteration s is seeded by (seed, s): a run is deterministic on
the CPU and a resumed run repeats an uninterrupted one. Every ``eval_every`` iterations the
shipped network translates the validation inputs (the training split's last rows, never
trained on) and is scored by FID against the target field in the dataset's feature space
(plus L1 to the ground truth when the data is paired); the best-scoring network ships.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

import genbench
from genbench.seeding import derive_seed, sample_seeds, seed_everything
from genbench.train import (
    FrechetValidator,
    LossLog,
    load_checkpoint,
    optimizer_tensors,
    prefixed,
    restore_optimizer,
    save_checkpoint,
    save_grid,
    to_unit_range,
    unprefixed,
)
from genbench_gankit.translation import (
    FieldBatches,
    Fields,
    TranslationRecipe,
    TranslationSampler,
    training_rows,
)

VALIDATION_SEED = 20170321  # fixed: every evaluation of a run draws the same noise
GRID_ROWS = 8


class TranslationTrainer:
    """A family's networks (by name), their optimizers and one training step.

    ``shipped`` names the network that is sampled and exported; ``architecture`` holds its
    constructor arguments, recorded in every file so that it can be rebuilt.
    """

    losses: tuple[str, ...] = ()

    def __init__(
        self,
        networks: dict[str, nn.Module],
        optimizers: dict[str, torch.optim.Optimizer],
        *,
        shipped: str,
        architecture: dict[str, Any],
        fields: Fields,
    ) -> None:
        self.networks, self.optimizers = networks, optimizers
        self.shipped, self.architecture, self.fields = shipped, architecture, fields

    def step(self, inputs: torch.Tensor, targets: torch.Tensor, rng: torch.Generator) -> dict:
        """One update of every network on a batch of encoded inputs and targets in [-1, 1]."""
        raise NotImplementedError

    def sampler(self) -> TranslationSampler:
        return TranslationSampler(self.networks[self.shipped], self.fields)

    def extra_tensors(self) -> dict[str, torch.Tensor]:
        """Resumable state besides networks and optimizers (CycleGAN's image pools)."""
        return {}

    def load_extra(self, tensors: dict[str, torch.Tensor]) -> None:
        """Restore what :meth:`extra_tensors` saved."""

    def state(self) -> tuple[dict[str, Any], dict[str, Any]]:
        tensors: dict[str, Any] = dict(self.extra_tensors())
        for name, network in self.networks.items():
            tensors.update(prefixed(name, network.state_dict()))
        groups = {}
        for name, optimizer in self.optimizers.items():
            optimizer_state, groups[name] = optimizer_tensors(f"optimizer_{name}", optimizer)
            tensors.update(optimizer_state)
        return tensors, {"optimizer_groups": groups}

    def load_state(self, tensors: dict[str, Any], config: dict[str, Any]) -> None:
        for name, network in self.networks.items():
            network.load_state_dict(unprefixed(name, tensors))
        for name, optimizer in self.optimizers.items():
            groups = config["optimizer_groups"][name]
            restore_optimizer(optimizer, f"optimizer_{name}", tensors, groups)
        self.load_extra(tensors)


class TranslationValidator:
    """FID (and, for paired data, L1 in grey levels and SSIM as the benchmark computes it)
    of the shipped network's translations of the held-back training rows."""

    def __init__(self, dataset: str, fields: Fields, device: str) -> None:
        spec = genbench.get_registry().datasets.get(dataset)
        data = spec.load(spec.reference_split)
        rows = training_rows(len(data))[1]
        self.fields = fields
        self.frechet = FrechetValidator(dataset, 0, device, field=fields.targets)
        self.inputs = torch.from_numpy(data.read(fields.inputs, rows))
        self.targets = torch.from_numpy(data.read(fields.targets, rows))
        self.seeds = sample_seeds(VALIDATION_SEED, range(len(rows)))

    def translate(self, sampler: TranslationSampler, n: int | None = None) -> torch.Tensor:
        request = genbench.SampleRequest(seeds=self.seeds[:n], inputs=self.inputs[:n])
        return sampler.sample(request)

    def __call__(self, sampler: TranslationSampler) -> dict[str, float]:
        outputs = self.translate(sampler)
        scores = {"val_fid": self.frechet.score(outputs)}
        if self.fields.paired:
            from skimage.metrics import structural_similarity

            difference = outputs.float() - self.targets.float()
            scores["val_l1"] = float(difference.abs().mean())
            pairs = zip(outputs.numpy(), self.targets.numpy(), strict=True)
            scores["val_ssim"] = float(
                np.mean(
                    [structural_similarity(t, o, data_range=255, channel_axis=0) for o, t in pairs]
                )
            )
        return scores

    def grid(self, sampler: TranslationSampler) -> torch.Tensor:
        """Rows of input | output | target for the first validation inputs."""
        outputs = self.translate(sampler, GRID_ROWS)
        inputs = self.inputs[:GRID_ROWS]
        if self.fields.input_classes:  # a semantic map: spread its classes over 0..255
            inputs = (inputs.float() * (255 / (self.fields.input_classes - 1))).to(torch.uint8)
        inputs = inputs.expand(-1, 3, -1, -1) if inputs.shape[1] == 1 else inputs
        return torch.stack([inputs, outputs, self.targets[:GRID_ROWS]], 1).flatten(0, 1)


def _identity(run: dict[str, Any]) -> dict[str, Any]:
    """What must match for a run folder to be resumed (a longer run continues one)."""
    recipe = {k: v for k, v in run.get("recipe", {}).items() if k != "steps"}
    return {key: run.get(key) for key in ("model", "dataset", "seed")} | {"recipe": recipe}


def train_translation(
    model: str,
    make_trainer: Callable[[str], TranslationTrainer],
    recipe: TranslationRecipe,
    fields: Fields,
    *,
    dataset: str,
    steps: int | None = None,
    seed: int = 0,
    out: str | Path,
    device: str = "cpu",
    progress: bool = True,
) -> Path:
    """Train ``model`` into ``out``; returns the shipped network's file.

    ``partial(train_translation, model, make_trainer, recipe, fields)`` is a model's
    ``ModelSpec.train``; ``make_trainer(device)`` builds freshly initialised networks.
    ``out`` receives ``last.safetensors`` (resumable; a run finding one continues from
    it), ``log.jsonl``/``log.csv``, grids under ``samples/`` and ``generator.safetensors``:
    the shipped network from the iteration with the best validation FID.
    """
    from tqdm import tqdm

    steps = recipe.steps if steps is None else steps
    seed_everything(seed)
    trainer = make_trainer(device)
    folder = Path(out)
    (folder / "samples").mkdir(parents=True, exist_ok=True)
    last, best_file = folder / "last.safetensors", folder / "best.safetensors"
    run = json.loads(
        json.dumps({"model": model, "dataset": dataset, "seed": seed, "recipe": recipe.as_dict()})
    )
    start, best = 0, None
    if last.is_file():
        tensors, config = load_checkpoint(last, device=device)
        if _identity(config) != _identity(run):
            raise genbench.GenbenchError(
                f"{last} holds another run ({config.get('model')}, seed {config.get('seed')},"
                " or another recipe); choose a new --out folder or delete it"
            )
        trainer.load_state(tensors, config)
        start, best = config["step"], config.get("best_fid")

    def export(path: Path, step: int, scores: dict[str, float]) -> None:
        config = {**run, "architecture": trainer.architecture, "step": step, **scores}
        save_checkpoint(path, trainer.networks[trainer.shipped].state_dict(), config)

    split = genbench.get_registry().datasets.get(dataset).reference_split
    size = len(genbench.get_registry().datasets.get(dataset).load(split))
    data = FieldBatches(
        dataset, split, fields, training_rows(size)[0], recipe.batch_size, seed, device
    )
    validator = TranslationValidator(dataset, fields, device)
    columns = ("step", *trainer.losses, "val_fid", "val_l1", "val_ssim")
    log = LossLog(folder, resume_from=start, columns=columns)
    if start == 0:
        log.write({"step": 0, **validator(trainer.sampler())})  # the initialisation
    bar = tqdm(range(start, steps), initial=start, total=steps, disable=not progress, desc=model)
    for step in bar:
        iteration = step + 1
        torch.manual_seed(derive_seed(seed, iteration))  # dropout and other in-network draws
        rng = torch.Generator().manual_seed(derive_seed(seed, iteration, 1))
        inputs, targets = data.batch(step)
        row: dict[str, Any] = {"step": iteration}
        row.update(trainer.step(fields.encode(inputs), to_unit_range(targets), rng))
        evaluated = recipe.eval_every and iteration % recipe.eval_every == 0
        if evaluated:
            row.update(validator(trainer.sampler()))
            if best is None or row["val_fid"] < best:
                best = row["val_fid"]
                export(best_file, iteration, {k: v for k, v in row.items() if k[:4] == "val_"})
        if evaluated or iteration % recipe.log_every == 0:
            log.write(row)
            bar.set_postfix({k: f"{v:.3g}" for k, v in row.items() if k != "step"})
        if recipe.sample_every and iteration % recipe.sample_every == 0:
            grid = validator.grid(trainer.sampler())
            save_grid(grid, folder / "samples" / f"step_{iteration:06d}.png", columns=6)
        if iteration % recipe.checkpoint_every == 0 or iteration == steps:
            tensors, extra = trainer.state()
            save_checkpoint(last, tensors, {**run, **extra, "step": iteration, "best_fid": best})
    final = folder / "generator.safetensors"
    if best_file.is_file():
        shutil.copyfile(best_file, final)
    else:
        export(final, max(start, steps), {})
    return final
