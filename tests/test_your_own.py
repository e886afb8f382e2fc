"""docs/your-own.md, executed: every ``$ `` command of each section runs as written, through
the CLI, in a scratch folder, and what the page promises of its output is checked."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from genbench.cli import build_cli
from genbench.train.checkpoint import sha256_file

PAGE = Path(__file__).parents[1] / "docs" / "your-own.md"


def _commands(section: str) -> list[str]:
    """The ``$ `` lines of the page's section titled ``section``."""
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    (body,) = [part for part in parts if part.startswith(section + "\n")]
    return [line[2:] for line in body.splitlines() if line.startswith("$ ")]


def _run(command: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """``command`` as a shell would run it: leading ``NAME=value`` words set the environment."""
    words = shlex.split(command)
    while "=" in words[0] and not words[0].startswith("-"):
        name, _, value = words.pop(0).partition("=")
        monkeypatch.setenv(name, value)
    assert words[0] == "genbench", command
    result = CliRunner().invoke(build_cli(), words[1:], catch_exceptions=False)
    assert result.exit_code == 0, f"{command}\n{result.output}"
    return result.output


def _rows(folder: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((folder / "results").glob("*.json"))]


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from genbench.weights import set_overrides

    monkeypatch.chdir(tmp_path)
    set_overrides({})
    yield tmp_path
    set_overrides({})


@pytest.mark.slow
def test_your_checkpoint(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    train, run = _commands("Your checkpoint")
    trained = _run(train, monkeypatch)
    weights = scratch / "runs" / "gan.digits" / "generator.safetensors"
    assert (scratch / "runs" / "gan.digits" / "samples" / "final.png").is_file()
    # train ends by printing the page's command
    assert [line for line in trained.splitlines() if line][-1] == f"benchmark them: {run}"
    _run(run, monkeypatch)
    (row,) = _rows(scratch / "runs" / "latest")
    sha = sha256_file(weights)
    assert row["status"] == "ok", row["error"]
    assert row["model"] == f"gan.digits@{sha[:8]}" and row["weights_sha256"] == sha
    assert f"--weights gan.digits={weights}" in row["reproduce"]


@pytest.fixture
def my_digits(scratch: Path) -> Path:
    """The page's `my-digits/`: 60 test digits as PNGs with labels.csv."""
    CliRunner().invoke(build_cli(), ["datasets", "export", "digits:test", "my-digits", "-n", "60"])
    return scratch / "my-digits"


@pytest.mark.slow
def test_your_data(my_digits: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from genbench.data.user import user_dataset

    (command,) = _commands("Your data")
    _run(command, monkeypatch)
    (row,) = _rows(my_digits.parent / "runs" / "latest")
    assert row["status"] == "ok", row["error"]
    assert row["dataset"] == user_dataset(str(my_digits)).name and row["n_reference"] == 60
    assert f"--dataset {my_digits}" in row["reproduce"]


@pytest.fixture
def stand_in_inception(scratch: Path):
    """The published Inception file cannot be downloaded here: a file of the same layout with
    random weights stands in for it, its sha256 registered in place of the real one's."""
    import dataclasses
    import shutil
    import sys

    from genbench.features.plugin import INCEPTION_WEIGHTS

    sys.path.insert(0, str(Path(__file__).parent))
    from calibration import install_random_inception

    made = install_random_inception(scratch / "torch-home")
    standin = scratch / INCEPTION_WEIGHTS.filename
    shutil.move(made, standin)
    real = dataclasses.asdict(INCEPTION_WEIGHTS)
    object.__setattr__(INCEPTION_WEIGHTS, "sha256", sha256_file(standin))
    object.__setattr__(INCEPTION_WEIGHTS, "size", standin.stat().st_size)
    yield standin
    for key in ("sha256", "size"):
        object.__setattr__(INCEPTION_WEIGHTS, key, real[key])


def test_the_weights_table_is_what_genbench_expects() -> None:
    from genbench.weights import known_weights

    text = PAGE.read_text(encoding="utf-8")
    for name in ("inception-v3-fid", "lpips-alexnet", "lpips-vgg16"):
        spec = known_weights()[name]
        row = f"| {name} | {spec.filename} | {spec.size} | {spec.sha256} | {spec.urls[0]} |"
        assert row in text


@pytest.mark.slow
def test_your_feature_weights_and_a_local_cifar_archive(
    stand_in_inception: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from genbench.features.plugin import INCEPTION_WEIGHTS
    from genbench.weights import store_path

    (command,) = _commands("Your feature weights")
    assert stand_in_inception.name in command
    _run(command, monkeypatch)
    assert sha256_file(store_path(INCEPTION_WEIGHTS)) == INCEPTION_WEIGHTS.sha256

    # a fake CIFAR-10 archive in the real format, where the page's command looks
    sys.path.insert(0, str(Path(__file__).parent))
    from test_data_cifar import make_batches, write_archive

    from genbench.data import cifar

    home = stand_in_inception.parent / "home"
    (home / "datasets").mkdir(parents=True)
    write_archive(
        home / "datasets", cifar.CIFAR10, make_batches(cifar.CIFAR10, {"train": 2, "test": 3})
    )
    monkeypatch.setenv("HOME", str(home))
    (command,) = _commands("A local CIFAR-10 archive")
    report = json.loads(_run(command, monkeypatch).strip().splitlines()[-1])
    assert (report["n_real"], report["n_fake"]) == (10, 3)
    assert report["features"] == "inception-v3-fid" and "warnings" not in report
    assert report["features_sha256"] == INCEPTION_WEIGHTS.sha256


def test_scores_that_say_what_made_them(my_digits: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from genbench import __version__
    from genbench.features.plugin import DIGITS_CNN

    (command,) = _commands("Scores that say what made them")
    report = json.loads(_run(command, monkeypatch).strip().splitlines()[-1])
    assert report["features"] == "digits-cnn" and report["resize"] == "bilinear"
    assert DIGITS_CNN.weights is not None
    assert report["features_sha256"] == DIGITS_CNN.weights.sha256
    assert report["n_fake"] == 60 and report["genbench_version"] == __version__
    assert {"fid", "n_real"} <= set(report)


def test_every_section_is_one_command() -> None:
    """The five paths, one command each (the checkpoint's is preceded by the training that
    makes one)."""
    sections = {
        "Your data": 1,
        "Your feature weights": 1,
        "A local CIFAR-10 archive": 1,
        "Scores that say what made them": 1,
        "Your checkpoint": 2,
    }
    assert {name: len(_commands(name)) for name in sections} == sections
