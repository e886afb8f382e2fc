"""The shared training toolkit: pixel scaling, seeded real batches, optimizer state as
tensors, and `genbench train` calling a model's recipe."""

from __future__ import annotations

import json

import torch
from torch import nn

from genbench.train import (
    FeatureSpace,
    RealBatches,
    optimizer_tensors,
    restore_optimizer,
    to_uint8,
    to_unit_range,
)

torch.set_num_threads(1)


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


def test_a_feature_space_scores_images_as_the_benchmark_extracts_them() -> None:
    import numpy as np

    from genbench import get_registry

    space = FeatureSpace("digits", n_reference=300)  # 300: more than one chunk of 128
    images = get_registry().datasets.get("digits").load("train").read("image", range(300))
    features = space.features(images)
    # the reference went through the harness's cached extraction of the same images
    np.testing.assert_array_equal(features, np.asarray(space.reference["features"], np.float64))
    assert space.fid(features) < 1e-6


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
