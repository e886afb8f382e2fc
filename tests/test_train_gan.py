"""The shared GAN loop: objectives against closed forms, determinism, resume, keep-best."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
import torch
from torch import nn

from genbench.errors import GenbenchError
from genbench.train.checkpoint import load_checkpoint
from genbench.train.data import RealBatches, to_uint8, to_unit_range
from genbench.train.gan import GANNetworks, GANRecipe, GANTrainer, train_gan
from genbench.train.losses import (
    clip_weights,
    discriminator_loss,
    generator_loss,
    gradient_penalty,
)
from genbench.train.state import optimizer_tensors, restore_optimizer

torch.set_num_threads(1)


class TinyGenerator(nn.Module):
    def __init__(self, latent_dim: int = 4, num_classes: int | None = None) -> None:
        super().__init__()
        self.num_classes = num_classes
        inputs = latent_dim + (num_classes or 0)
        self.net = nn.Sequential(
            nn.Linear(inputs, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 256), nn.Tanh()
        )

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        if self.num_classes is not None:
            assert labels is not None
            z = torch.cat([z, nn.functional.one_hot(labels, self.num_classes).float()], 1)
        return self.net(z).view(-1, 1, 16, 16)


class TinyDiscriminator(nn.Module):
    def __init__(self, num_classes: int | None = None) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(256, 8), nn.ReLU())
        self.head = nn.Linear(8, 1)
        self.embed = nn.Embedding(num_classes, 8) if num_classes else None

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        h = self.body(x)
        score = self.head(h).flatten()
        if self.embed is not None:
            assert labels is not None
            score = score + (self.embed(labels) * h).sum(1)
        return score


def tiny(num_classes: int | None = None) -> GANNetworks:
    architecture = {"latent_dim": 4, "num_classes": num_classes}
    return GANNetworks(
        TinyGenerator(4, num_classes), TinyDiscriminator(num_classes), 4, num_classes, architecture
    )


QUICK = GANRecipe(batch_size=16, steps=6, sample_every=0, checkpoint_every=2, log_every=1)


def weights(path) -> dict[str, torch.Tensor]:
    return load_checkpoint(path)[0]


def test_objectives_match_their_closed_forms() -> None:
    half = torch.zeros(3)  # D = sigmoid(0) = 1/2 everywhere
    assert discriminator_loss("non-saturating", half, half).item() == pytest.approx(2 * math.log(2))
    logits = torch.tensor([-2.0, 0.5, 3.0])
    d = torch.sigmoid(logits)
    assert generator_loss("non-saturating", logits).item() == pytest.approx(-d.log().mean().item())
    assert generator_loss("minimax", logits).item() == pytest.approx((1 - d).log().mean().item())
    real, fake = torch.tensor([1.0, 3.0]), torch.tensor([-1.0, 0.0])
    assert discriminator_loss("wasserstein", real, fake).item() == pytest.approx(-2.5)
    assert generator_loss("wasserstein", fake).item() == pytest.approx(0.5)


def test_gradient_penalty_of_a_linear_critic_is_its_norm_gap() -> None:
    critic = nn.Linear(4, 1, bias=False)
    with torch.no_grad():
        critic.weight.copy_(torch.tensor([[3.0, 0.0, 4.0, 0.0]]))  # |grad f| = 5 everywhere
    real, fake = torch.randn(6, 4), torch.randn(6, 4)
    penalty = gradient_penalty(critic, real, fake, torch.rand(6))
    assert penalty.item() == pytest.approx((5 - 1) ** 2)


def test_weight_clipping_bounds_every_parameter() -> None:
    critic = nn.Linear(8, 8)
    clip_weights(critic, 0.01)
    assert all(p.abs().max() <= 0.01 for p in critic.parameters())


def test_pixels_round_trip_through_the_unit_range() -> None:
    pixels = torch.arange(256, dtype=torch.uint8).view(1, 1, 16, 16)
    assert torch.equal(to_uint8(to_unit_range(pixels)), pixels)


def test_real_batches_cover_each_epoch_once_in_a_seeded_order() -> None:
    data = RealBatches("digits", "train", 64, seed=1, device="cpu")
    epoch = torch.cat([data.batch(b)[0] for b in range(data.batches_per_epoch)])
    assert len(torch.unique(epoch.flatten(1), dim=0)) == len(epoch)
    again = RealBatches("digits", "train", 64, seed=1, device="cpu")
    assert torch.equal(data.batch(5)[0], again.batch(5)[0])
    assert not torch.equal(
        data.batch(5)[0], RealBatches("digits", "train", 64, 2, "cpu").batch(5)[0]
    )


def test_optimizer_state_survives_safetensors_names() -> None:
    net = nn.Linear(3, 2)
    adam = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.0, 0.9))
    net(torch.randn(4, 3)).sum().backward()
    adam.step()
    tensors, groups = optimizer_tensors("opt", adam)
    fresh = torch.optim.Adam(net.parameters(), lr=1.0)
    restore_optimizer(fresh, "opt", tensors, json.loads(json.dumps(groups)))
    assert fresh.param_groups[0]["betas"] == (0.0, 0.9)
    assert torch.equal(fresh.state[net.weight]["exp_avg"], adam.state[net.weight]["exp_avg"])


@pytest.mark.parametrize("loss", ["non-saturating", "minimax", "wasserstein"])
def test_discriminator_updates_lower_its_loss_on_a_fixed_batch(loss: str) -> None:
    torch.manual_seed(0)
    recipe = dataclasses.replace(QUICK, loss=loss, lr_discriminator=1e-2)
    trainer = GANTrainer(tiny(), recipe)
    real = RealBatches("digits", "train", 16, seed=0, device="cpu").batch(0)[0]
    losses = [
        trainer.discriminator_step(real, None, torch.Generator().manual_seed(0))["d_loss"]
        for _ in range(5)
    ]
    assert losses[-1] < losses[0]


@pytest.mark.parametrize(
    ("num_classes", "extra"),
    [
        (None, {}),
        (10, {}),
        (
            None,
            {
                "loss": "wasserstein",
                "discriminator_steps": 2,
                "gradient_penalty": 10.0,
                "ema_decay": 0.9,
            },
        ),
    ],
    ids=["plain", "conditional", "wgan-gp-ema"],
)
def test_a_resumed_run_equals_an_uninterrupted_one(tmp_path, num_classes, extra) -> None:
    recipe = dataclasses.replace(QUICK, **extra)
    whole = train_gan(
        "t.whole",
        lambda: tiny(num_classes),
        recipe,
        dataset="digits",
        seed=3,
        out=tmp_path / "whole",
        progress=False,
    )
    train_gan(
        "t.whole",
        lambda: tiny(num_classes),
        recipe,
        dataset="digits",
        steps=4,
        seed=3,
        out=tmp_path / "parts",
        progress=False,
    )
    parts = train_gan(
        "t.whole",
        lambda: tiny(num_classes),
        recipe,
        dataset="digits",
        seed=3,
        out=tmp_path / "parts",
        progress=False,
    )
    assert weights(whole).keys() == weights(parts).keys()
    assert all(torch.equal(weights(whole)[k], weights(parts)[k]) for k in weights(whole))
    log = [json.loads(line) for line in (tmp_path / "parts" / "log.jsonl").read_text().splitlines()]
    assert [row["step"] for row in log] == [1, 2, 3, 4, 5, 6]
    other = train_gan(
        "t.whole",
        lambda: tiny(num_classes),
        recipe,
        dataset="digits",
        seed=4,
        out=tmp_path / "other",
        progress=False,
    )
    assert not torch.equal(weights(other)["net.0.weight"], weights(whole)["net.0.weight"])


def test_a_folder_of_another_run_is_refused(tmp_path) -> None:
    train_gan("t.a", tiny, QUICK, dataset="digits", steps=2, seed=0, out=tmp_path, progress=False)
    with pytest.raises(GenbenchError, match="holds another run"):
        train_gan(
            "t.a", tiny, QUICK, dataset="digits", steps=2, seed=1, out=tmp_path, progress=False
        )


def test_keep_best_ships_the_best_validated_generator(tmp_path) -> None:
    recipe = dataclasses.replace(QUICK, steps=4, eval_every=2, eval_samples=50, sample_every=2)
    final = train_gan(
        "t.best", tiny, recipe, dataset="digits", seed=0, out=tmp_path, progress=False
    )
    log = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    scores = {row["step"]: row["val_fid"] for row in log if row.get("val_fid") is not None}
    assert sorted(scores) == [0, 2, 4]  # the untrained initialisation is scored too
    best_step = min((2, 4), key=scores.__getitem__)
    config = load_checkpoint(final)[1]
    assert (config["step"], config["val_fid"]) == (best_step, scores[best_step])
    assert (tmp_path / "samples" / "step_000004.png").is_file()
    assert (tmp_path / "log.csv").read_text().startswith("step,d_loss,g_loss")


def test_sampling_is_independent_of_batch_and_threads_and_restores_threads() -> None:
    from genbench.spec import SampleRequest
    from genbench.train.sampling import GANSampler

    torch.manual_seed(0)
    sampler = GANSampler(TinyGenerator(4, 10).eval(), 4, 10)
    seeds, labels = [11, 12, 13, 14], [3, 1, 4, 1]
    batch = sampler.sample(SampleRequest(seeds=seeds, labels=labels))
    torch.set_num_threads(2)
    try:
        alone = sampler.sample(SampleRequest(seeds=seeds[2:3], labels=labels[2:3]))
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(1)
    assert batch.dtype == torch.uint8 and torch.equal(alone[0], batch[2])
    with pytest.raises(GenbenchError, match="one label per seed"):
        sampler.sample(SampleRequest(seeds=seeds))


def test_resuming_with_more_steps_continues_the_run(tmp_path) -> None:
    train_gan(
        "t.more", tiny, QUICK, dataset="digits", steps=2, seed=0, out=tmp_path, progress=False
    )
    longer = dataclasses.replace(QUICK, steps=4)  # a longer run of the same recipe
    final = train_gan(
        "t.more", tiny, longer, dataset="digits", seed=0, out=tmp_path, progress=False
    )
    assert load_checkpoint(final)[1]["step"] == 4


def test_cli_train_calls_the_models_recipe_and_refuses_untrainable_models(
    install_plugin, tmp_path
) -> None:
    from click.testing import CliRunner

    from genbench.cli import build_cli

    install_plugin(
        "acme-trainable",
        """
        import json
        from pathlib import Path
        import genbench

        def train(*, dataset, steps, seed, out, device):
            Path(out).mkdir(parents=True)
            path = Path(out) / "weights.json"
            path.write_text(json.dumps([dataset, steps, seed, device]))
            return path

        @genbench.hookimpl
        def genbench_register_models(register):
            for name, fit in (("acme.fit", train), ("acme.fixed", None)):
                register(genbench.ModelSpec(name=name, family="acme", task="unconditional",
                         dataset="digits", resolution=16, channels=1, load=lambda d: None,
                         train=fit))
        """,
    )
    runner = CliRunner()
    out = tmp_path / "run"
    result = runner.invoke(
        build_cli(),
        ["train", "acme.fit", "--steps", "3", "--seed", "5", "--out", str(out)],
        standalone_mode=False,
    )
    assert result.exception is None, result.output
    assert json.loads((out / "weights.json").read_text()) == ["digits", 3, 5, "cpu"]
    refused = runner.invoke(build_cli(), ["train", "acme.fixed"])
    assert refused.exit_code == 2 and "has no training recipe" in refused.output
    # A dataset of another shape is refused before the recipe runs (it crashed in a matmul).
    refused = runner.invoke(build_cli(), ["train", "acme.fit", "--dataset", "shapes"])
    assert refused.exit_code == 2, refused.output
    assert "makes 1×16² images but dataset 'shapes' holds 3×32²" in refused.output
