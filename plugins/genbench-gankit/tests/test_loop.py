"""The shared GAN loop: objectives against closed forms, determinism, resume, keep-best."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
import torch
from genbench_gankit.discriminator import ProgressiveDiscriminator
from genbench_gankit.growth import ProgressiveGrowth, blend_resolutions
from genbench_gankit.loop import train_gan
from genbench_gankit.losses import (
    clip_weights,
    discriminator_loss,
    generator_loss,
    gradient_penalty,
    r1_penalty,
)
from genbench_gankit.recipe import GANNetworks, GANRecipe
from genbench_gankit.sampling import GANSampler
from genbench_gankit.trainer import GANTrainer
from torch import nn

from genbench import GenbenchError, SampleRequest
from genbench.train import RealBatches, load_checkpoint

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


def test_r1_penalty_of_a_linear_discriminator_is_its_squared_norm() -> None:
    critic = nn.Linear(4, 1, bias=False)
    with torch.no_grad():
        critic.weight.copy_(torch.tensor([[3.0, 0.0, 4.0, 0.0]]))
    real = torch.randn(6, 4).requires_grad_(True)
    assert r1_penalty(critic(real).flatten(), real).item() == pytest.approx(25.0)


@pytest.mark.parametrize(
    ("extra", "term"),
    [
        ({"loss": "wasserstein", "drift": 0.5}, lambda real, scores: 0.5 * (scores**2).mean()),
        ({"r1_penalty": 4.0}, lambda real, scores: 2.0 * r1_penalty(scores.sum(), real)),
    ],
    ids=["drift", "r1"],
)
def test_the_regularisers_add_their_terms_to_the_discriminator_loss(extra, term) -> None:
    real = RealBatches("digits", "train", 16, seed=0, device="cpu").batch(0)[0]

    def first_loss(recipe: GANRecipe) -> float:
        torch.manual_seed(0)
        networks = tiny()
        trainer = GANTrainer(networks, recipe)
        trainer.discriminator.eval()  # no dropout: both runs score the same
        return trainer.discriminator_step(real, None, torch.Generator().manual_seed(0))["d_loss"]

    plain = dataclasses.replace(QUICK, loss=extra.get("loss", QUICK.loss))
    torch.manual_seed(0)
    critic = tiny().discriminator.eval()
    leaf = real.clone().requires_grad_(True)
    expected = term(leaf, critic(leaf)).item()
    regularised = first_loss(dataclasses.replace(QUICK, **extra))
    assert regularised - first_loss(plain) == pytest.approx(expected, rel=1e-4)


class TinyGrowingGenerator(TinyGenerator):
    """A test double that grows like Progressive GAN's: its output seen at its stage."""

    def __init__(self) -> None:
        super().__init__(4)
        self.register_buffer("stage_resolution", torch.tensor(16))
        self.register_buffer("stage_alpha", torch.tensor(1.0))

    def set_stage(self, resolution: int, alpha: float) -> None:
        self.stage_resolution.fill_(resolution)
        self.stage_alpha.fill_(alpha)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        images = super().forward(z)
        return blend_resolutions(images, int(self.stage_resolution), float(self.stage_alpha))


def growing() -> GANNetworks:
    generator = TinyGrowingGenerator()
    discriminator = ProgressiveDiscriminator({4: 4, 8: 4, 16: 4}, 1, 16)
    growth = ProgressiveGrowth(generator, discriminator, (4, 8, 16), stable=2, fade=2)
    return GANNetworks(generator, discriminator, 4, None, {"latent_dim": 4}, growth)


def test_a_growing_run_logs_its_stages_and_ships_a_full_resolution_generator(tmp_path) -> None:
    recipe = dataclasses.replace(
        QUICK, steps=8, eval_every=1, eval_samples=20, ema_decay=0.5, sample_every=0
    )
    final = train_gan("t.grow", growing, recipe, dataset="digits", out=tmp_path, progress=False)
    rows = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    stages = [(row["resolution"], row["alpha"]) for row in rows[1:]]
    assert stages == [(4, 1), (4, 1), (8, 0.5), (8, 1), (8, 1), (8, 1), (16, 0.5), (16, 1)]
    grids = sorted(path.name for path in (tmp_path / "samples").iterdir())
    assert grids == ["stage_004px.png", "stage_008px.png", "stage_016px.png"]
    tensors, config = load_checkpoint(final)
    # only the last iteration trains at the full resolution with the new block faded in
    assert config["step"] == 8 and config["val_fid"] == rows[-1]["val_fid"]
    assert int(tensors["stage_resolution"]) == 16
    assert (tmp_path / "log.csv").read_text().splitlines()[0].endswith("resolution,alpha")
    # a resumed growing run repeats the uninterrupted one
    train_gan(
        "t.grow", growing, recipe, dataset="digits", steps=5, out=tmp_path / "b", progress=False
    )
    again = train_gan(
        "t.grow", growing, recipe, dataset="digits", out=tmp_path / "b", progress=False
    )
    assert all(torch.equal(tensors[k], load_checkpoint(again)[0][k]) for k in tensors)


class NoisyGenerator(nn.Module):
    """A test double with an extra per-pixel noise input, as StyleGAN has."""

    noise_shapes = ((1, 16, 16),)

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Linear(4, 256)

    def forward(self, z: torch.Tensor, noise: list[torch.Tensor]) -> torch.Tensor:
        return torch.tanh(self.net(z).view(-1, 1, 16, 16) + noise[0])


def test_noise_inputs_come_from_each_samples_own_stream() -> None:
    torch.manual_seed(0)
    sampler = GANSampler(NoisyGenerator(), 4, None)
    batch = sampler.sample(SampleRequest(seeds=[5, 6, 7]))
    assert torch.equal(sampler.sample(SampleRequest(seeds=[7]))[0], batch[2])
    assert not torch.equal(batch[0], batch[1])
