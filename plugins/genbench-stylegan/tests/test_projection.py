"""Projection into W and W+, and the study's table and verdict."""

from __future__ import annotations

import pytest
import torch
from genbench_stylegan.commands import verdict
from genbench_stylegan.model import Generator
from genbench_stylegan.projection import latent_space_study, midpoints, project, synthesize

from .test_model import TINY, tiny

torch.set_num_threads(1)


def test_projection_lowers_the_pixel_error_and_keeps_w_shared_in_w() -> None:
    generator = tiny().eval()
    torch.manual_seed(1)
    with torch.no_grad():
        target_codes = generator.mapping(torch.randn(3, 8))[:, None].expand(-1, 4, -1)
        targets = synthesize(generator, target_codes)
        start = synthesize(generator, generator.w_average.expand(3, 4, 8))
    start_error = (start - targets).pow(2).mean().item()
    for space in ("W", "W+"):
        projection = project(generator, targets, space, steps=60, lr=0.05)
        assert projection.loss < 0.8 * start_error
        shared = all(torch.equal(projection.codes[:, i], projection.codes[:, 0]) for i in range(4))
        assert shared == (space == "W")


def test_midpoints_pair_each_code_with_the_next() -> None:
    codes = torch.arange(3.0).view(3, 1, 1)
    assert midpoints(codes).flatten().tolist() == [0.5, 1.5, 1.0]


@pytest.mark.slow  # the reference features of shapes-cnn: ~15 s
def test_the_study_tables_both_spaces_and_two_anchors() -> None:
    torch.manual_seed(0)
    shapes_sized = {**TINY, "widths": {"4": 8, "8": 4, "16": 4, "32": 4}, "resolution": 32}
    study = latent_space_study(Generator(**shapes_sized), "shapes", n=4, steps=2, shown=2)
    assert [row["space"] for row in study.rows] == [
        "W",
        "W+",
        "test images themselves",
        "W, codes of generated samples",
    ]
    assert all(0 < study.rows[0][k] < float("inf") for k in ("psnr", "feature_distance"))
    assert study.figure.shape == (10, 3, 32, 32) and study.figure.dtype == torch.uint8


def test_the_verdict_says_what_the_numbers_say() -> None:
    w = {"psnr": 20.0, "ssim": 0.6, "feature_distance": 5.0}
    w_plus = {"psnr": 25.0, "ssim": 0.8, "feature_distance": 3.0}
    editable = {"midpoint_fid": 100.0, "midpoint_confidence": 0.9}
    less = {"midpoint_fid": 200.0, "midpoint_confidence": 0.7}
    claim = '"W for editing, W+ for reconstruction"'
    assert verdict([{**w, **editable}, {**w_plus, **less}]).startswith(f"{claim} reproduced")
    assert verdict([{**w_plus, **less}, {**w, **editable}]).startswith(f"{claim} did not reproduce")
    mixed = verdict([{**w, **less}, {**w_plus, **editable}])
    assert mixed.startswith(f"{claim} held in part") and "midpoints are not better" in mixed
