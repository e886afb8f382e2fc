"""Issue #20, item 3: every fault a user can cause is one line `error: ...` with exit status 2,
never a traceback, and whatever is left on disk is whole. Each case failed before with a
traceback, "Aborted!" or a silent success (docs/faults.md lists them)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))  # the fault tests' helpers (importlib mode)
from fault_places import leftovers, place  # noqa: F401  # `place` is a fixture

import genbench
from genbench.bench.store import SCHEMA, ResultStore
from genbench.cli import build_cli

DIGITS = ("--features", "digits-cnn", "--no-progress")


def genbench_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), list(args), env=env)
    return result.exit_code, result.output


def refused(*args: str, env: dict[str, str] | None = None) -> str:
    """The error of a command that must be refused: exit status 2, one line, no traceback."""
    code, output = genbench_cli(*args, env=env)
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    assert code == 2 and len(errors) == 1, output
    assert "Traceback" not in output and "Aborted" not in output
    return errors[0]


@pytest.fixture
def images(tmp_path: Path) -> Path:
    """A folder of 20 grey 16×16 PNGs."""
    folder = tmp_path / "images"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(20):
        Image.fromarray(rng.integers(0, 256, (16, 16), dtype=np.uint8)).save(folder / f"{i}.png")
    return folder


@pytest.fixture
def no_extraction(monkeypatch):
    """Fail the test if `score` reads any features before refusing its options."""

    def extracted(*args, **kwargs):
        raise AssertionError("features were extracted before the options were checked")

    monkeypatch.setattr("genbench.cli.score.load_set", extracted)


# --- score: damaged arrays, devices, --save-stats --------------------------------------------


def _npz(path: Path) -> bytes:
    np.savez(path, images=np.zeros((4, 16, 16), np.uint8))
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.npz", lambda tmp: b"", "is empty (0 bytes)"),  # printed "Aborted!"
        ("text.npz", lambda tmp: b"not a zip at all", "neither a .npy nor a .npz"),
        ("cut.npz", lambda tmp: _npz(tmp / "whole.npz")[:300], "damaged or cut short"),
        ("cut.npy", lambda tmp: b"\x93NUMPY\x01\x00v\x00{'descr': '|u1'", "damaged or cut"),
    ],
)
def test_damaged_arrays_are_named(tmp_path, images, no_extraction, name, content, says):
    bad = tmp_path / name
    bad.write_bytes(content(tmp_path))
    line = refused("score", str(images), str(bad), *DIGITS)
    assert str(bad) in line and says in line


@pytest.mark.parametrize("shape", [(16, 16, 1), (16, 16, 3), (5, 3, 16, 1)])
def test_arrays_that_read_two_ways_are_refused(tmp_path, images, no_extraction, shape):
    # (16, 16, 1) was read as 16 images of 16×1
    array = tmp_path / "one.npy"
    np.save(array, np.zeros(shape, np.uint8))
    line = refused("score", str(images), str(array), *DIGITS)
    assert f"shape {shape}" in line


@pytest.mark.parametrize(
    ("device", "says"),
    [("cuda", "0 CUDA device"), ("cuda:3", "0 CUDA device"), ("foo", "use auto, cpu")],
)
def test_score_checks_the_device(images, no_extraction, device, says):
    # the tests see no GPU (root conftest); both were tracebacks
    assert says in refused("score", str(images), str(images), *DIGITS, "--device", device)


@pytest.mark.parametrize("kind", ["read-only", "under-file"])
def test_save_stats_where_it_cannot_go_is_refused_before_extraction(
    place,  # noqa: F811
    images,
    no_extraction,
    kind,
):
    target = place(kind) / "stats.npz"
    line = refused("score", str(images), str(images), *DIGITS, "--save-stats", str(target))
    assert f"cannot write {target}" in line or "is a file, not a folder" in line


def test_save_stats_on_a_full_disk_leaves_nothing(place, images):  # noqa: F811
    full = place("full")
    line = refused("score", str(images), str(images), *DIGITS, "--save-stats", str(full / "s.npz"))
    assert "the disk is full" in line
    assert not (full / "s.npz").exists() and not leftovers(full)


def test_unknown_weights_name_is_refused(tmp_path, images, no_extraction):
    weights = tmp_path / "w.safetensors"
    weights.write_bytes(b"x")
    line = refused("score", str(images), str(images), *DIGITS, "--weights", f"digit-cnn={weights}")
    assert "no weights, model or feature net is named 'digit-cnn'" in line
    assert "Did you mean digits-cnn" in line


# --- datasets export ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["read-only", "full", "under-file"])
@pytest.mark.parametrize("out", ["export", "export.npz"])
def test_export_where_it_cannot_go(place, kind, out):  # noqa: F811
    folder = place(kind)
    line = refused("datasets", "export", "digits:test", str(folder / out), "-n", "300")
    assert "cannot write" in line or "is a file, not a folder" in line
    assert not (folder / out).exists()
    assert not leftovers(folder if folder.is_dir() else folder.parent)


def test_export_onto_a_file(tmp_path):
    (tmp_path / "taken").write_text("x")
    line = refused("datasets", "export", "digits:test", str(tmp_path / "taken"), "--overwrite")
    assert "is a file" in line and (tmp_path / "taken").read_text() == "x"


def test_export_overwrite_leaves_no_stale_image(tmp_path):
    # a 30-image export overwritten by a 10-image one left 20 old images for other tools
    out = tmp_path / "export"
    assert genbench_cli("datasets", "export", "digits:test", str(out), "-n", "30")[0] == 0
    code, output = genbench_cli(
        "datasets", "export", "digits:test", str(out), "-n", "10", "--overwrite"
    )
    assert code == 0, output
    assert len(list(out.glob("*.png"))) == 10
    assert len((out / "labels.csv").read_text().splitlines()) == 11
    assert not leftovers(tmp_path)


def test_export_overwrite_refuses_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "photos"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"precious")
    line = refused("datasets", "export", "digits:test", str(out), "-n", "5", "--overwrite")
    assert "holiday.jpg" in line
    assert (out / "holiday.jpg").read_bytes() == b"precious"


# --- run --out ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["read-only", "under-file", "existing-file"])
def test_run_out_that_cannot_be_written_is_refused_first(place, tmp_path, monkeypatch, kind):  # noqa: F811
    def planned(*args, **kwargs):
        raise AssertionError("the run started before --out was checked")

    monkeypatch.setattr("genbench.bench.runner.run", planned)
    if kind == "existing-file":
        out = tmp_path / "results.txt"
        out.write_text("keep me")
    else:
        out = place(kind) / "run"
    line = refused("run", "--models", "baseline.mean-digits", "--out", str(out))
    assert str(out) in line
    if kind == "existing-file":
        assert out.read_text() == "keep me"


# --- leaderboard publish -----------------------------------------------------------------------


def _run_folder(path: Path, **changes: object) -> Path:
    row = {
        "model": "toy.a",
        "family": "toy",
        "dataset": "toy",
        "task": "unconditional",
        "config_id": "c1",
        "timestamp": "2026-01-01T00:00:00+00:00",
        "status": "ok",
        "error": "",
        "warnings": "",
        "schema": SCHEMA,
        "primary_metric": "fid",
        "higher_is_better": False,
        "fid": 12.5,
        "images_per_s": 100.0,
        "n_samples": 10,
        "n_reference": 20,
        "seed": 0,
        "features": "net",
        "resize": "none",
        "split": "train",
        "reproduce": "genbench run --models toy.a",
        "grid": None,
        **changes,
    }
    ResultStore(path).write(row)
    return path


@pytest.mark.parametrize("kind", ["read-only", "under-file"])
def test_publish_to_a_place_that_cannot_be_written(place, tmp_path, kind):  # noqa: F811
    run = _run_folder(tmp_path / "run")
    target = place(kind) / "leaderboards"
    assert str(target) in refused("leaderboard", "publish", str(run), "--to", str(target))


def test_publish_onto_a_corrupt_csv_names_it_and_keeps_it(tmp_path):
    run = _run_folder(tmp_path / "run")
    corrupt = tmp_path / "leaderboards" / "toy" / "unconditional.csv"
    corrupt.parent.mkdir(parents=True)
    corrupt.write_bytes(b'model,schema\n"never closed,\x00\xff\n')
    line = refused("leaderboard", "publish", str(run), "--to", str(tmp_path / "leaderboards"))
    assert str(corrupt) in line and "not a readable leaderboard CSV" in line
    assert corrupt.read_bytes() == b'model,schema\n"never closed,\x00\xff\n'


def test_publish_from_an_empty_source_is_refused(tmp_path):
    # it succeeded silently, publishing nothing
    empty = tmp_path / "run"
    (empty / "results").mkdir(parents=True)
    target = tmp_path / "leaderboards"
    assert "holds no result rows" in refused(
        "leaderboard", "publish", str(empty), "--to", str(target)
    )
    assert not any(target.rglob("*.csv"))


@pytest.mark.parametrize("value", ["missing", None, float("nan")])
def test_publish_refuses_ok_rows_without_their_primary_metric(tmp_path, value):
    changes = {"fid": value} if value != "missing" else {"primary_metric": "kid"}
    run = _run_folder(tmp_path / "run", **changes)
    target = tmp_path / "leaderboards"
    line = refused("leaderboard", "publish", str(run), "--to", str(target))
    assert "toy.a" in line and "primary metric" in line
    assert not any(target.rglob("*.csv"))


def test_publish_keeps_failed_rows_without_a_metric(tmp_path):
    run = _run_folder(tmp_path / "run", status="error", error="boom", fid=None)
    code, output = genbench_cli("leaderboard", "publish", str(run), "--to", str(tmp_path / "lb"))
    assert code == 0, output


# --- a read-only, empty GENBENCH_HOME ----------------------------------------------------------


def test_read_only_home_scores_without_caching(place, images):  # noqa: F811
    # a traceback before (the store's folders were made, and caches written, unconditionally)
    home = place("read-only")
    args = ["score", "digits:test", str(images), *DIGITS, "--json"]
    result = CliRunner().invoke(build_cli(), args, env={"GENBENCH_HOME": str(home)})
    assert result.exit_code == 0, result.output
    assert "fid" in json.loads(result.stdout.strip().splitlines()[-1])
    assert "not cached" in result.stderr and "GENBENCH_HOME to a writable folder" in result.stderr


def test_read_only_home_refuses_weights_import_naming_the_file(place):  # noqa: F811
    home = place("read-only")
    shipped = Path(genbench.__file__).parent / "features" / "weights" / "digits-cnn.safetensors"
    line = refused(
        "weights", "import", "digits-cnn", str(shipped), env={"GENBENCH_HOME": str(home)}
    )
    assert f"cannot write {home}" in line and "read-only" in line
