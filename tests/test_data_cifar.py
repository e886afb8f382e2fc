"""CIFAR-10/100 from tiny archives written here in the real "python version" format."""

from __future__ import annotations

import io
import os
import pickle
import tarfile
from pathlib import Path

import numpy as np
import pytest

import genbench
from genbench.data import cifar, open_images
from genbench.errors import GenbenchError


def python2_pickle(batch: dict[bytes, object]) -> bytes:
    """A protocol-2 pickle naming numpy's array module as Python 2 numpy did."""
    data = pickle.dumps(batch, protocol=2)
    return data.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")


def make_batches(layout: cifar.CifarLayout, sizes: dict[str, int]) -> dict[str, bytes]:
    """Batch files for ``layout`` with ``sizes[split]`` images per file, and the truth."""
    rng = np.random.default_rng(0)
    files = {}
    for split, names in layout.files.items():
        for name in names:
            n = sizes[split]
            files[name] = {
                b"batch_label": f"{name} of {split}".encode(),
                b"data": rng.integers(0, 256, size=(n, 3072), dtype=np.uint8),
                layout.label_key: rng.integers(0, layout.num_classes, size=n).tolist(),
                b"filenames": [f"img{i}.png".encode() for i in range(n)],
            }
            if layout is cifar.CIFAR100:
                files[name][b"coarse_labels"] = [0] * n
    return files


def write_folder(root: Path, layout: cifar.CifarLayout, batches: dict[str, dict]) -> Path:
    folder = root / layout.folder
    folder.mkdir(parents=True)
    for name, batch in batches.items():
        (folder / name).write_bytes(python2_pickle(batch))
    return folder


def write_archive(root: Path, layout: cifar.CifarLayout, batches: dict[str, dict]) -> Path:
    archive = root / layout.archive
    with tarfile.open(archive, "w:gz") as tar:
        for name, batch in batches.items():
            data = python2_pickle(batch)
            info = tarfile.TarInfo(f"{layout.folder}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return archive


def expected(batches: dict[str, dict], names: tuple[str, ...], key: bytes) -> tuple:
    images = np.concatenate([batches[n][b"data"] for n in names]).reshape(-1, 3, 32, 32)
    return images, np.concatenate([batches[n][key] for n in names])


@pytest.mark.parametrize("layout", [cifar.CIFAR10, cifar.CIFAR100], ids=lambda x: x.name)
@pytest.mark.parametrize("form", ["folder", "archive"])
def test_loads_images_and_labels_from_the_real_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: cifar.CifarLayout, form: str
) -> None:
    batches = make_batches(layout, {"train": 3, "test": 4})
    (write_folder if form == "folder" else write_archive)(tmp_path, layout, batches)
    monkeypatch.setenv("GENBENCH_DATA", str(tmp_path))
    spec = genbench.get_registry().datasets.get(layout.name)
    for split in ("train", "test"):
        loaded = spec.load(split)
        images, labels = expected(batches, layout.files[split], layout.label_key)
        assert len(loaded) == len(labels)
        np.testing.assert_array_equal(loaded.read("image", range(len(labels))), images)
        np.testing.assert_array_equal(loaded.read("label", range(len(labels))), labels)
    # The first image's red plane is the first 1024 bytes of its row.
    first = spec.load("test").read("image", [0])[0]
    np.testing.assert_array_equal(
        first[0].reshape(-1),
        batches["test_batch" if layout is cifar.CIFAR10 else "test"][b"data"][0, :1024],
    )


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_batches_pickled_by_python3_load_too(tmp_path: Path, protocol: int) -> None:
    images = np.random.default_rng(1).integers(0, 256, size=(3, 3072), dtype=np.uint8)
    labels = [np.int64(4), 0, 9]  # numpy scalars among plain ints
    folder = tmp_path / cifar.CIFAR10.folder
    folder.mkdir()
    for name in cifar.CIFAR10.files["test"]:
        batch = {b"data": images, b"labels": labels, b"batch_label": b"test"}
        (folder / name).write_bytes(pickle.dumps(batch, protocol=protocol))
    loaded = cifar.load(cifar.CIFAR10, "test", root=tmp_path)
    np.testing.assert_array_equal(loaded.read("label", range(3)), [4, 0, 9])
    np.testing.assert_array_equal(loaded.read("image", range(3)), images.reshape(3, 3, 32, 32))


def test_data_root_argument_wins_and_archive_path_works(tmp_path: Path) -> None:
    batches = make_batches(cifar.CIFAR10, {"train": 1, "test": 2})
    archive = write_archive(tmp_path, cifar.CIFAR10, batches)
    assert len(cifar.load(cifar.CIFAR10, "test", root=archive)) == 2
    assert len(cifar.load(cifar.CIFAR10, "train", root=tmp_path)) == 5


@pytest.mark.parametrize("form", ["folder", "archive"])
def test_open_images_recognises_cifar_files(tmp_path: Path, form: str) -> None:
    batches = make_batches(cifar.CIFAR100, {"train": 3, "test": 2})
    written = (write_folder if form == "folder" else write_archive)(
        tmp_path, cifar.CIFAR100, batches
    )
    split = open_images(written)
    np.testing.assert_array_equal(split.read("label", range(3)), batches["train"][b"fine_labels"])


def test_a_pickle_that_imports_code_is_refused_unrun(tmp_path: Path) -> None:
    class Exploit:
        def __reduce__(self) -> tuple:
            return (os.mkdir, (str(tmp_path / "pwned"),))

    batches = make_batches(cifar.CIFAR10, {"train": 1, "test": 1})
    folder = write_folder(tmp_path, cifar.CIFAR10, batches)
    (folder / "test_batch").write_bytes(pickle.dumps({b"data": Exploit()}, protocol=2))
    with pytest.raises(GenbenchError, match=r"test_batch refers to \w+\.mkdir.*refusing"):
        cifar.load(cifar.CIFAR10, "test", root=tmp_path)
    assert not (tmp_path / "pwned").exists()


def test_missing_truncated_and_foreign_files_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(GenbenchError, match=r"cifar10 not found in .*and set GENBENCH_DATA=DIR"):
        cifar.load(cifar.CIFAR10, "test", root=tmp_path)
    batches = make_batches(cifar.CIFAR10, {"train": 1, "test": 1})
    archive = write_archive(tmp_path, cifar.CIFAR10, batches)
    archive.write_bytes(archive.read_bytes()[:60])
    with pytest.raises(GenbenchError, match=r"cannot read archive .*cifar-10-python\.tar\.gz"):
        cifar.load(cifar.CIFAR10, "test", root=tmp_path)
    archive.unlink()
    folder = write_folder(tmp_path, cifar.CIFAR10, batches)
    (folder / "test_batch").write_bytes(python2_pickle({b"data": batches["test_batch"][b"data"]}))
    with pytest.raises(GenbenchError, match=r"test_batch is not a CIFAR batch.*b'labels'"):
        cifar.load(cifar.CIFAR10, "test", root=tmp_path)
    with pytest.raises(GenbenchError, match="'cifar10' has no split 'valid'"):
        cifar.load(cifar.CIFAR10, "valid", root=tmp_path)


def test_export_cifar_from_data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from genbench.cli import build_cli

    # --data-root sets GENBENCH_DATA in this process; monkeypatch restores it afterwards.
    monkeypatch.setenv("GENBENCH_DATA", str(tmp_path / "not-here"))

    batches = make_batches(cifar.CIFAR10, {"train": 2, "test": 3})
    write_archive(tmp_path, cifar.CIFAR10, batches)
    out = tmp_path / "test.npz"
    args = ["datasets", "export", "cifar10:test", str(out), "--data-root", str(tmp_path)]
    result = CliRunner().invoke(build_cli(), args)
    assert result.exit_code == 0, result.output
    with np.load(out) as data:
        np.testing.assert_array_equal(data["labels"], batches["test_batch"][b"labels"])
        assert data["images"].shape == (3, 32, 32, 3)


@pytest.mark.parametrize("command", ["score", "run"])
def test_the_missing_archive_error_names_only_options_that_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """It told score users to pass --data-root, which neither score nor run has."""
    import re

    from click.testing import CliRunner

    from genbench.cli import build_cli

    monkeypatch.setenv("GENBENCH_DATA", str(tmp_path))
    cli = build_cli()
    if command == "score":
        args = ["score", "cifar10:test", "cifar10:train", "--features", "shapes-cnn"]
    else:
        args = ["run", "--models", "baseline.oracle-shapes", "--dataset", "cifar10"]
        args += ["--features", "shapes-cnn", "--out", str(tmp_path / "run")]
    result = CliRunner().invoke(cli, args)
    assert "GENBENCH_DATA=DIR" in result.output, result.output
    options = {o for p in cli.commands[command].params for o in getattr(p, "opts", [])}
    assert set(re.findall(r"--[a-z][a-z-]+", result.output)) <= options
