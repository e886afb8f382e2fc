"""``genbench run --models 'diffusers.*'`` end to end: the tiny pipelines of every task are
sampled, scored and written as leaderboard rows, the CLIP score on the run's own prompts."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import tiny_pipelines
import torch
from genbench_diffusers.clip_score import CLIP_ENV, ClipScorer, clip_score_from_cosines
from genbench_diffusers.config import PipelineEntry, write_entries
from genbench_diffusers.plugin import load_generator

from genbench import SampleRequest, reset_registry
from genbench.seeding import sample_seeds
from genbench.testing import run_cli

PROMPTS = ["a handwritten zero", "a handwritten seven"]
N = 12


def _on_digits(entries: list[PipelineEntry]) -> list[PipelineEntry]:
    """The tiny pipelines compared with digits: DiT's and SD's 32² RGB become 16² gray."""
    geometry = {"dataset": "digits", "resolution": 16, "channels": 1}
    return [
        dataclasses.replace(
            e, **geometry, num_classes=10 if e.task == "class-conditional" else None, steps=2
        )
        for e in entries
    ]


def test_run_scores_every_diffusers_task(
    tiny_entries: list[PipelineEntry],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = _on_digits(tiny_entries)
    write_entries(entries)
    clip = tiny_pipelines.build_clip(tmp_path / "clip", agreeing=True)
    monkeypatch.setenv(CLIP_ENV, str(clip))
    reset_registry()
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("\n".join(PROMPTS) + "\n")
    out = tmp_path / "run"
    args = ["run", "--models", "diffusers.*", "--n-samples", str(N), "--batch-size", "5"]
    args += ["--prompts", str(prompts), "--out", str(out), "--no-progress"]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output

    rows = {
        r["model"]: r
        for r in map(json.loads, map(Path.read_text, (out / "results").glob("*.json")))
    }
    assert set(rows) == {e.model_name for e in entries}
    assert all(r["status"] == "ok" and r["n_samples"] == N for r in rows.values())
    assert all(r["fid"] > 0 for r in rows.values())
    assert 0 <= rows["diffusers.tiny-dit"]["accuracy"] <= 1
    assert "kid" in rows["diffusers.tiny-ddim"] and "clip_score" not in rows["diffusers.tiny-ddpm"]

    # The CLIP score is that of the run's images with the prompts they were drawn for.
    sd = next(e for e in entries if e.task == "text-to-image")
    with torch.inference_mode():
        images = load_generator(sd, "cpu").sample(
            SampleRequest(
                seeds=sample_seeds(0, range(N)), prompts=[PROMPTS[i % 2] for i in range(N)]
            )
        )
    cosines = ClipScorer(clip).cosines(images.numpy(), [PROMPTS[i % 2] for i in range(N)])
    assert rows[sd.model_name]["clip_score"] == pytest.approx(clip_score_from_cosines(cosines))
    assert rows[sd.model_name]["clip_score"] > 0
    assert "--prompts" in rows[sd.model_name]["reproduce"]
