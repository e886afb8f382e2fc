"""Translation rows end to end on the tiny plugin: several outputs per input feed the
seed-diversity metric and the input | outputs | target grid; the ground truth's labels
feed the classifier accuracy."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import cli, install_tiny, rows

from genbench.bench import variations
from genbench.seeding import derive_seed

METRICS = "seed-diversity,l1,accuracy"


@pytest.fixture
def env(install_plugin, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    return install_tiny(install_plugin, monkeypatch, tmp_path)


def _run(out: Path, batch_size: int) -> dict:
    args = ("--metrics", METRICS, "--out", str(out), "--batch-size", str(batch_size))
    result = cli("run", "--models", "tiny.pix,tiny.cycle", *args)
    assert result.exit_code == 0, result.output
    return rows(out)


def _expected_diversity(seed: int) -> float:
    """The tiny pix model's outputs of the first inputs, redrawn here with the documented
    seeds and compared pair by pair in the tiny feature space."""
    from genbench_tiny import Generator, TinyFeatures

    import genbench

    split = genbench.get_registry().datasets.get("tiny").load("test")
    inputs = torch.from_numpy(split.read("edges", range(variations.INPUTS)))
    features = []
    for m in range(variations.INPUTS):
        seeds = [derive_seed(seed, variations.STREAM, m, k) for k in range(variations.SEEDS)]
        request = genbench.SampleRequest(seeds=seeds, inputs=inputs[[m] * len(seeds)])
        features.append(TinyFeatures()(Generator("pix").sample(request))["features"].double())
    distances = [
        float((f[i] - f[j]).norm())
        for f in features
        for i in range(variations.SEEDS)
        for j in range(i + 1, variations.SEEDS)
    ]
    return float(np.mean(distances))


def test_translation_rows_score_diversity_and_accuracy_and_draw_input_output_target(
    env, tmp_path: Path
) -> None:
    found = _run(tmp_path / "run", batch_size=16)
    pix, cycle = found["tiny.pix"], found["tiny.cycle"]
    assert pix["status"] == "ok" and cycle["status"] == "ok", (pix["error"], cycle["error"])
    assert pix["seed_diversity"] == pytest.approx(_expected_diversity(0), rel=1e-5)
    # The output brightens the square in the corner of the ground truth's label.
    assert pix["accuracy"] == 1.0
    assert 0 < pix["l1"] < 0.1
    grid = Image.open(tmp_path / "run" / pix["grid"])
    scale = 64 // 8  # grid_png upscales 8 px tiles
    columns, tile_rows = variations.SEEDS + 2, 8
    assert grid.size == ((columns * 9 + 1) * scale, (tile_rows * 9 + 1) * scale)


def test_translation_rows_do_not_depend_on_the_batch_size(env, tmp_path: Path) -> None:
    first, second = _run(tmp_path / "a", batch_size=16), _run(tmp_path / "b", batch_size=5)
    for model in ("tiny.pix", "tiny.cycle"):
        for column in ("seed_diversity", "l1", "accuracy"):
            assert first[model][column] == second[model][column], (model, column)
        grids = [
            (tmp_path / run / found[model]["grid"]).read_bytes()
            for run, found in (("a", first), ("b", second))
        ]
        assert grids[0] == grids[1]
