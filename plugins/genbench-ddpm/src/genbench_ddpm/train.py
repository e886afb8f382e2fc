"""Training ε_θ with L_simple (Ho et al. 2020, Algorithm 1), EMA weights, label dropout.

Each step draws x_0 from the data, t ~ Uniform{0..T-1} and ε ~ N(0, I), and takes a
gradient step on ||ε - ε_θ(√ᾱ_t x_0 + √(1-ᾱ_t) ε, t, y)||². For classifier-free guidance
(Ho & Salimans 2022) the label y is replaced by the null label with probability
``label_dropout``, so the same network learns the unconditional score too. The shipped
weights are the exponential moving average of the trained ones, as in the paper.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
from genbench import GenbenchError, get_registry
from genbench.seeding import derive_seed, seed_everything
from genbench.train import load_checkpoint, save_checkpoint
from torch.nn import functional as F

from genbench_ddpm.diffusion import Schedule, q_sample
from genbench_ddpm.unet import UNet, UNetConfig

RECIPE: dict[str, Any] = {
    "steps": 6000,
    "batch_size": 128,
    "lr": 1e-3,
    "warmup": 200,
    "grad_clip": 1.0,
    "ema_decay": 0.999,
    "label_dropout": 0.2,
    "schedule": "linear",
    "timesteps": 1000,
    "unet": UNetConfig().to_dict(),
    "log_every": 100,
    "checkpoint_every": 1000,
}


def loss_simple(
    network: UNet,
    schedule: Schedule,
    x0: torch.Tensor,
    y: torch.Tensor | None,
    generator: torch.Generator,
) -> torch.Tensor:
    """L_simple on one batch: the mean squared error of the predicted noise."""
    t = torch.randint(schedule.steps, (len(x0),), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator).to(x0.device)
    return F.mse_loss(network(q_sample(schedule, x0, t, noise), t, y), noise)


def drop_labels(
    labels: torch.Tensor, null: int, p: float, generator: torch.Generator
) -> torch.Tensor:
    """Labels with each replaced by the null label with probability ``p``."""
    drop = torch.rand(len(labels), generator=generator).to(labels.device) < p
    return torch.where(drop, torch.full_like(labels, null), labels)


def debiased_average(
    average: dict[str, torch.Tensor], initial: dict[str, torch.Tensor], decay: float, steps: int
) -> dict[str, torch.Tensor]:
    """The EMA without the weight it still gives the random initialisation.

    After n updates the average is (1-d) Σ_k d^(n-k) θ_k + d^n θ_0; with d = 0.999 and a
    few thousand steps, d^n (5 % at n = 3000) of random weights is left in it and shows
    as speckle in the samples. Removing it and renormalising, as Adam's bias correction
    does, leaves an average of trained weights only.
    """
    left = decay**steps
    return {name: (value - left * initial[name]) / (1 - left) for name, value in average.items()}


def build(config: dict[str, Any]) -> tuple[UNet, Schedule]:
    """The network and schedule that a checkpoint's config describes."""
    network = UNet(UNetConfig.from_dict(config["unet"]))
    return network, Schedule.named(config["schedule"], config["timesteps"])


def load_model(
    path: str | Path, sha256: str | None = None, device: str = "cpu"
) -> tuple[UNet, Schedule, dict[str, Any]]:
    """A trained network (EMA weights, eval mode) and its schedule from a checkpoint."""
    tensors, config = load_checkpoint(path, sha256=sha256, device=device)
    network, schedule = build(config)
    network.load_state_dict(tensors)
    return for_sampling(network, device), schedule, config


def for_sampling(network: UNet, device: str) -> UNet:
    """``network`` on ``device`` in eval mode, without gradients, NHWC on a CPU."""
    network = network.to(device).eval().requires_grad_(False)
    if torch.device(device).type == "cpu":
        network = network.to(memory_format=torch.channels_last)
    return network


def _identity(config: dict[str, Any]) -> dict[str, Any]:
    """What must match for a run folder to be resumed: the same run, perhaps longer."""
    return {k: config.get(k) for k in (*RECIPE, "dataset", "seed") if k != "steps"}


def train(
    dataset: str = "digits",
    steps: int | None = None,
    seed: int = 0,
    out: str | Path = "runs/ddpm",
    device: str = "cpu",
    **overrides: Any,
) -> Path:
    """Train on ``dataset``'s train split for ``steps`` steps (default: the recipe's);
    returns the checkpoint path.

    ``overrides`` replace entries of :data:`RECIPE` (e.g. ``lr=2e-4``). The checkpoint
    (``out/ddpm-<dataset>.safetensors``) holds the EMA weights and the whole recipe;
    ``out/last.safetensors`` holds the whole training state, and a run that finds it
    continues from it, drawing exactly what an uninterrupted run would.
    """
    from genbench.train import (
        EMA,
        RealBatches,
        optimizer_tensors,
        prefixed,
        restore_optimizer,
        unprefixed,
    )

    unknown = set(overrides) - set(RECIPE)
    if unknown:
        raise ValueError(f"unknown recipe keys {sorted(unknown)}; known: {sorted(RECIPE)}")
    recipe = {**RECIPE, **overrides}
    steps = recipe["steps"] = steps or recipe["steps"]
    spec = get_registry().datasets.get(dataset)
    unet = UNetConfig.from_dict(recipe["unet"])
    unet = replace(
        unet,
        image_channels=spec.channels,
        resolution=spec.resolution,
        num_classes=spec.num_classes if recipe["label_dropout"] < 1 else None,
    )
    recipe["unet"] = unet.to_dict()
    seed_everything(seed)
    network = UNet(unet).to(device)
    cpu = torch.device(device).type == "cpu"
    if cpu:  # oneDNN convolutions are faster on NHWC tensors
        network = network.to(memory_format=torch.channels_last)
    schedule = Schedule.named(recipe["schedule"], recipe["timesteps"])
    ema = EMA(network, recipe["ema_decay"])
    initial = {name: value.clone() for name, value in ema.average.state_dict().items()}
    optimizer = torch.optim.Adam(network.parameters(), lr=recipe["lr"])
    data = RealBatches(dataset, spec.reference_split, recipe["batch_size"], seed, device)
    generator = torch.Generator().manual_seed(derive_seed(seed, 0xDD9))
    folder = Path(out)
    path, last = folder / f"ddpm-{dataset}.safetensors", folder / "last.safetensors"
    run = json.loads(json.dumps({**recipe, "dataset": dataset, "seed": seed}))
    first, spent, running = 1, 0.0, math.nan
    if last.is_file():
        tensors, config = load_checkpoint(last, device=device)
        if _identity(config) != _identity(run):
            raise GenbenchError(
                f"{last} holds another DDPM run (dataset, seed or recipe differ); choose a new"
                " --out folder or delete it"
            )
        network.load_state_dict(unprefixed("network", tensors))
        ema.average.load_state_dict(unprefixed("ema", tensors))
        restore_optimizer(optimizer, "optimizer", tensors, config["optimizer_groups"])
        generator.set_state(tensors["rng"])
        first, spent, running = config["step"] + 1, config["wall_seconds"], config["loss"]
    start = time.time() - spent

    def save(step: int) -> None:
        config = {
            **run,
            "steps": step,
            "wall_seconds": round(time.time() - start, 1),
            "loss": running,
            "torch": torch.__version__,
        }
        weights = debiased_average(ema.average.state_dict(), initial, recipe["ema_decay"], step)
        save_checkpoint(path, weights, config)
        optimizer_state, groups = optimizer_tensors("optimizer", optimizer)
        state = {
            **prefixed("network", network.state_dict()),
            **prefixed("ema", ema.average.state_dict()),
            **optimizer_state,
            "rng": generator.get_state(),
        }
        save_checkpoint(last, state, {**config, "step": step, "optimizer_groups": groups})

    for step in range(first, steps + 1):
        for group in optimizer.param_groups:  # linear warm-up
            group["lr"] = recipe["lr"] * min(1.0, step / recipe["warmup"])
        x0, labels = data.batch(step - 1)
        if cpu:
            x0 = x0.contiguous(memory_format=torch.channels_last)
        y = None
        if unet.num_classes is not None and labels is not None:
            y = drop_labels(labels, unet.num_classes, recipe["label_dropout"], generator)
        loss = loss_simple(network, schedule, x0, y, generator)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(network.parameters(), recipe["grad_clip"])
        optimizer.step()
        ema.update(network)
        running = loss.item() if math.isnan(running) else 0.99 * running + 0.01 * loss.item()
        if step % recipe["log_every"] == 0 or step == steps:
            print(
                json.dumps(
                    {
                        "step": step,
                        "loss": round(running, 5),
                        "seconds": round(time.time() - start, 1),
                    }
                ),
                flush=True,
            )
        if step % recipe["checkpoint_every"] == 0 or step == steps:
            save(step)
    return path
