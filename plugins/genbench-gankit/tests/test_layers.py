"""Karras et al.'s layers and the progressive discriminator, against closed forms."""

from __future__ import annotations

import pytest
import torch
from genbench_gankit.discriminator import ProgressiveDiscriminator
from genbench_gankit.growth import ProgressiveGrowth, Stage, blend_resolutions
from genbench_gankit.layers import EqualizedLinear, minibatch_stddev, pixel_norm

torch.set_num_threads(1)


def test_equalized_layers_keep_unit_variance_at_initialisation() -> None:
    torch.manual_seed(0)
    layer = EqualizedLinear(512, 512, gain=1.0)
    out = layer(torch.randn(4096, 512))
    assert out.std().item() == pytest.approx(1.0, abs=0.05)


def test_the_lr_multiplier_slows_the_effective_weights_by_its_factor() -> None:
    """Adam's first step moves every stored weight by about lr; the run-time scale turns
    that into lr · c · λ' on the weight the layer applies."""
    changes = {}
    for multiplier in (1.0, 0.01):
        torch.manual_seed(0)
        layer = EqualizedLinear(8, 8, lr_multiplier=multiplier)
        before = layer.weight.detach() * layer.scale
        optimizer = torch.optim.Adam(layer.parameters(), lr=1e-3)
        layer(torch.randn(16, 8)).square().sum().backward()
        optimizer.step()
        changes[multiplier] = (layer.weight.detach() * layer.scale - before).abs().max().item()
    assert changes[0.01] / changes[1.0] == pytest.approx(0.01, rel=0.05)  # Adam's eps


def test_pixel_norm_gives_every_pixel_a_unit_mean_square() -> None:
    x = torch.randn(3, 7, 5, 5) * 4
    assert torch.allclose(pixel_norm(x).square().mean(dim=1), torch.ones(3, 5, 5), atol=1e-5)


def test_minibatch_stddev_appends_the_groups_mean_deviation() -> None:
    torch.manual_seed(0)
    x = torch.randn(8, 3, 2, 2)
    out = minibatch_stddev(x, group_size=4)
    assert torch.equal(out[:, :3], x)
    # groups are images {j, j + 2, j + 4, j + 6}: the batch viewed as (4, 2, ...)
    for j in range(2):
        members = x[j::2]
        expected = torch.sqrt(members.var(dim=0, unbiased=False) + 1e-8).mean()
        assert torch.allclose(out[j::2, 3], expected.expand(4, 2, 2), atol=1e-6)
    with pytest.raises(ValueError, match="not a multiple"):
        minibatch_stddev(torch.randn(6, 3, 2, 2), group_size=4)


def test_the_growth_schedule_fades_each_resolution_in_linearly() -> None:
    growth = ProgressiveGrowth(None, None, (4, 8, 16), stable=3, fade=2)  # type: ignore[arg-type]
    stages = [growth.stage(i) for i in range(1, 13)]
    assert stages == [
        Stage(4, 1.0), Stage(4, 1.0), Stage(4, 1.0),
        Stage(8, 0.5), Stage(8, 1.0), Stage(8, 1.0), Stage(8, 1.0), Stage(8, 1.0),
        Stage(16, 0.5), Stage(16, 1.0), Stage(16, 1.0), Stage(16, 1.0),
    ]  # fmt: skip
    assert [growth.complete(s) for s in stages].index(True) == 9


def test_blended_images_are_block_averages_faded_from_the_half_resolution() -> None:
    images = torch.randn(2, 3, 16, 16)
    assert torch.equal(blend_resolutions(images, 16, 1.0), images)
    at_8 = blend_resolutions(images, 8, 1.0)
    assert torch.allclose(at_8[..., ::2, ::2], torch.nn.functional.avg_pool2d(images, 2))
    coarse = blend_resolutions(images, 4, 1.0)
    halfway = blend_resolutions(images, 8, 0.5)
    assert torch.allclose(halfway, (at_8 + coarse) / 2, atol=1e-6)


def test_the_discriminator_fade_in_starts_where_the_last_stage_ended() -> None:
    torch.manual_seed(0)
    discriminator = ProgressiveDiscriminator({4: 8, 8: 8, 16: 4}, 3, 16)
    images = torch.randn(4, 3, 16, 16)
    scores = {}
    for stage in (Stage(8, 1.0), Stage(16, 0.0), Stage(16, 1e-3)):
        discriminator.set_stage(stage.resolution, stage.alpha)
        scores[stage] = discriminator(images)
    assert torch.allclose(scores[Stage(8, 1.0)], scores[Stage(16, 0.0)], atol=1e-5)
    assert not torch.allclose(scores[Stage(8, 1.0)], scores[Stage(16, 1e-3)], atol=1e-7)
    assert int(discriminator.state_dict()["stage_resolution"]) == 16
