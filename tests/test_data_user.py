"""``genbench run --dataset PATH``: a user's folder, zip or npz as the reference set."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from genbench.cli import build_cli
from genbench.data.user import user_dataset


def _cli(*args: str) -> str:
    result = CliRunner().invoke(build_cli(), list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 test digits as PNGs with labels.csv, as `genbench datasets export` writes them."""
    path = tmp_path_factory.mktemp("user") / "my-digits"
    _cli("datasets", "export", "digits:test", str(path), "-n", "60")
    return path


def _forms(folder: Path, tmp_path: Path) -> dict[str, Path]:
    archive = shutil.make_archive(str(tmp_path / "my-digits"), "zip", folder)
    array = tmp_path / "my-digits.npz"
    _cli("datasets", "export", "digits:test", str(array), "-n", "60")
    return {"folder": folder, "zip": Path(archive), "npz": array}


@pytest.mark.parametrize("form", ["folder", "zip", "npz"])
def test_an_image_set_is_a_dataset_read_from_its_images(folder: Path, tmp_path: Path, form):
    spec = user_dataset(str(_forms(folder, tmp_path)[form]))
    assert (spec.channels, spec.resolution, spec.splits) == (1, 16, {"train": 60})
    # open_images reads labels.csv in a folder and labels in an npz, not inside a zip
    if form == "zip":
        assert spec.num_classes is None and spec.tasks == ("unconditional",)
    else:
        assert spec.num_classes == 10 and "class-conditional" in spec.tasks
    assert spec.name.startswith("my-digits-")


def test_the_name_follows_the_content(folder: Path, tmp_path: Path) -> None:
    """Same images, same name (the cached features are reused); one changed image, another."""
    copy = tmp_path / "my-digits"
    shutil.copytree(folder, copy)
    assert user_dataset(str(copy)).name == user_dataset(str(folder)).name
    first = sorted(copy.glob("*.png"))[0]
    shutil.copyfile(sorted(copy.glob("*.png"))[1], first)
    user_dataset.cache_clear()
    assert user_dataset(str(copy)).name != user_dataset(str(folder)).name


def test_run_scores_against_the_folder_and_caches_its_features(folder: Path, tmp_path: Path):
    from genbench.home import subdir

    args = ["run", "--models", "gan.digits", "--dataset", str(folder), "--features", "digits-cnn"]
    args += ["--metrics", "fid", "--bootstrap", "0", "--no-progress"]
    _cli(*args, "--out", str(tmp_path / "a"))
    (row_file,) = (tmp_path / "a" / "results").glob("*.json")
    row = json.loads(row_file.read_text())
    name = user_dataset(str(folder)).name
    assert row["status"] == "ok" and row["dataset"] == name and row["n_samples"] == 60
    assert f"--dataset {folder}" in row["reproduce"]
    cached = sorted((subdir("features") / name).iterdir())
    assert cached
    _cli(*args, "--out", str(tmp_path / "b"), "--isolate")
    (again,) = (tmp_path / "b" / "results").glob("*.json")
    # the isolated worker samples at torch's default thread count, this process at whatever
    # an earlier test left: matrix products may differ in the last bits (1e-12 relative seen)
    assert json.loads(again.read_text())["fid"] == pytest.approx(row["fid"], rel=1e-9)
    assert sorted((subdir("features") / name).iterdir()) == cached  # reused, not recomputed


def test_a_model_of_other_images_is_refused(folder: Path) -> None:
    args = ["run", "--models", "baseline.oracle-shapes", "--dataset", str(folder)]
    result = CliRunner().invoke(build_cli(), args)
    assert result.exit_code == 2
    assert "makes 3×32² images but dataset 'my-digits-" in result.output


def test_score_caches_a_reference_image_set_by_content(folder: Path, tmp_path: Path) -> None:
    from genbench.home import subdir

    args = ["score", str(folder), "digits:test", "--features", "digits-cnn", "--json"]
    first = _cli(*args)
    name = user_dataset(str(folder)).name
    cached = sorted((subdir("features") / name).iterdir())
    assert len(cached) == 1
    assert _cli(*args) == first and sorted((subdir("features") / name).iterdir()) == cached
