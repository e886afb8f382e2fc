"""The translation metrics: L1 and seed diversity against brute force, LPIPS recorded as
skipped (never an error, never a stand-in) when its trunk weights are not in the store, and
the input | outputs | target grid."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from scipy.spatial.distance import pdist

import genbench
from genbench.bench.grids import translation_tiles
from genbench.errors import GenbenchError
from genbench.metrics import l1_distance, lpips_distance, seed_diversity, variation_groups

torch.set_num_threads(1)


def _metric(name: str) -> genbench.MetricSpec:
    return genbench.get_registry().metrics.get(name)


def test_l1_is_the_mean_absolute_difference_as_a_fraction_of_255():
    images = np.full((3, 3, 8, 8), 10, np.uint8)
    assert l1_distance(images, images + 20) == pytest.approx(20 / 255, rel=1e-12)
    rng = np.random.default_rng(0)
    first, second = (rng.integers(0, 256, (5, 1, 9, 9), dtype=np.uint8) for _ in range(2))
    expected = np.abs(first.astype(float) - second.astype(float)).mean() / 255
    assert l1_distance(first, second) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(GenbenchError, match="same shape"):
        l1_distance(first, second[:4])


def test_seed_diversity_is_the_mean_pairwise_distance_within_each_input():
    features = np.random.default_rng(1).standard_normal((7, 4, 5))
    expected = np.mean([pdist(group) for group in features])  # 6 pairs for each input
    assert seed_diversity(features) == pytest.approx(expected, rel=1e-12)
    assert seed_diversity(np.repeat(features[:, :1], 3, axis=1)) == 0.0
    with pytest.raises(GenbenchError, match="at least two outputs per input"):
        seed_diversity(features[:, :1])
    with pytest.raises(GenbenchError, match="NaN"):
        seed_diversity(np.full((2, 2, 3), np.nan))


def test_variation_groups_flatten_outputs_with_the_index_of_their_input():
    images = np.arange(2 * 3 * 1 * 2 * 2, dtype=np.uint8).reshape(2, 3, 1, 2, 2)
    flat, groups = variation_groups(images)
    assert flat.shape == (6, 1, 2, 2) and list(groups) == [0, 0, 0, 1, 1, 1]
    np.testing.assert_array_equal(flat[4], images[1, 1])


def _lpips_inputs() -> genbench.MetricInputs:
    rng = np.random.default_rng(2)
    images = rng.integers(0, 256, (4, 3, 32, 32), dtype=np.uint8)
    return genbench.MetricInputs(
        images=images,
        targets=images[::-1].copy(),
        variations={"images": rng.integers(0, 256, (2, 3, 3, 32, 32), dtype=np.uint8)},
    )


def test_lpips_without_its_trunk_weights_is_skipped_with_the_command_that_provides_them():
    for name, column in (("lpips", "lpips"), ("lpips-seed-diversity", "lpips_seed_diversity")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            values = _metric(name).compute(_lpips_inputs())
        assert math.isnan(values[column])
        (warning,) = caught
        assert str(warning.message).startswith("SKIPPED: the LPIPS trunk weights")
        assert "genbench weights fetch lpips-alexnet" in str(warning.message)


@pytest.mark.slow
def test_lpips_with_its_trunk_weights_is_computed(lpips_weights):
    inputs = _lpips_inputs()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paired = _metric("lpips").compute(inputs)["lpips"]
        diversity = _metric("lpips-seed-diversity").compute(inputs)["lpips_seed_diversity"]
    assert not [w for w in caught if "SKIPPED" in str(w.message)]
    assert paired == pytest.approx(lpips_distance(inputs.images, inputs.targets), rel=1e-9)
    # Each input's three outputs make pairs (0,1), (0,2), (1,2); two inputs, six pairs.
    outputs = inputs.variations["images"]
    first = np.concatenate([outputs[m, [0, 0, 1]] for m in range(2)])
    second = np.concatenate([outputs[m, [1, 2, 2]] for m in range(2)])
    assert diversity == pytest.approx(lpips_distance(first, second), rel=1e-6)


def _outputs(varied: bool) -> np.ndarray:
    rng = np.random.default_rng(3)
    first = rng.integers(0, 256, (10, 1, 3, 4, 4), dtype=np.uint8)
    if varied:
        return np.concatenate([first, rng.integers(0, 256, (10, 2, 3, 4, 4), np.uint8)], 1)
    return np.repeat(first, 3, axis=1)


def test_translation_grid_rows_are_input_outputs_target():
    semantic = np.random.default_rng(4).integers(0, 10, (10, 1, 4, 4), dtype=np.uint8)
    targets = np.random.default_rng(5).integers(0, 256, (10, 3, 4, 4), dtype=np.uint8)
    tiles, columns = translation_tiles(semantic, _outputs(varied=True), targets)
    assert columns == 5 and len(tiles) == 8 * 5  # the first 8 inputs, 3 outputs each
    np.testing.assert_array_equal(tiles[5 + 2], _outputs(varied=True)[1, 1])
    np.testing.assert_array_equal(tiles[5 + 4], targets[1])
    # A semantic map is painted one colour per class: equal classes, equal colours.
    painted = tiles[5]
    assert painted.shape == (3, 4, 4)
    same = semantic[1, 0, :, :, None, None] == semantic[1, 0, None, None, :, :]
    colours = painted.reshape(3, 16).T
    assert np.array_equal(same.reshape(16, 16), (colours[:, None] == colours[None]).all(-1))
    # A model that gave one output whatever the seed gets one output column.
    grey = np.random.default_rng(6).integers(16, 256, (10, 1, 4, 4), dtype=np.uint8)
    tiles, columns = translation_tiles(grey, _outputs(varied=False), targets)
    assert columns == 3
    np.testing.assert_array_equal(tiles[0], np.repeat(grey[0], 3, axis=0))
