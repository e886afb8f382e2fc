"""``genbench datasets`` and ``genbench datasets export``: listings and byte-stable exports."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from genbench.cli import build_cli
from genbench.data import open_images


def genbench(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), list(args))
    return result.exit_code, result.output


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes() if path.is_file() else b"/")
    return digest.hexdigest()


def test_listing_as_table_and_json() -> None:
    code, table = genbench("datasets")
    assert code == 0 and "digits" in table and "train=20000,test=5000" in table
    code, text = genbench("datasets", "--json")
    rows = {row["name"]: row for row in json.loads(text)}
    assert rows["digits"]["splits"] == {"train": 1437, "test": 360}
    assert rows["shapes"]["default_features"] == "shapes-cnn"
    assert rows["cifar10"]["plugin"] == "genbench"


def export_twice(tmp_path: Path, *limit: str) -> None:
    for out in ("a", "b"):
        for target in (tmp_path / out, tmp_path / f"{out}.npz"):
            code, text = genbench("datasets", "export", "shapes:test", str(target), *limit)
            assert code == 0, text
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_two_exports_of_shapes_test_items_are_byte_identical(tmp_path: Path) -> None:
    export_twice(tmp_path, "-n", "25")


@pytest.mark.slow
def test_two_exports_of_all_of_shapes_test_are_byte_identical(tmp_path: Path) -> None:
    export_twice(tmp_path)
    assert len(list((tmp_path / "a").glob("*.png"))) == 5000


def test_exports_read_back_as_the_same_items(tmp_path: Path) -> None:
    source = open_images("shapes:test")
    assert genbench("datasets", "export", "shapes:test", str(tmp_path / "png"), "-n", "12")[0] == 0
    assert genbench("datasets", "export", "digits:test", str(tmp_path / "d.npz"))[0] == 0
    folder = open_images(tmp_path / "png")
    np.testing.assert_array_equal(folder.read("image", range(12)), source.read("image", range(12)))
    np.testing.assert_array_equal(folder.read("label", range(12)), source.read("label", range(12)))
    lines = (tmp_path / "png" / "labels.csv").read_text().splitlines()
    assert lines[0] == "file,label,caption" and lines[1].startswith("00000.png,")
    digits = open_images("digits:test")
    npz = open_images(tmp_path / "d.npz")
    np.testing.assert_array_equal(npz.read("image", range(360)), digits.read("image", range(360)))
    np.testing.assert_array_equal(npz.read("label", range(360)), digits.read("label", range(360)))
    with np.load(tmp_path / "d.npz") as data:
        assert data["images"].shape == (360, 16, 16, 1)  # NHWC for other tools


def test_export_of_another_field(tmp_path: Path) -> None:
    code, _ = genbench(
        "datasets", "export", "shapes:test", str(tmp_path / "e"), "-n", "3", "--field", "edges"
    )
    assert code == 0
    edges = open_images(tmp_path / "e").read("image", range(3))
    np.testing.assert_array_equal(edges, open_images("shapes:test").read("edges", range(3)))


def test_export_mistakes_exit_2_with_a_message(tmp_path: Path) -> None:
    code, text = genbench("datasets", "export", "shapes:valid", str(tmp_path / "x"))
    assert code == 2 and "'shapes' has no split 'valid'" in text
    code, text = genbench("datasets", "export", "digits", str(tmp_path / "x"), "--field", "label")
    assert code == 2 and "cannot export field 'label'" in text
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    code, text = genbench("datasets", "export", "digits", str(tmp_path / "full"))
    assert code == 2 and "--overwrite" in text
