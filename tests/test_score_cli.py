"""`genbench score A B`: inputs of every kind, bad input, statistics files, the numbers.

The fast tests score in the digits-cnn space; the reference tests compare the FID with
pytorch-fid and clean-fid on the same folders and the same (random) Inception weights file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from PIL import Image

import genbench
from genbench import weights as store
from genbench.cli import build_cli

sys.path.insert(0, str(Path(__file__).parent))  # test support (importlib mode)
from calibration import install_random_inception


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
    store.set_overrides({})


def _digits(split: str, n: int) -> np.ndarray:
    data = genbench.get_registry().datasets.get("digits").load(split)
    return data.read("image", list(range(n)))


def _folder(path: Path, images: np.ndarray) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for i, image in enumerate(images):
        Image.fromarray(
            image.transpose(1, 2, 0).squeeze(-1)
            if image.shape[0] == 1
            else image.transpose(1, 2, 0)
        ).save(path / f"{i:03d}.png")
    return path


def _score(*args: str) -> dict[str, float]:
    result = CliRunner().invoke(build_cli(), ["score", *args, "--json", "--no-progress"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def _fails(*args: str) -> str:
    result = CliRunner().invoke(build_cli(), ["score", *args, "--no-progress"])
    assert result.exit_code == 2, result.output
    return result.output


DIGITS = ("--features", "digits-cnn")
# what the JSON says of the numbers besides the metrics
DESCRIBED = {"features", "features_sha256", "resize", "n_real", "n_fake", "genbench_version"}


def test_folder_against_itself_and_dataset(tmp_path):
    folder = _folder(tmp_path / "a", _digits("test", 40))
    np.save(tmp_path / "a.npy", _digits("test", 40))
    same = _score(str(folder), str(tmp_path / "a.npy"), *DIGITS, "--metrics", "fid,prdc")
    assert abs(same["fid"]) < 1e-6
    assert same["precision"] == same["recall"] == 1.0
    other = _score("digits:train", str(folder), *DIGITS, "--metrics", "fid,kid,pr,is")
    assert other["fid"] > 1.0
    metrics = {"fid", "kid", "kid_std", "pr_precision", "pr_recall", "is", "is_std"}
    assert set(other) == metrics | DESCRIBED


def test_the_json_says_what_made_its_numbers(tmp_path):
    from genbench.features.plugin import DIGITS_CNN
    from genbench.version import __version__

    folder = _folder(tmp_path / "a", _digits("test", 30))
    out = _score("digits:train", str(folder), *DIGITS, "--metrics", "fid")
    assert out["features"] == "digits-cnn" and out["resize"] == "bilinear"
    assert out["features_sha256"] == DIGITS_CNN.weights.sha256
    n_train = len(genbench.get_registry().datasets.get("digits").load("train"))
    assert (out["n_real"], out["n_fake"]) == (n_train, 30)
    assert out["genbench_version"] == __version__ and "warnings" not in out


def test_batch_size_does_not_change_the_numbers(tmp_path):
    # More images than one 128-image feature chunk, read in batches that straddle chunks.
    folder = _folder(tmp_path / "a", _digits("test", 150))
    np.savez(tmp_path / "b.npz", images=_digits("train", 140))
    scores = [
        _score(str(folder), str(tmp_path / "b.npz"), *DIGITS, "--batch-size", size)
        for size in ("7", "64", "500")
    ]
    assert scores[0] == scores[1] == scores[2]


def test_zip_input(tmp_path):
    import zipfile

    folder = _folder(tmp_path / "a", _digits("test", 20))
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for png in sorted(folder.glob("*.png")):
            out.write(png, png.name)
    assert abs(_score(str(folder), str(archive), *DIGITS)["fid"]) < 1e-6


def test_bad_file_named_or_skipped(tmp_path):
    folder = _folder(tmp_path / "a", _digits("test", 20))
    (folder / "broken.png").write_bytes(b"not a png")
    assert "broken.png" in _fails(str(folder), str(folder), *DIGITS)
    result = CliRunner().invoke(
        build_cli(), ["score", str(folder), str(folder), *DIGITS, "--skip-bad", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "skipped 1 bad files" in result.output


def test_empty_and_unknown_inputs(tmp_path):
    (tmp_path / "empty").mkdir()
    folder = _folder(tmp_path / "a", _digits("test", 10))
    assert "no images" in _fails(str(tmp_path / "empty"), str(folder), *DIGITS)
    assert "neither an existing file" in _fails("no-such-thing", str(folder), *DIGITS)
    assert "no metric" in _fails(str(folder), str(folder), *DIGITS, "--metrics", "fidd")


def test_inputs_are_checked_before_the_network_loads(tmp_path, monkeypatch):
    # The default extractor's weights are not in the test store: any of these errors
    # reaching the user means REAL's features were not computed, and then lost, first.
    def no_network(*args, **kwargs):
        raise AssertionError("the extractor was loaded before the inputs were checked")

    monkeypatch.setattr("genbench.features.load_extractor", no_network)
    (tmp_path / "empty").mkdir()
    folder = _folder(tmp_path / "a", _digits("test", 10))
    assert "no images" in _fails(str(folder), str(tmp_path / "empty"))
    assert "neither an existing file" in _fails(str(folder), "no-such-thing")
    assert "no metric" in _fails(str(folder), str(folder), "--metrics", "fid,fidd")
    np.savez(tmp_path / "stats.npz", mu=np.zeros(2048), sigma=np.eye(2048))
    assert "holds only mu/sigma" in _fails(
        str(tmp_path / "stats.npz"), str(folder), "--metrics", "kid"
    )


def test_statistics_round_trip_and_refusal(tmp_path):
    folder = _folder(tmp_path / "a", _digits("test", 40))
    other = _folder(tmp_path / "b", _digits("train", 40))
    stats = tmp_path / "a-stats.npz"
    direct = _score(str(folder), str(other), *DIGITS, "--save-stats", str(stats))
    with np.load(stats) as saved:
        assert saved["mu"].shape == (128,) and str(saved["features"]) == "digits-cnn"
    from_stats = _score(str(stats), str(other), *DIGITS)
    assert from_stats["fid"] == pytest.approx(direct["fid"], rel=1e-6)
    assert "holds only mu/sigma" in _fails(str(stats), str(other), *DIGITS, "--metrics", "kid")
    # a pytorch-fid style file (no metadata) of the wrong width is refused
    np.savez(tmp_path / "foreign.npz", mu=np.zeros(2048), sigma=np.eye(2048))
    assert "do not match" in _fails(str(tmp_path / "foreign.npz"), str(other), *DIGITS)
    # a genbench file made with other weights is refused
    np.savez(
        tmp_path / "forged.npz",
        mu=np.zeros(128),
        sigma=np.eye(128),
        features="digits-cnn",
        resize="bilinear",
        weights_sha256="0" * 64,
    )
    assert "weights_sha256" in _fails(str(tmp_path / "forged.npz"), str(other), *DIGITS)


def test_statistics_are_scored_in_the_space_they_were_made_in(tmp_path):
    """Without --features, a statistics file picks its own net (not Inception); with
    another net it is refused with the reason."""
    folder = _folder(tmp_path / "a", _digits("test", 40))
    other = _folder(tmp_path / "b", _digits("train", 40))
    stats = tmp_path / "a-stats.npz"
    direct = _score(str(folder), str(other), *DIGITS, "--save-stats", str(stats))
    alone = _score(str(stats), str(other))
    assert alone["features"] == "digits-cnn" and alone["n_real"] == 40
    assert alone["fid"] == pytest.approx(direct["fid"], rel=1e-6)
    refused = _fails(str(stats), str(stats), "--features", "shapes-cnn")
    assert (
        "do not match the feature space" in refused and "'digits-cnn', not 'shapes-cnn'" in refused
    )


def test_images_a_net_was_not_made_for_are_refused(tmp_path):
    """3-channel 32 px shapes through digits-cnn (1 channel, 16 px) scored FID ~3000 silently."""
    shapes = genbench.get_registry().datasets.get("shapes").load("test")
    folder = _folder(tmp_path / "s", shapes.read("image", list(range(8))))
    refused = _fails("digits:train", str(folder), *DIGITS)
    assert "3-channel 32px images" in refused and "1-channel 16px" in refused
    assert "'digits-cnn'" in refused and str(folder) in refused


def _peer_images(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:32, 0:32]
    scale = rng.uniform(2, 7, (n, 3, 1, 1))
    waves = 127.5 + 100 * np.sin(xx / scale + yy / (scale + 1) + rng.uniform(0, 6, (n, 3, 1, 1)))
    noisy = waves + rng.normal(0, 12 + 10 * seed, waves.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


@pytest.mark.reference
@pytest.mark.slow
def test_fid_matches_pytorch_fid_and_clean_fid(tmp_path, monkeypatch):
    from cleanfid import fid as clean_fid
    from pytorch_fid.fid_score import calculate_fid_given_paths

    weights = install_random_inception(tmp_path / "torch-home")
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home"))
    a = _folder(tmp_path / "a", _peer_images(0, 10))
    b = _folder(tmp_path / "b", _peer_images(1, 12))
    ours = _score(str(a), str(b), "--weights", f"inception-v3-fid={weights}", "--device", "cpu")
    theirs = calculate_fid_given_paths([str(a), str(b)], 50, "cpu", 2048, num_workers=0)
    assert ours["fid"] == pytest.approx(theirs, rel=1e-4)
    clean = clean_fid.compute_fid(
        str(a),
        str(b),
        mode="legacy_pytorch",
        num_workers=0,
        batch_size=16,
        device=torch.device("cpu"),
        verbose=False,
    )
    assert ours["fid"] == pytest.approx(clean, rel=1e-4)


def test_a_run_refuses_a_net_not_made_for_its_dataset():
    args = ["run", "--models", "baseline.oracle-shapes", "--features", "digits-cnn"]
    result = CliRunner().invoke(build_cli(), args)
    assert result.exit_code == 2, result.output
    assert "trained on 1-channel 16px images only" in result.output
