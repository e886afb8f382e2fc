"""The image-to-image building blocks: PatchGAN receptive fields, the image pool, the
objectives' closed forms, field batches, and a resumable, deterministic training loop."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from genbench_gankit.image_pool import ImagePool
from genbench_gankit.objectives import discriminator_loss, feature_matching, generator_loss
from genbench_gankit.patchgan import MultiscaleDiscriminator, PatchDiscriminator
from genbench_gankit.translation import (
    FieldBatches,
    Fields,
    TranslationRecipe,
    load_sampler,
    training_rows,
)
from genbench_gankit.translation_training import TranslationTrainer, train_translation

import genbench
from genbench.train import load_checkpoint

torch.set_num_threads(1)


def _seen_pixels(network: PatchDiscriminator, size: int) -> int:
    """Side of the input region that one central output logit depends on (by its gradient)."""
    torch.manual_seed(0)
    images = torch.randn(1, network.blocks[0][0].in_channels, size, size, requires_grad=True)
    logits = network(images)
    logits[0, 0, logits.shape[2] // 2, logits.shape[3] // 2].backward()
    rows = torch.nonzero(images.grad.abs().sum((0, 1)).sum(1))
    return int(rows.max() - rows.min() + 1)


@pytest.mark.parametrize(("layers", "expected"), [(1, 16), (2, 34), (3, 70)])
def test_patch_discriminator_receptive_field_is_what_its_gradient_shows(layers, expected):
    assert PatchDiscriminator(3, width=8, layers=layers).receptive_field == expected
    # layers=3 is pix2pix's 70×70 PatchGAN. Instance norm's statistics span the whole image,
    # so the convolutions' field shows without it.
    network = PatchDiscriminator(3, width=8, layers=layers, norm="none")
    assert _seen_pixels(network, 2 * expected + 16) == expected


def test_multiscale_discriminator_halves_the_image_per_scale():
    network = MultiscaleDiscriminator(2, 3, width=8, layers=1, spectral=True)
    features = network.features(torch.randn(2, 3, 32, 32))
    assert [scale[-1].shape[-1] for scale in features] == [14, 6]  # 16 → 15 → 14; 8 → 7 → 6
    assert len(features[0]) == 3  # two LeakyReLU blocks, then the logits


def test_image_pool_fills_then_mixes_history_deterministically():
    images = torch.arange(6.0).view(6, 1, 1, 1)

    def run() -> list[torch.Tensor]:
        pool, rng = ImagePool(size=3), torch.Generator().manual_seed(0)
        return [pool.query(images[i : i + 2], rng) for i in range(0, 6, 2)]

    first, second, third = run()
    torch.testing.assert_close(first, images[:2])  # filling: the new fakes come back
    assert set(third.flatten().tolist()) <= set(range(6))
    assert all(torch.equal(a, b) for a, b in zip(run(), (first, second, third), strict=True))
    pool = ImagePool(size=3)
    pool.query(images[:3], torch.Generator())
    restored = ImagePool(size=3)
    restored.load_state(pool.state())
    torch.testing.assert_close(torch.stack(restored.images), images[:3])
    assert ImagePool(size=3).state().numel() == 0


def test_objectives_closed_forms():
    real, fake = torch.full((4, 1, 2, 2), 2.0), torch.full((4, 1, 2, 2), -2.0)
    assert discriminator_loss("hinge", real, fake) == 0  # both beyond the margin
    assert generator_loss("hinge", fake) == 2.0
    assert discriminator_loss("least-squares", torch.ones(3), torch.zeros(3)) == 0
    assert generator_loss("least-squares", torch.zeros(3)) == 1.0
    logits = torch.randn(5)
    bce = F.binary_cross_entropy_with_logits
    expected = (bce(logits, torch.ones(5)) + bce(-logits, torch.zeros(5))) / 2
    torch.testing.assert_close(discriminator_loss("non-saturating", logits, -logits), expected)
    torch.testing.assert_close(generator_loss("non-saturating", logits), bce(logits, torch.ones(5)))
    with pytest.raises(ValueError, match="unknown objective"):
        generator_loss("wasserstein", logits)
    same = [[torch.ones(2, 3), torch.zeros(2)]]
    assert feature_matching(same, same) == 0
    other = [[torch.full((2, 3), 3.0), torch.zeros(2)]]
    assert feature_matching(same, other) == 2.0  # mean |1 - 3|; the logits are left out


def test_semantic_maps_are_encoded_one_hot():
    fields = Fields("semantic", "image", input_classes=4)
    maps = torch.tensor([[[[0, 3], [1, 1]]]], dtype=torch.uint8)
    encoded = fields.encode(maps)
    assert encoded.shape == (1, 4, 2, 2) and fields.network_channels == 4
    torch.testing.assert_close(encoded.argmax(1), maps[:, 0].long())
    with pytest.raises(genbench.GenbenchError, match="class 3; this model knows 3"):
        Fields("semantic", "image", input_classes=3).encode(maps)
    grey = Fields("gray", "image").encode(torch.tensor([[[[0, 255]]]], dtype=torch.uint8))
    torch.testing.assert_close(grey, torch.tensor([[[[-1.0, 1.0]]]]))


@pytest.mark.slow
def test_field_batches_pair_rows_or_draw_domains_independently():
    rows = range(64)
    paired = FieldBatches("shapes", "train", Fields("gray", "image"), rows, 8, 0, "cpu")
    grey, colour = paired.batch(3)
    luma = (colour.double() * torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(1)
    assert (luma - grey[:, 0].double()).abs().max() <= 1  # each grey image is its target's
    assert not torch.equal(paired.batch(0)[0], paired.batch(8)[0])  # epoch 1 reshuffles
    fields = Fields("domain_a", "domain_b", paired=False, channels=3)
    unpaired = FieldBatches("shapes", "train", fields, rows, 8, 0, "cpu")
    day, night = unpaired.batch(0)
    data = genbench.get_registry().datasets.get("shapes").load("train")
    everything = data.read("domain_a", rows)
    chosen = [int(np.flatnonzero((everything == image.numpy()).all((1, 2, 3)))[0]) for image in day]
    np.testing.assert_array_equal(day.numpy(), everything[chosen])
    assert not np.array_equal(night.numpy(), data.read("domain_b", chosen))
    assert training_rows(20000) == (range(19500), range(19500, 20000))


class _Colouriser(torch.nn.Module):
    """A 1×1 convolution from grey to RGB that ignores its noise: the smallest network."""

    def __init__(self, width: int = 3) -> None:
        super().__init__()
        self.conv = torch.nn.Conv2d(1, width, 1)

    def forward(self, x: torch.Tensor, noise: object = None) -> torch.Tensor:
        return torch.tanh(self.conv(x))


class _L1Trainer(TranslationTrainer):
    losses = ("l1",)

    def __init__(self, device: str) -> None:
        network = _Colouriser()
        optimizer = torch.optim.Adam(network.parameters(), 1e-2)
        fields = Fields("gray", "image")
        super().__init__(
            {"generator": network},
            {"generator": optimizer},
            shipped="generator",
            architecture={"width": 3},
            fields=fields,
        )

    def step(self, inputs, targets, rng):
        loss = F.l1_loss(self.networks["generator"](inputs), targets)
        self.optimizers["generator"].zero_grad()
        loss.backward()
        self.optimizers["generator"].step()
        return {"l1": loss.item()}


class _Head:
    """The first rows of a shapes split: 600 training images hold the 500 validation rows
    and 100 to train on, enough for a few steps at a fraction of the cost."""

    def __init__(self, split: str) -> None:
        self.data = genbench.get_registry().datasets.get("shapes").load(split)
        self.fields = self.data.fields

    def __len__(self) -> int:
        return 600

    def read(self, field: str, indices):  # type: ignore[no-untyped-def]
        return self.data.read(field, indices)


@pytest.fixture
def small_shapes():  # type: ignore[no-untyped-def]
    registry = genbench.get_registry()
    shapes = registry.datasets.get("shapes")
    small = replace(shapes, name="shapes-head", splits={"train": 600}, load=_Head)
    owner = next(
        p for p in registry.plugins.values() if "shapes" in p.registered.get("dataset", [])
    )
    registry.add("dataset", small, owner)  # registered as shapes' own plugin did
    yield small.name
    genbench.reset_registry()


@pytest.mark.slow
def test_training_resumes_exactly_and_ships_the_best_validated_network(
    tmp_path: Path, small_shapes: str
):
    recipe = TranslationRecipe(batch_size=8, steps=4, eval_every=2, checkpoint_every=2, log_every=1)
    fields = Fields("gray", "image")
    train = partial(
        train_translation, "toy.colour", _L1Trainer, recipe, fields, dataset=small_shapes
    )
    straight = train(out=tmp_path / "a", progress=False)
    train(steps=2, out=tmp_path / "b", progress=False)
    resumed = train(out=tmp_path / "b", progress=False)
    for name in ("last.safetensors", "generator.safetensors"):
        first, _ = load_checkpoint(tmp_path / "a" / name)
        second, _ = load_checkpoint(tmp_path / "b" / name)
        assert first.keys() == second.keys()
        assert all(torch.equal(first[k], second[k]) for k in first), name

    def logged(folder: str) -> list[dict]:
        lines = (tmp_path / folder / "log.jsonl").read_text().splitlines()
        return [{k: v for k, v in json.loads(line).items() if k[-2:] != "_s"} for line in lines]

    log = logged("a")
    assert log == logged("b") and [row["step"] for row in log] == [0, 1, 2, 3, 4]
    fids = {row["step"]: row["val_fid"] for row in log if "val_fid" in row}
    _, shipped = load_checkpoint(straight)
    assert shipped["val_fid"] == min(fids[2], fids[4]) and shipped["architecture"] == {"width": 3}
    weights = genbench.Weights(name="toy.colour", sha256=genbench_sha(resumed), path=str(resumed))
    sampler = load_sampler(weights, _Colouriser, fields, "cpu")
    grey = torch.full((2, 1, 4, 4), 128, dtype=torch.uint8)
    assert sampler.sample(genbench.SampleRequest(seeds=[0, 1], inputs=grey)).shape == (2, 3, 4, 4)
    with pytest.raises(genbench.GenbenchError, match="another run"):
        other = replace(recipe, batch_size=4)
        train_translation(
            "toy.colour", _L1Trainer, other, fields, dataset="shapes", out=tmp_path / "a"
        )


def genbench_sha(path: Path) -> str:
    from genbench.train import sha256_file

    return sha256_file(path)
