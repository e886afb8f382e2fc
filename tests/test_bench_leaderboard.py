"""Leaderboard tables: merging runs, sorting, the schema, durable writes, pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import genbench
from genbench.bench.grids import grid_png
from genbench.bench.leaderboard import collect, merge_rows, tables, write_tables
from genbench.bench.report import write_pages
from genbench.bench.store import SCHEMA, ResultStore, atomic_write


def _row(
    model: str,
    fid: float | None,
    *,
    config: str = "c1",
    time: str = "2026-01-01T00:00:00+00:00",
    status: str = "ok",
    task: str = "unconditional",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "model": model,
        "family": model.split(".")[0],
        "dataset": "toy",
        "task": task,
        "config_id": config,
        "timestamp": time,
        "status": status,
        "error": "" if status == "ok" else "boom",
        "schema": SCHEMA,
        "primary_metric": "fid",
        "higher_is_better": False,
        "fid": fid,
        "precision": 0.5,
        "recall": 0.4,
        "images_per_s": 100.0,
        "n_samples": 10,
        "n_reference": 20,
        "seed": 0,
        "features": "net",
        "resize": "none",
        "split": "train",
        "reproduce": f"genbench run --models {model}",
        "grid": None,
        **extra,
    }


def test_latest_row_per_model_and_configuration_wins() -> None:
    rows = [
        _row("a.x", 5.0, time="2026-01-01T00:00:00+00:00"),
        _row("a.x", 4.0, time="2026-01-02T00:00:00+00:00"),
        _row("a.x", 9.0, config="c2"),
        _row("b.x", 1.0),
    ]
    merged = merge_rows(rows)
    assert sorted((r["model"], r["config_id"], r["fid"]) for r in merged) == [
        ("a.x", "c1", 4.0),
        ("a.x", "c2", 9.0),
        ("b.x", "c1", 1.0),
    ]


def test_tables_sort_by_the_primary_metric_with_failures_last() -> None:
    rows = [
        _row("a.x", 7.0),
        _row("b.x", None, status="error"),
        _row("c.x", 2.0),
        _row("d.x", 1.0, task="class-conditional"),
    ]
    found = tables(rows)
    assert set(found) == {("toy", "unconditional"), ("toy", "class-conditional")}
    assert list(found[("toy", "unconditional")]["model"]) == ["c.x", "a.x", "b.x"]
    higher = [_row(m, v, higher_is_better=True) for m, v in (("a.x", 0.2), ("b.x", 0.9))]
    assert list(tables(higher)[("toy", "unconditional")]["model"]) == ["b.x", "a.x"]


def test_csv_round_trip_and_publish_merges_with_what_was_published(tmp_path: Path) -> None:
    run = tmp_path / "run"
    store = ResultStore(run)
    store.write(_row("a.x", 3.0, nfe=10))
    store.write(_row("b.x", 5.0, grid="grids/b.png"))
    atomic_write(run / "grids" / "b.png", _png())
    published = tmp_path / "leaderboards"
    write_pages([run], published)
    csv = published / "toy" / "unconditional.csv"
    frame = pd.read_csv(csv)
    assert list(frame["model"]) == ["a.x", "b.x"] and set(frame["schema"]) == {SCHEMA}
    assert (published / "toy" / "grids" / "b.png").is_file()
    page = (published / "toy" / "unconditional.md").read_text()
    assert "![samples of b.x](grids/b.png)" in page and "genbench run --models a.x" in page
    assert (published / "toy" / "unconditional-precision-recall.png").is_file()
    assert (published / "toy" / "unconditional-quality-nfe.png").is_file()
    later = tmp_path / "later"
    ResultStore(later).write(_row("a.x", 8.0, time="2026-02-01T00:00:00+00:00"))
    write_pages([published, later], published)
    merged = pd.read_csv(csv)
    assert list(merged["model"]) == ["b.x", "a.x"] and list(merged["fid"]) == [5.0, 8.0]
    assert len(collect([published])) == 2


def test_publish_replace_drops_the_old_configurations_of_the_models_it_brings(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from genbench.cli import build_cli

    first, retrained, published = tmp_path / "first", tmp_path / "retrained", tmp_path / "pub"
    ResultStore(first).write(_row("a.x", 9.0, config="old-weights", grid="grids/a-old.png"))
    ResultStore(first).write(_row("b.x", 5.0, grid="grids/b.png"))
    ResultStore(retrained).write(_row("a.x", 4.0, config="new-weights", grid="grids/a-new.png"))
    for run, name in ((first, "a-old"), (first, "b"), (retrained, "a-new")):
        atomic_write(run / "grids" / f"{name}.png", _png())

    def publish(*args: str) -> list[tuple[str, float]]:
        result = CliRunner().invoke(build_cli(), ["leaderboard", "publish", *args])
        assert result.exit_code == 0, result.output
        return sorted((r["model"], float(r["fid"])) for r in collect([published]))

    assert publish(str(first), "--to", str(published)) == [("a.x", 9.0), ("b.x", 5.0)]
    merged = [("a.x", 4.0), ("a.x", 9.0), ("b.x", 5.0)]
    assert publish(str(retrained), "--to", str(published)) == merged  # both weights' rows
    replaced = publish(str(retrained), "--to", str(published), "--replace")
    assert replaced == [("a.x", 4.0), ("b.x", 5.0)]
    # the old weights' grid went with their row; the others stay
    assert sorted(p.name for p in (published / "toy" / "grids").iterdir()) == ["a-new.png", "b.png"]


def _png() -> bytes:
    import numpy as np

    return grid_png([np.zeros((1, 4, 4), np.uint8)] * 3)


def test_grid_png_tiles_and_upscales() -> None:
    import io

    import numpy as np
    from PIL import Image

    images = [np.full((3, 8, 8), i * 20, np.uint8) for i in range(10)]
    picture = Image.open(io.BytesIO(grid_png(images, columns=4)))
    assert picture.size == ((4 * 9 + 1) * 8, (3 * 9 + 1) * 8) and picture.mode == "RGB"


def test_other_schema_versions_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "toy" / "unconditional.csv"
    path.parent.mkdir()
    pd.DataFrame([_row("a.x", 1.0, schema="genbench-leaderboard/2")]).to_csv(path, index=False)
    with pytest.raises(genbench.GenbenchError, match="schema genbench-leaderboard/2"):
        collect([tmp_path])


def test_atomic_write_leaves_no_partial_files(tmp_path: Path) -> None:
    target = tmp_path / "out" / "row.json"
    atomic_write(target, b"{}")
    atomic_write(target, json.dumps({"a": 1}).encode())
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in target.parent.iterdir()] == ["row.json"]
    ResultStore(tmp_path).folder.mkdir(parents=True)
    (tmp_path / "results" / ".tmp-x.json.123").write_text("{partial")
    assert ResultStore(tmp_path).rows() == []  # readers skip temporary files


def test_write_tables_writes_one_csv_per_dataset_and_task(tmp_path: Path) -> None:
    written = write_tables([_row("a.x", 1.0), _row("b.x", 2.0, task="class-conditional")], tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "toy/class-conditional.csv",
        "toy/unconditional.csv",
    ]
