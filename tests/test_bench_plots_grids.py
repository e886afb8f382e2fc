"""Plots and grids a reader can use: titles, baselines that do not squash the models,
labels that do not overlap, class grids one class per column, real data beside the models;
and the column table that the Markdown pages and the site share."""

from __future__ import annotations

import io
import itertools
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from genbench.bench.columns import COLUMNS, column, companion, companions
from genbench.bench.grids import class_grid_png, grid_png, real_grid_name, real_grid_png
from genbench.bench.plots import figures, plotted_models
from genbench.bench.report import write_pages
from genbench.bench.store import SCHEMA, ResultStore

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import cli, install_tiny, rows


def _row(model: str, fid: float, **extra: Any) -> dict[str, Any]:
    family = model.split(".")[0]
    return {
        "model": model,
        "family": family,
        "dataset": "toy",
        "task": "unconditional",
        "split": "train",
        "features": "toy-net",
        "resize": "none",
        "seed": 0,
        "reproduce": f"genbench run --models {model}",
        "grid": None,
        "n_samples": 300,
        "n_reference": 900,
        "config_id": model,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "status": "ok",
        "error": "",
        "schema": SCHEMA,
        "primary_metric": "fid",
        "higher_is_better": False,
        "fid": fid,
        "images_per_s": 100.0 + fid,
        "precision": 0.8,
        "recall": 0.9,
        "baseline": "noise" if family == "baseline" else None,
        **extra,
    }


def _frame() -> pd.DataFrame:
    """Eight models crowded at one throughput, and baselines far above and below them."""
    models = [
        _row(f"ddpm.sampler-{i}", 50 + i, images_per_s=60.0, nfe=10 * (i + 1)) for i in range(6)
    ]
    models += [_row("gan.a", 140.0), _row("gan.b", 160.0)]
    models += [_row("baseline.noise", 2500.0), _row("baseline.oracle", 30.0)]
    return pd.DataFrame(models)


def test_plots_are_titled_and_baselines_do_not_squash_the_models() -> None:
    found = figures(_frame())
    assert set(found) == {"precision-recall.png", "quality-throughput.png", "quality-nfe.png"}
    for figure in found.values():
        title = figure.axes[0].get_title()
        assert "toy · unconditional" in title and "toy-net features" in title
        assert "n = 300 samples vs 900 train images" in title
    axes = found["quality-throughput.png"].axes[0]
    low, high = axes.get_ylim()
    assert low < 30 < 50 and 160 < high < 400  # the oracle line is in, noise at 2500 is not
    notes = " ".join(t.get_text() for t in found["quality-throughput.png"].texts)
    assert "off the scale: baseline.noise (FID 2500)" in notes
    assert axes.get_ylabel() == "FID (lower is better)"


def test_the_nfe_frontier_has_a_legend_entry() -> None:
    axes = figures(_frame())["quality-nfe.png"].axes[0]
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert "ddpm: best at each NFE" in labels


@pytest.mark.parametrize("name", ["precision-recall.png", "quality-throughput.png"])
def test_point_labels_do_not_overlap(name: str) -> None:
    figure = figures(_frame())[name]
    renderer = figure.canvas.get_renderer()
    axes = figure.axes[0]
    labels = [t for t in axes.texts if hasattr(t, "xyann")]
    assert {t.get_text() for t in labels} >= {f"ddpm.sampler-{i}" for i in range(6)}
    from matplotlib.text import Text

    boxes = []
    for label in labels:
        label.update_positions(renderer)
        boxes.append(Text.get_window_extent(label, renderer))
    frame = axes.get_window_extent(renderer)
    assert all(frame.contains(b.x0, b.y0) and frame.contains(b.x1, b.y1) for b in boxes)
    assert not [pair for pair in itertools.combinations(boxes, 2) if pair[0].overlaps(pair[1])]


def test_plotted_models_names_what_each_plot_shows() -> None:
    shown = plotted_models(_frame())
    assert "gan.a" in shown["precision-recall.png"] and "gan.a" not in shown["quality-nfe.png"]
    assert "baseline.oracle" in shown["quality-nfe.png"]  # a reference line there


def _decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)))


def test_class_grids_put_one_class_per_column_under_its_label() -> None:
    # image i has the grey level of its label, as the harness asks label i % classes
    labels = [i % 10 for i in range(64)]
    images = [np.full((1, 8, 8), 20 * label, np.uint8) for label in labels]
    picture = _decode(class_grid_png(images, labels))
    scale, tile = 8, 9 * 8  # 8-pixel images are upscaled 8 times; 1 pixel of padding
    band = picture.shape[0] - (6 * 9 + 1) * scale  # six full rows: the rarest class has 6
    assert picture.shape[1] == (10 * 9 + 1) * scale and band > 10
    assert (picture[: band // 2] < 128).any()  # the labels are drawn in the band
    for row, label in itertools.product(range(6), range(10)):
        top, left = band + scale + row * tile, scale + label * tile
        assert (picture[top : top + 64, left : left + 64] == 20 * label).all()


def test_grid_png_tiles_row_by_row_without_labels() -> None:
    images = [np.full((3, 8, 8), i * 20, np.uint8) for i in range(10)]
    picture = _decode(grid_png(images, columns=4))
    assert picture.shape == ((3 * 9 + 1) * 8, (4 * 9 + 1) * 8, 3)


def test_real_grids_follow_the_models_layout() -> None:
    by_class = _decode(real_grid_png("digits", "train", "class-conditional"))
    plain = _decode(real_grid_png("digits", "train", "unconditional"))
    assert by_class.shape[1] == (10 * 17 + 1) * 4  # 10 classes of 16-pixel digits, ×4
    assert plain.shape[:2] == ((8 * 17 + 1) * 4, (8 * 17 + 1) * 4)
    assert real_grid_png("digits", "train", "paired-translation") is None
    assert real_grid_png("not-installed", "train", "unconditional") is None
    assert real_grid_name("train", "class-conditional") == "real-train-by-class.png"


def test_columns_know_direction_unit_and_explanation() -> None:
    assert column("fid").direction == "lower" and column("fid").header() == "FID ↓"
    assert column("recall").direction == "higher" and column("recall").unit == "fraction"
    assert all(c.explanation for c in COLUMNS.values())
    unknown = column("my_plugin_score")
    assert unknown.direction is None and "plugin" in unknown.describe()
    assert companion("fid_low") == ("fid", "low") and companion("kid_std") == ("kid", "std")
    assert (
        column("kid_std").header() == "KID ±" and "interval of FID" in column("fid_high").describe()
    )
    found = companions(["fid", "fid_low", "fid_high", "kid", "kid_std", "recall_high"])
    assert found == {"fid": {"low": "fid_low", "high": "fid_high"}, "kid": {"std": "kid_std"}}


def test_markdown_pages_share_the_column_table_link_the_site_and_show_real_data(
    tmp_path: Path,
) -> None:
    run = tmp_path / "run"
    for row in _frame().to_dict("records"):
        ResultStore(run).write({**row, "dataset": "digits"})
    (page,) = write_pages([run], tmp_path / "published")
    text = page.read_text()
    assert "| model | family | status | img/s ↑ |" in text and "| FID ↓ |" in text
    assert f"**FID ↓** (`fid`): {column('fid').describe()}" in text
    assert "[unconditional.html](unconditional.html)" in text
    assert "![real images](grids/real-train.png)" in text
    assert (page.parent / "grids" / "real-train.png").is_file()


@pytest.fixture
def env(install_plugin, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    return install_tiny(install_plugin, monkeypatch, tmp_path)


def test_rows_record_the_model_card_and_class_grids(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = cli(
        "run", "--models", "tiny.good,tiny.cond", "--metrics", "tiny-mean", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    found = rows(out)
    good = found["tiny.good"]
    assert good["paper"] == "https://example.org/tiny" and good["license"] == "MIT"
    assert good["description"] == "noise with a square"
    assert good["train_command"] == "genbench train tiny.good"
    assert good["recipe"] == '{"lr": 0.001, "steps": 3}'
    assert found["tiny.cond"]["train_command"] == "" and found["tiny.cond"]["paper"] == ""
    grid = _decode((out / found["tiny.cond"]["grid"]).read_bytes())
    assert grid.shape[1] == (4 * 9 + 1) * 8  # one column per class of the 4
