"""The harness side of trust in the numbers: several seeds per row, bootstrap intervals in
the row, configuration ids that cover the prompts' content, and text-to-image models
without prompts skipped unless named."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import genbench
from genbench.bench.config import RunConfig
from genbench.bench.plan import make_plan
from genbench.registry import PluginRecord

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import cli, install_tiny, rows

NOISE = "baseline.noise-digits"
OPTIONS = ("--metrics", "fid,prdc", "--n-samples", "40", "--bootstrap", "30")


def _run(tmp_path: Path, name: str, *seeds: str) -> dict:
    out = tmp_path / name
    result = cli("run", "--models", NOISE, *OPTIONS, *seeds, "--out", str(out))
    assert result.exit_code == 0, result.output
    return rows(out)[NOISE]


@pytest.mark.slow
def test_several_seeds_make_one_row_of_means_spreads_and_intervals(tmp_path: Path) -> None:
    combined = _run(tmp_path, "three", "--seeds", "0,1,2")
    single = [_run(tmp_path, f"seed{s}", "--seed", str(s)) for s in range(3)]
    fids = [row["fid"] for row in single]
    assert combined["seeds"] == "0,1,2" and single[1]["seeds"] == "1"
    assert combined["fid"] == pytest.approx(np.mean(fids), rel=1e-12)
    assert combined["fid_seed_sd"] == pytest.approx(np.std(fids, ddof=1), rel=1e-9)
    assert combined["precision"] == pytest.approx(np.mean([r["precision"] for r in single]))
    for row in (combined, *single):
        for column in ("fid", "precision", "recall", "density", "coverage"):
            assert row[f"{column}_low"] <= row[column] <= row[f"{column}_high"], column
        assert len(row["fid_replicates"].split()) == 30
        assert row["bootstrap"] == "30 resamples, 95% intervals, reference seed 0"
    # the mean of three sets is surer than one set
    width = combined["fid_high"] - combined["fid_low"]
    assert width < min(r["fid_high"] - r["fid_low"] for r in single)
    assert "--seeds 0,1,2" in combined["reproduce"] and "--bootstrap 30" in combined["reproduce"]
    assert len({combined["config_id"], *(r["config_id"] for r in single)}) == 4


def test_without_the_bootstrap_a_row_has_no_intervals(tmp_path: Path) -> None:
    out = tmp_path / "plain"
    args = ("--metrics", "fid", "--n-samples", "30", "--bootstrap", "0", "--out", str(out))
    assert cli("run", "--models", NOISE, *args).exit_code == 0
    row = rows(out)[NOISE]
    assert row["bootstrap"] == "none" and "fid_low" not in row and "fid_replicates" not in row
    assert cli("run", "--models", NOISE, "--seed", "1", "--seeds", "1,2").exit_code == 2
    assert "repeats a seed" in cli("run", "--models", NOISE, "--seeds", "1,1").output


@pytest.fixture
def env(install_plugin, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    return install_tiny(install_plugin, monkeypatch, tmp_path)


def test_the_configuration_id_covers_the_prompts_content(env, tmp_path: Path) -> None:
    registry = genbench.get_registry()

    def config_id(path: Path, text: str) -> str:
        path.write_text(text)
        (job,) = make_plan(RunConfig(models="tiny.text", prompts=str(path)), registry).jobs
        return job.config_id

    first = config_id(tmp_path / "prompts.txt", "a red square\n")
    assert config_id(tmp_path / "prompts.txt", "a blue circle\n") != first  # same name
    assert config_id(tmp_path / "copy.txt", "a red square\n") == first  # same content


def test_a_text_to_image_model_without_prompts_is_skipped_unless_named(env) -> None:
    registry = genbench.get_registry()
    captionless = genbench.DatasetSpec(
        name="mute",
        tasks=("text-to-image",),
        resolution=8,
        channels=1,
        splits={"train": 10, "test": 4},
        load=lambda split: None,
        default_features="tiny-pool",
        fields=("image",),
    )
    record = PluginRecord("test", "1.0", "test")
    registry.add("dataset", captionless, record)
    text = registry.models.get("tiny.text")
    registry.add(
        "model",
        genbench.ModelSpec(**{**_fields(text), "name": "mute.text", "dataset": "mute"}),
        record,
    )
    plan = make_plan(RunConfig(models="all"), registry)
    assert "mute.text" not in [j.model.name for j in plan.jobs]
    assert any("skipped mute.text" in note and "needs prompts" in note for note in plan.notes)
    with pytest.raises(genbench.GenbenchError, match=r"'mute\.text'.*needs prompts"):
        make_plan(RunConfig(models="mute.text"), registry)


def _fields(spec: genbench.ModelSpec) -> dict:
    import dataclasses

    return {
        f.name: getattr(spec, f.name)
        for f in dataclasses.fields(spec)
        if f.init and f.name not in ("plugin", "plugin_version")
    }
