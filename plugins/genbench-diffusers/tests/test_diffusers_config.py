"""The config file: entries, known hub ids, errors naming the file, cheap registration,
and ``genbench diffusers add/list/remove``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from genbench_diffusers.config import PipelineEntry, config_path, read_entries, write_entries

from genbench import GenbenchError, get_registry
from genbench.testing import run_cli


def _write(text: str) -> Path:
    path = config_path()
    path.write_text(text)
    return path


def test_entries_round_trip_through_the_file(tiny_entries: list[PipelineEntry]) -> None:
    write_entries(tiny_entries)
    assert read_entries() == tiny_entries


def test_a_known_hub_id_needs_no_other_key() -> None:
    _write('[models."cifar-ddim"]\nsource = "google/ddpm-cifar10-32"\nsteps = 50\n')
    (entry,) = read_entries()
    assert (entry.task, entry.dataset, entry.resolution, entry.channels) == (
        "unconditional",
        "cifar10",
        32,
        3,
    )
    assert entry.model_name == "diffusers.cifar-ddim"
    assert entry.pipeline_options() == {"num_inference_steps": 50}


def test_no_file_means_no_models() -> None:
    assert read_entries() == []
    assert not [m for m in get_registry().models.names() if m.startswith("diffusers.")]
    assert "clip-score" in get_registry().metrics


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[models.a]\nsource = "x/y"\ntask = "unconditional"\n', "missing dataset, resolution"),
        ('[models.a]\nsource = "google/ddpm-cifar10-32"\ncolour = 1\n', "unknown key(s) colour"),
        ('[models.a]\nsource = "google/ddpm-cifar10-32"\nsteps = "many"\n', "must be of type int"),
        ('[models.a]\nsource = "google/ddpm-cifar10-32"\ntask = "video"\n', "task 'video'"),
        (
            '[models.a]\nsource = "facebook/DiT-XL-2-256"\nnum_classes = true\n',
            "must be of type int",
        ),
        ("[models.a\n", "cannot read the diffusers config"),
        ('[pipelines.a]\nsource = "x"\n', "unknown table(s) pipelines"),
    ],
)
def test_bad_config_names_the_file_and_the_key(text: str, message: str) -> None:
    path = _write(text)
    with pytest.raises(GenbenchError, match=re.escape(message)) as caught:
        read_entries()
    assert str(path) in str(caught.value)


def test_a_bad_entry_is_reported_and_the_good_ones_stay_registered() -> None:
    _write(
        '[models.good]\nsource = "google/ddpm-cifar10-32"\n\n'
        '[models.bad]\nsource = "google/ddpm-cifar10-32"\nchannels = 2\n\n'
        '[models.worse]\nsource = "x/y"\n'
    )
    registry = get_registry()
    assert "diffusers.good" in registry.models and "diffusers.bad" not in registry.models
    error = registry.plugins["genbench-diffusers"].errors[0]["error"]
    assert "'bad'" in error and "channels" in error and "[models.worse]" in error


def test_registration_imports_neither_torch_nor_diffusers(tmp_path: Path) -> None:
    _write('[models.cifar]\nsource = "google/ddpm-cifar10-32"\n')
    code = (
        "import sys, genbench\n"
        "registry = genbench.get_registry()\n"
        "assert 'diffusers.cifar' in registry.models, registry.models.names()\n"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "GENBENCH_LOAD_PLUGINS": "genbench-diffusers"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _cli(*args: str) -> str:
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return result.output


def test_add_infers_the_task_and_the_dataset_geometry(pipeline_dirs: dict[str, Path]) -> None:
    _cli(
        "diffusers", "add", "dit", str(pipeline_dirs["dit"]), "--dataset", "shapes", "--steps", "2"
    )
    _cli("diffusers", "add", "sd", str(pipeline_dirs["stable_diffusion"]), "--dataset", "shapes")
    _cli(
        "diffusers",
        "add",
        "ddim",
        str(pipeline_dirs["ddpm"]),
        "--dataset",
        "digits",
        "--pipeline",
        "DDIMPipeline",
        "--eta",
        "0.5",
    )
    _cli("diffusers", "add", "cifar", "google/ddpm-cifar10-32")
    entries = {e.name: e for e in read_entries()}
    dit, sd, ddim = entries["dit"], entries["sd"], entries["ddim"]
    assert (dit.task, dit.resolution, dit.channels, dit.num_classes, dit.steps) == (
        "class-conditional",
        32,
        3,
        9,
        2,
    )
    assert (sd.task, sd.num_classes) == ("text-to-image", None)
    assert (ddim.task, ddim.resolution, ddim.channels, ddim.eta) == ("unconditional", 16, 1, 0.5)
    assert entries["cifar"].dataset == "cifar10"
    listing = _cli("diffusers", "list")
    assert str(config_path()) in listing and "diffusers.ddim  unconditional  digits" in listing
    _cli("diffusers", "remove", "dit")
    assert "dit" not in {e.name for e in read_entries()}


def test_add_refuses_a_duplicate_and_a_missing_directory(pipeline_dirs: dict[str, Path]) -> None:
    _cli("diffusers", "add", "ddpm", str(pipeline_dirs["ddpm"]), "--dataset", "digits")
    again = run_cli("diffusers", "add", "ddpm", str(pipeline_dirs["ddpm"]), "--dataset", "digits")
    assert again.exit_code == 2 and "--force" in again.output
    missing = run_cli("diffusers", "add", "x", "./nowhere", "--dataset", "digits")
    assert missing.exit_code == 2 and "no such directory" in missing.output


def test_run_with_model_path_benchmarks_a_pipeline_without_keeping_it(
    pipeline_dirs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "run"
    _cli(
        "diffusers", "run", "--model-path", str(pipeline_dirs["ddpm"]), "--name", "once",
        "--dataset", "digits", "--steps", "2",
        "--n-samples", "6", "--metrics", "fid", "--out", str(out), "--no-progress",
    )  # fmt: skip
    (row,) = [json.loads(p.read_text()) for p in (out / "results").glob("*.json")]
    assert (row["model"], row["status"], row["n_samples"]) == ("diffusers.once", "ok", 6)
    assert row["fid"] > 0
    assert read_entries() == [] and os.environ["GENBENCH_DIFFUSERS_CONFIG"] == str(config_path())
