"""Progressive GAN's generator: growing, fading in, pixel norm."""

from __future__ import annotations

import torch
from genbench_progan.model import Generator

torch.set_num_threads(1)


def tiny() -> Generator:
    torch.manual_seed(0)
    return Generator(8, {"4": 8, "8": 8, "16": 4}, channels=3, resolution=16)


def test_a_fade_in_starts_where_the_last_stage_ended_and_ends_at_the_new_block() -> None:
    generator = tiny()
    z = torch.randn(5, 8)
    images = {}
    for stage in ((8, 1.0), (16, 0.0), (16, 0.5), (16, 1.0)):
        generator.set_stage(*stage)
        images[stage] = generator(z)
    assert all(image.shape == (5, 3, 16, 16) for image in images.values())
    assert torch.allclose(images[(8, 1.0)], images[(16, 0.0)], atol=1e-6)
    assert torch.allclose(images[(16, 0.5)], (images[(16, 0.0)] + images[(16, 1.0)]) / 2, atol=1e-6)


def test_a_lower_stage_shows_blocks_of_its_resolution() -> None:
    generator = tiny()
    generator.set_stage(4, 1.0)
    image = generator(torch.randn(2, 8))
    assert torch.equal(image, image[..., ::4, ::4].repeat_interleave(4, 2).repeat_interleave(4, 3))


def test_the_stage_is_saved_with_the_weights() -> None:
    generator = tiny()
    generator.set_stage(8, 0.25)
    state = generator.state_dict()
    assert (int(state["stage_resolution"]), float(state["stage_alpha"])) == (8, 0.25)
    fresh = tiny()
    fresh.load_state_dict(state)
    z = torch.randn(3, 8)
    assert torch.equal(fresh(z), generator(z))
