"""Algorithm 1 learns: a few steps lower L_simple; a short run writes a loadable checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from genbench import GenbenchError
from genbench.train import load_checkpoint

from genbench_ddpm.diffusion import Schedule
from genbench_ddpm.train import debiased_average, drop_labels, load_model, loss_simple, train
from genbench_ddpm.unet import UNet

from .conftest import TINY


def test_a_few_steps_lower_the_loss_on_a_fixed_batch() -> None:
    torch.manual_seed(0)
    network = UNet(TINY)
    schedule = Schedule.named("linear")
    x0 = torch.rand(16, 1, 16, 16) * 2 - 1
    y = torch.arange(16) % 11

    def fixed_loss() -> float:  # the same t and ε every time
        with torch.no_grad():
            return loss_simple(network, schedule, x0, y, torch.Generator().manual_seed(7)).item()

    before = fixed_loss()
    optimizer = torch.optim.Adam(network.parameters(), lr=2e-3)
    for _ in range(25):
        loss = loss_simple(network, schedule, x0, y, torch.Generator().manual_seed(7))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert fixed_loss() < 0.8 * before


def test_label_dropout_uses_the_null_label_at_the_given_rate() -> None:
    labels = torch.arange(10000) % 10
    dropped = drop_labels(labels, 10, 0.2, torch.Generator().manual_seed(0))
    null = dropped == 10
    assert abs(null.float().mean().item() - 0.2) < 0.02
    assert torch.equal(dropped[~null], labels[~null])


def test_train_writes_a_checkpoint_that_loads(tmp_path: Path) -> None:
    path = train(
        dataset="digits",
        steps=3,
        seed=0,
        out=tmp_path,
        batch_size=8,
        unet=TINY.to_dict(),
        log_every=1,
        checkpoint_every=2,
    )
    network, schedule, config = load_model(path)
    assert config["steps"] == 3 and config["dataset"] == "digits" and config["seed"] == 0
    assert network.config.num_classes == 10 and schedule.steps == 1000
    assert not network.training


def test_debiased_average_removes_the_initial_weights() -> None:
    """An EMA of weights that stay at c after a random start is c once debiased."""
    initial = {"w": torch.randn(5)}
    constant = torch.linspace(-1, 1, 5)
    average, decay = initial["w"].clone(), 0.99
    for _ in range(50):
        average.lerp_(constant, 1 - decay)
    assert not torch.allclose(average, constant, atol=1e-2)
    debiased = debiased_average({"w": average}, initial, decay, 50)["w"]
    assert torch.allclose(debiased, constant, atol=1e-5)


def test_a_resumed_run_equals_an_uninterrupted_one(tmp_path: Path) -> None:
    recipe = {"batch_size": 8, "unet": TINY.to_dict(), "log_every": 1, "checkpoint_every": 2}
    whole = train(dataset="digits", steps=5, seed=0, out=tmp_path / "whole", **recipe)
    train(dataset="digits", steps=3, seed=0, out=tmp_path / "parts", **recipe)
    parts = train(dataset="digits", steps=5, seed=0, out=tmp_path / "parts", **recipe)
    (expected, _), (resumed, config) = load_checkpoint(whole), load_checkpoint(parts)
    assert config["steps"] == 5 and all(torch.equal(expected[k], resumed[k]) for k in expected)
    with pytest.raises(GenbenchError, match="holds another DDPM run"):
        train(dataset="digits", steps=5, seed=1, out=tmp_path / "parts", **recipe)
