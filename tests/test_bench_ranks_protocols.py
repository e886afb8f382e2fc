"""Leaderboards that respect noise and protocol: tied ranks from paired bootstrap replicates,
intervals on the page, and rows of different protocols never ranked in one table."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import genbench
from genbench.bench.leaderboard import collect, protocol_tables, tables, write_tables
from genbench.bench.ranks import format_replicates
from genbench.bench.report import markdown, write_pages
from genbench.bench.store import SCHEMA, ResultStore, atomic_write
from genbench.cli import build_cli

BOOTSTRAP = "200 resamples, 95% intervals, reference seed 0"
# The reference's share of every row's replicates: the same draws for every row.
SHARED = np.random.default_rng(0).normal(0.0, 5.0, 200)


def _row(model: str, fid: float | None, **extra: Any) -> dict[str, Any]:
    own = np.random.default_rng(zlib.crc32(model.encode())).normal(0.0, 0.1, 200)
    row = {
        "model": model,
        "family": model.split(".")[0],
        "dataset": "toy",
        "task": "unconditional",
        "config_id": f"c-{model}",
        "timestamp": "2026-01-01T00:00:00+00:00",
        "status": "ok",
        "error": "",
        "schema": SCHEMA,
        "primary_metric": "fid",
        "higher_is_better": False,
        "fid": fid,
        "images_per_s": 100.0,
        "n_samples": 10,
        "n_reference": 20,
        "seed": 0,
        "seeds": "0",
        "features": "net",
        "features_sha256": "ab" * 32,
        "resize": "none",
        "split": "train",
        "sampling_precision": "fp32",
        "bootstrap": BOOTSTRAP,
        "reproduce": f"genbench run --models {model}",
        "grid": None,
    }
    if fid is not None:
        row.update(
            fid_low=fid - 1.0,
            fid_high=fid + 1.5,
            fid_replicates=format_replicates(fid + 7.0 + SHARED + own),
        )
    row.update(extra)
    return row


def test_models_the_paired_test_cannot_separate_share_a_rank() -> None:
    rows = [
        _row("a.x", 10.0),
        _row("b.x", 10.05),  # 0.05 apart: inside the noise of the difference (0.14 sd)
        _row("c.x", 11.0),  # 1.0 apart: hidden by the shared noise unpaired, plain paired
        _row("d.x", None, status="error", error="boom", n_reference=None),
    ]
    frame = tables(rows)[("toy", "unconditional")]
    assert list(frame["model"]) == ["a.x", "b.x", "c.x", "d.x"]
    assert list(frame["rank"].astype(object).where(frame["rank"].notna(), None)) == [
        1,
        1,
        3,
        None,
    ]
    # without replicates (rows published before the bootstrap), values alone decide
    plain = [
        _row(m, v, fid_replicates=None, bootstrap=None)
        for m, v in (("a.x", 1.0), ("b.x", 2.0), ("c.x", 1.0))
    ]
    assert dict(
        zip(*tables(plain)[("toy", "unconditional")][["model", "rank"]].T.values, strict=True)
    ) == {
        "a.x": 1,
        "c.x": 1,
        "b.x": 3,
    }


def test_the_page_shows_intervals_the_protocol_and_the_method() -> None:
    frame = tables([_row("a.x", 61.3, fid_low=58.9, fid_high=64.0), _row("b.x", 70.0)])[
        ("toy", "unconditional")
    ]
    page = markdown(frame, "toy", "unconditional", {}, [])
    assert "| 61.3 (58.9–64) |" in page
    assert "fid_low" not in page.split("## Models")[0].split("\n| rank")[1].split("\n")[0]
    assert "10 samples per model and sampling seed 0 (fp32) against 20 reference" in page
    assert BOOTSTRAP in page and "paired resample by resample" in page
    several = tables([_row("a.x", 61.3, seeds="0,1,2")])[("toy", "unconditional")]
    assert "for each of the sampling seeds 0,1,2" in markdown(several, "toy", "u", {}, [])


def test_rows_of_different_protocols_are_never_ranked_together(tmp_path: Path) -> None:
    rows = [_row("a.x", 5.0), _row("b.x", 6.0), _row("c.x", 4.0, n_samples=200)]
    with pytest.raises(
        genbench.GenbenchError, match=r"n_samples=10 \(a.x, b.x\); n_samples=200 \(c.x\)"
    ):
        tables(rows)
    apart = protocol_tables(rows)
    assert sorted(len(frame) for frame in apart.values()) == [1, 2]
    assert all(list(frame["rank"]) == list(range(1, len(frame) + 1)) for frame in apart.values())
    names = sorted(p.name for p in write_tables(rows, tmp_path))
    assert len(names) == 2 and all(n.startswith("unconditional--protocol-") for n in names)
    # every field of the protocol separates: the feature net's hash, the seeds, the bootstrap
    for change in ({"features_sha256": "cd" * 32}, {"seeds": "0,1,2"}, {"bootstrap": "none"}):
        with pytest.raises(genbench.GenbenchError, match=next(iter(change))):
            tables([_row("a.x", 5.0), _row("c.x", 4.0, **change)])
    # a failed row (no reference size yet) stays with the protocol it agrees with
    assert len(tables([_row("a.x", 5.0), _row("e.x", None, status="error", n_reference=None)])) == 1


def _publish(*args: str) -> Any:
    return CliRunner().invoke(build_cli(), ["leaderboard", "publish", *args])


def test_publish_refuses_to_mix_protocols_and_show_keeps_them_apart(tmp_path: Path) -> None:
    official, small, published = tmp_path / "official", tmp_path / "small", tmp_path / "pub"
    for name, value in (("a.x", 5.0), ("b.x", 6.0)):
        ResultStore(official).write(_row(name, value, n_samples=360))
    ResultStore(small).write(_row("a.x", 4.0, n_samples=200, config_id="c-small"))
    assert _publish(str(official), "--to", str(published)).exit_code == 0
    before = (published / "toy" / "unconditional.csv").read_bytes()
    result = _publish(str(small), "--to", str(published))
    assert result.exit_code == 2
    assert "n_samples=360 (a.x, b.x); n_samples=200 (a.x)" in result.output
    assert "--to" in result.output and "--replace" in result.output
    assert (published / "toy" / "unconditional.csv").read_bytes() == before  # nothing written
    # --replace drops a.x's published row, but b.x's stays at 360 samples: still refused
    assert _publish(str(small), "--to", str(published), "--replace").exit_code == 2
    shown = CliRunner().invoke(build_cli(), ["leaderboard", "show", str(published), str(small)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.count("toy · unconditional · protocol") == 2
    assert "never ranked together" in shown.output


def test_a_row_shows_its_own_grid_not_its_models_other_rows(tmp_path: Path) -> None:
    run = tmp_path / "run"
    for config in ("first", "second"):
        ResultStore(run).write(
            _row(
                "a.x",
                5.0 if config == "first" else 6.0,
                config_id=config,
                grid=f"grids/{config}.png",
            )
        )
        atomic_write(run / "grids" / f"{config}.png", b"png")
    (page,) = write_pages([run], tmp_path / "pub")
    text = page.read_text()
    first, second = text.split("### a.x")[1:]
    assert "grids/first.png" in first and "grids/second.png" in second
    assert len(collect([tmp_path / "pub"])) == 2


def test_published_rows_keep_their_replicates_through_the_csv(tmp_path: Path) -> None:
    run = tmp_path / "run"
    for name, value in (("a.x", 10.0), ("b.x", 10.05), ("c.x", 11.0)):
        ResultStore(run).write(_row(name, value))
    write_pages([run], tmp_path / "pub")
    frame = pd.read_csv(tmp_path / "pub" / "toy" / "unconditional.csv")
    assert list(frame["rank"]) == [1, 1, 3]
    again = tables(collect([tmp_path / "pub"]))[("toy", "unconditional")]
    assert list(again["rank"]) == [1, 1, 3]


def test_the_sanity_table_beside_the_leaderboards_is_not_read_as_one(tmp_path: Path) -> None:
    run, published = tmp_path / "run", tmp_path / "pub"
    ResultStore(run).write(_row("a.x", 5.0))
    (published / "sanity").mkdir(parents=True)
    (published / "sanity" / "sanity.csv").write_text("dataset,check\ntoy,blur\n")
    assert _publish(str(run), "--to", str(published)).exit_code == 0
    assert _publish(str(run), "--to", str(published)).exit_code == 0  # merged with itself
    assert [r["model"] for r in collect([published])] == ["a.x"]
