"""``genbench run`` end to end on the tiny plugin: rows, isolation of broken models, exit
codes, durable results and --resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import PYTHON, cli, install_tiny, rows, run_process

GOOD = "tiny.good,tiny.cond,tiny.pix,tiny.cycle,tiny.text"
METRICS = "tiny-mean,tiny-acc,tiny-pixel,tiny-prompt,tiny-nn"


@pytest.fixture
def env(install_plugin, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    return install_tiny(install_plugin, monkeypatch, tmp_path)


def test_good_models_get_rows_leaderboards_and_pages(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = cli(
        "run", "--models", GOOD, "--metrics", METRICS, "--out", str(out), "--batch-size", "16"
    )
    assert result.exit_code == 0, result.output
    assert "plan: 5 model(s) in 2 group(s)" in result.output  # domain_b is its own reference
    assert "tiny · reference train[domain_b]" in result.output
    found = rows(out)
    assert set(found) == set(GOOD.split(","))
    assert all(r["status"] == "ok" and r["error"] == "" for r in found.values())
    assert found["tiny.cond"]["tiny_acc"] == 1.0  # the square sits in the requested corner
    assert found["tiny.pix"]["tiny_l1"] < 10  # the output inverts its input, as the target does
    assert found["tiny.cycle"]["tiny_l1"] < 30  # copying the input would be ~150 away
    assert found["tiny.text"]["tiny_prompt"] == 1.0  # each image drew the corner it was asked
    assert "tiny_acc" not in found["tiny.good"]
    assert found["tiny.good"]["nfe"] == 1  # ModelSpec.info becomes columns
    assert found["tiny.good"]["n_reference"] == 160 and found["tiny.good"]["images_per_s"] > 0
    frame = pd.read_csv(out / "leaderboards" / "tiny" / "class-conditional.csv")
    assert list(frame["model"]) == ["tiny.cond"] and frame["schema"][0] == "genbench-leaderboard/1"
    shown = cli("leaderboard", "show", str(out))
    assert shown.exit_code == 0 and "tiny · class-conditional" in shown.output
    assert "tiny.cond" in shown.output and "tiny_acc" in shown.output
    published = tmp_path / "published"
    assert cli("leaderboard", "publish", str(out), "--to", str(published)).exit_code == 0
    assert len(pd.read_csv(published / "tiny" / "unconditional.csv")) == 1
    assert cli("leaderboard", "render", str(out)).exit_code == 0
    page = (out / "leaderboards" / "tiny" / "unconditional.md").read_text()
    assert "grids/tiny.good--" in page and "genbench run --models tiny.good" in page
    assert (out / "leaderboards" / "tiny" / "unconditional-quality-nfe.png").is_file()
    timings = json.loads((out / "timings.json").read_text())
    assert {"planning", "reference", "sampling", "features", "metrics", "writing"} <= set(timings)


def test_broken_models_become_error_rows_and_the_rest_go_on(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = cli(
        "run", "--models", "tiny.good,broken.*", "--metrics", "tiny-mean", "--out", str(out)
    )
    assert result.exit_code == 1, result.output
    found = rows(out)
    assert found["tiny.good"]["status"] == "ok"
    expected = {
        "broken.load-error": "load failed: FileNotFoundError",
        "broken.sample-error": "sampling failed: RuntimeError: the tiny generator broke",
        "broken.float": "dtype torch.float32",
        "broken.unit-range": "every pixel is 0 or 1",
        "broken.shape": "returned shape (40, 1, 4, 8)",
        "broken.channels": "returned shape (40, 3, 8, 8)",
        "broken.nan": "single flat colour",
        "broken.constant": "all 40 samples are identical",
    }
    for model, message in expected.items():
        row = found[model]
        assert row["status"] == "error", model
        assert (
            message in row["error"]
            and f"'{model}'" in row["error"]
            and "genbench-tiny" in row["error"]
        )
    frame = pd.read_csv(out / "leaderboards" / "tiny" / "unconditional.csv")
    assert frame["model"].iloc[0] == "tiny.good"  # failed rows sort last
    assert "8 model(s) failed" in result.output


def test_a_broken_metric_is_an_error_row_that_keeps_the_other_values(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = cli(
        "run", "--models", "tiny.good", "--metrics", "tiny-mean,tiny-broken", "--out", str(out)
    )
    assert result.exit_code == 1
    row = rows(out)["tiny.good"]
    assert row["status"] == "error" and "metric 'tiny-broken'" in row["error"]
    assert row["tiny_mean"] is not None


def test_mixed_precision_sampling_is_its_own_configuration(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    for precision in ("fp32", "bf16"):
        args = ("--models", "tiny.good", "--metrics", "tiny-mean", "--precision", precision)
        assert cli("run", *args, "--out", str(out)).exit_code == 0
    found = [json.loads(p.read_text()) for p in (out / "results").glob("*.json")]
    assert sorted(r["sampling_precision"] for r in found) == ["bf16", "fp32"]
    assert len({r["config_id"] for r in found}) == 2


def test_plan_problems_stop_the_run_before_any_work(env, tmp_path: Path) -> None:
    result = cli(
        "run",
        "--models",
        "tiny.good,nope.*",
        "--metrics",
        "tiny-mean,tiny-nope",
        "--out",
        str(tmp_path / "run"),
    )
    assert result.exit_code == 2
    assert (
        "no model matches 'nope.*'" in result.output
        and "no metric matches 'tiny-nope'" in result.output
    )
    assert not (tmp_path / "run").exists()
    result = cli(
        "run", "--models", "tiny.good", "--metrics", "tiny-acc", "--out", str(tmp_path / "run")
    )
    assert result.exit_code == 2 and "metric 'tiny-acc' applies to none" in result.output


def test_resume_skips_finished_rows_and_retries_failed_ones(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = [
        "run",
        "--models",
        "tiny.good,tiny.cond,broken.sample-error",
        "--metrics",
        "tiny-mean",
        "--out",
        str(out),
    ]
    assert cli(*args).exit_code == 1
    before = {m: r["timestamp"] for m, r in rows(out).items()}
    mtimes = {p.name: p.stat().st_mtime_ns for p in (out / "results").glob("*.json")}
    time.sleep(1.1)
    result = cli(*args, "--resume")
    assert result.exit_code == 1
    assert "tiny.good: finished in an earlier run (--resume), skipped" in result.output
    after = rows(out)
    assert after["tiny.good"]["timestamp"] == before["tiny.good"]
    assert after["broken.sample-error"]["timestamp"] != before["broken.sample-error"]
    unchanged = [n for n, t in mtimes.items() if (out / "results" / n).stat().st_mtime_ns == t]
    assert sorted(unchanged) == sorted(n for n in mtimes if not n.startswith("broken"))


@pytest.mark.parametrize(
    ("model", "allow", "options", "expected"),
    [
        ("crash.kill", "TINY_ALLOW_CRASH", (), "killed by SIGKILL"),
        pytest.param(  # three processes import torch: about 15 s on two shared cores
            "hang.sample",
            "TINY_ALLOW_HANG",
            ("--timeout", "2"),
            "timed out: no progress (a loaded model or a sampled batch) for 2 s (--timeout); "
            "raise --timeout for a model this slow, or look for the call that hangs; "
            "the isolated worker was killed",
            marks=pytest.mark.slow,
        ),
    ],
)
def test_isolate_survives_a_killed_or_hung_model(
    env, tmp_path: Path, model: str, allow: str, options: tuple[str, ...], expected: str
) -> None:
    out = tmp_path / "run"
    proc = run_process(
        {**env, allow: "1"},
        *("run", "--models", f"tiny.good,{model}", "--metrics", "tiny-mean"),
        *("--out", str(out), "--isolate", *options),
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = rows(out)
    assert found["tiny.good"]["status"] == "ok"
    assert expected in found[model]["error"] and f"'{model}'" in found[model]["error"]


def test_sigkill_leaves_valid_files_and_resume_finishes(env, tmp_path: Path) -> None:
    out = tmp_path / "run"
    models = "tiny.good,tiny.cond,tiny.pix,broken.constant"
    command = [
        PYTHON,
        "-m",
        "genbench",
        "run",
        "--models",
        models,
        "--metrics",
        "tiny-mean",
        "--out",
        str(out),
        "--no-progress",
        "--n-samples",
        "600",
        "--batch-size",
        "1",
    ]
    proc = subprocess.Popen(
        command, env={**env, "TINY_SLOW": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + 120
    while time.time() < deadline and not list((out / "results").glob("*.json")):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = rows(out)  # every file parses
    assert 1 <= len(finished) < 4
    for csv in (out / "leaderboards").rglob("*.csv"):
        assert len(pd.read_csv(csv)) >= 1
    done = {m: r["timestamp"] for m, r in finished.items()}
    resumed = subprocess.run(
        [*command, "--resume"], env=env, capture_output=True, text=True, timeout=240
    )
    assert resumed.returncode == 1, resumed.stderr  # broken.constant fails, as it should
    final = rows(out)
    assert set(final) == set(models.split(","))
    assert all(final[m]["timestamp"] == t for m, t in done.items() if final[m]["status"] == "ok")


def test_run_needs_no_test_framework(env, tmp_path: Path) -> None:
    """The README's main command runs where only the runtime dependencies are installed."""
    out = tmp_path / "run"
    blocked = (
        "import sys; sys.modules['pytest'] = None; from genbench.cli import main; main(["
        f"'run', '--models', 'tiny.good', '--metrics', 'tiny-mean', '--out', {str(out)!r},"
        " '--no-progress'])"
    )
    proc = subprocess.run(
        [PYTHON, "-c", blocked], env=env, capture_output=True, text=True, timeout=240
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert rows(out)["tiny.good"]["status"] == "ok"
