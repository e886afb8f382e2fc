"""``genbench leaderboard verify``: published rows rerun from their recorded commands, every
value compared with a tolerance that passes cross-CPU rounding and catches real changes."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import genbench
from genbench.bench.leaderboard import published_csvs
from genbench.bench.verify import RELATIVE, commands, compare, within

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import PUBLISHED, cli, install_tiny


def test_the_tolerance_passes_cross_cpu_rounding_and_catches_one_sample() -> None:
    assert within(143.9, 143.9 * (1 + 1.2e-5))  # IS across CPU vendors, the largest seen
    assert within(-78.59, -78.59 * (1 - 7e-6))  # KID can be negative
    assert within(0.0, 1e-12)  # a replayed set's memorization
    assert not within(0.9667, 0.9667 - 1 / 360)  # precision with one sample of 360 changed
    assert not within(31.64, 31.64 * (1 + 4.5e-4))  # the least one such sample moved FID
    assert not within(2.0, 2.0 * (1 + 2 * RELATIVE))


def test_rows_with_the_same_options_are_rerun_together() -> None:
    def row(model: str, seed: int) -> dict[str, str]:
        return {"model": model, "reproduce": f"genbench run --models {model} --seed {seed}"}

    grouped = commands([row("a.x", 0), row("b.x", 0), row("c.x", 1)])
    assert grouped == {("--seed", "0"): ["a.x", "b.x"], ("--seed", "1"): ["c.x"]}
    with pytest.raises(genbench.GenbenchError, match="records no `genbench run` command"):
        commands([{"model": "a.x", "reproduce": "python make_it.py"}])


def test_compare_reports_what_moved_went_missing_or_failed() -> None:
    published = {"model": "a.x", "config_id": "c", "fid": 10.0, "recall": 0.5, "sampler": "ddim"}
    same = compare(published, {**published, "status": "ok", "fid": 10.0 * (1 + 1e-6)})
    assert same.ok and same.compared == 3 and same.largest[1] == "fid"
    moved = compare(published, {**published, "status": "ok", "fid": 10.5, "sampler": "ddpm"})
    assert not moved.ok and "fid 10 → 10.5 (4.8e-02 relative)" in moved.describe()
    assert "sampler 'ddim' → 'ddpm'" in moved.describe()
    missing = compare(published, {**published, "status": "ok", "recall": None})
    assert "recall 0.5 → missing" in missing.describe()
    failed = compare(published, {**published, "status": "error", "error": "boom"})
    assert "the rerun failed: boom" in failed.describe()
    assert "no new row" in compare(published, None).describe()
    renamed = compare(published, {**published, "status": "ok", "config_id": "d", "new": 1.0})
    assert renamed.ok and len(renamed.notes) == 2  # a new id and a new column: said, not failed


@pytest.fixture
def env(install_plugin, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    return install_tiny(install_plugin, monkeypatch, tmp_path)


def test_verify_reruns_published_rows_and_exits_1_when_one_moved(env, tmp_path: Path) -> None:
    run, published = tmp_path / "run", tmp_path / "published"
    options = ("--metrics", "tiny-mean,tiny-acc", "--out", str(run))
    assert cli("run", "--models", "tiny.good,tiny.cond", *options).exit_code == 0
    assert cli("leaderboard", "publish", str(run), "--to", str(published)).exit_code == 0
    (published / "sanity.csv").write_text("check,passed\nblur,True\n")  # not a leaderboard
    result = cli("leaderboard", "verify", str(published))
    assert result.exit_code == 0, result.output
    assert "all 2 row(s) reproduced" in result.output
    assert "tiny.cond: ok, 3 values within tolerance" in result.output

    csv = published / "tiny" / "unconditional.csv"
    frame = pd.read_csv(csv)
    frame.loc[0, "tiny_mean"] *= 1 + 1e-3
    frame.to_csv(csv, index=False)
    result = cli("leaderboard", "verify", str(published), "--models", "tiny.*")
    assert result.exit_code == 1
    assert "tiny.good: MOVED tiny_mean" in result.output and "tiny.cond: ok" in result.output

    frame.loc[0, "tiny_mean"] *= 1 - 1e-3  # back within 1e-6 of the truth
    frame.to_csv(csv, index=False)
    assert cli("leaderboard", "verify", str(published), "--models", "tiny.good").exit_code == 0
    wrong = cli("leaderboard", "verify", str(published), "--models", "gan.*")
    assert wrong.exit_code == 2 and "matches no published row" in wrong.output


def _fastest_per_family() -> list[str]:
    """The published row of each family that samples fastest (whatever is published)."""
    frame = pd.concat([pd.read_csv(p) for p in published_csvs([PUBLISHED])])
    frame = frame[frame["status"] == "ok"].sort_values("images_per_s", ascending=False)
    return list(frame.groupby("family").head(1)["model"])


@pytest.mark.slow
def test_published_rows_of_every_family_reproduce() -> None:
    """What a fresh clone checks: the fastest row of each family (about 20 s on 2 cores)."""
    models = _fastest_per_family()
    assert len(models) >= 5
    result = cli("leaderboard", "verify", str(PUBLISHED), "--models", ",".join(models))
    assert result.exit_code == 0, result.output
    assert f"all {len(models)} row(s) reproduced" in result.output
