"""A plugin cannot end, hang or silently bend ``genbench run`` (issue #20, items 1, 4, 5):
tiny models that exit, hang, swallow the stop, press Ctrl-C or draw noise per batch. A
worker killed for hanging under ``--isolate``: ``test_bench_run.py``, with the crashed one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import cli, install_tiny, rows


@pytest.fixture
def env(install_plugin, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    return install_tiny(install_plugin, monkeypatch, tmp_path)


def _run(out: Path, models: str, *options: str):  # type: ignore[no-untyped-def]
    return cli("run", "--models", models, "--metrics", "tiny-mean", "--out", str(out), *options)


def test_a_plugin_that_exits_is_an_error_row_and_the_run_goes_on(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = _run(out, "exit.load,exit.sample,tiny.good")
    assert result.exit_code == 1, result.output
    found = rows(out)
    assert found["tiny.good"]["status"] == "ok"
    assert "load failed: SystemExit: the tiny plugin ends" in found["exit.load"]["error"]
    assert "'exit.sample'" in found["exit.sample"]["error"]
    assert "sampling failed: SystemExit: 0" in found["exit.sample"]["error"]
    assert "2 model(s) failed: exit.load, exit.sample" in result.output


def test_a_model_without_progress_times_out_and_the_run_goes_on(
    env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TINY_ALLOW_HANG", "1")
    monkeypatch.setenv("GENBENCH_TIMEOUT", "1")
    out = tmp_path / "run"
    result = _run(out, "hang.sample,hang.swallowed,tiny.good")
    assert result.exit_code == 1, result.output
    found = rows(out)
    assert found["tiny.good"]["status"] == "ok"
    for model in ("hang.sample", "hang.swallowed"):  # the second caught the stop and went on
        error = found[model]["error"]
        assert f"'{model}'" in error and "sampling timed out: no progress" in error, error
        assert "for 1 s (--timeout)" in error
        assert found[model]["wall_s"] < 30


def test_ctrl_c_stops_the_run_keeping_finished_rows(
    env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TINY_ALLOW_INTERRUPT", "1")
    out = tmp_path / "run"
    result = _run(out, "tiny.good,user.interrupt")
    assert result.exit_code == 1 and "Aborted!" in result.output, result.output
    found = rows(out)
    assert set(found) == {"tiny.good"} and found["tiny.good"]["status"] == "ok"


def test_samples_that_depend_on_the_batch_are_flagged(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = _run(out, "batchy.noise,tiny.good,tiny.cond,tiny.pix", "--batch-size", "16")
    assert result.exit_code == 0, result.output
    found = rows(out)
    assert all(found[m]["warnings"] == "" for m in ("tiny.good", "tiny.cond", "tiny.pix"))
    flagged = found["batchy.noise"]
    assert flagged["status"] == "ok"
    assert "seed contract: samples 39, 26, 13, 0 drawn again" in flagged["warnings"]
    assert "batchy.noise:" in result.output and "see the 'warnings' column" in result.output


def test_a_sample_count_that_cannot_fit_is_refused_before_any_work(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = _run(out, "tiny.good", "--n-samples", "1000000000000")
    assert result.exit_code == 2, result.output
    assert "--n-samples 1000000000000: the tiny-pool features of that many samples" in (
        result.output
    )
    assert "lower --n-samples" in result.output and not (out / "results").exists()
