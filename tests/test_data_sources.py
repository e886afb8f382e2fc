"""``open_images``: folders, zip, npz/npy, class and paired folders, dataset names, bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from genbench.data import open_images
from genbench.errors import GenbenchError


def write_png(path: Path, value: int, channels: int = 3, size: int = 8) -> np.ndarray:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(value)
    pixels = rng.integers(0, 256, size=(size, size, channels), dtype=np.uint8)
    Image.fromarray(pixels[..., 0] if channels == 1 else pixels).save(path)
    return pixels.transpose(2, 0, 1)


def test_folder_is_read_recursively_in_path_order(tmp_path: Path) -> None:
    expected = {name: write_png(tmp_path / name, i) for i, name in enumerate(["b.png", "a/c.png"])}
    (tmp_path / "notes.txt").write_text("not an image")
    split = open_images(tmp_path)
    assert split.fields == ("image",) and len(split) == 2
    images = split.read("image", [0, 1])
    np.testing.assert_array_equal(images[0], expected["a/c.png"])
    np.testing.assert_array_equal(images[1], expected["b.png"])


def test_corrupt_png_among_good_ones_is_named(tmp_path: Path) -> None:
    for i in range(3):
        write_png(tmp_path / f"good{i}.png", i)
    good = (tmp_path / "good0.png").read_bytes()
    (tmp_path / "broken.png").write_bytes(good[: len(good) // 2])  # truncated
    split = open_images(tmp_path)
    with pytest.raises(GenbenchError, match=r"broken\.png.*skip_bad=True"):
        split.read("image", range(len(split)))
    assert split.read("image", [1, 2, 3]).shape == (3, 3, 8, 8)  # the good ones still read


def test_skip_bad_drops_and_lists_undecodable_files(tmp_path: Path) -> None:
    for i in range(3):
        write_png(tmp_path / f"good{i}.png", i)
    (tmp_path / "junk.jpg").write_bytes(b"definitely not a jpeg")
    split = open_images(tmp_path, skip_bad=True)
    assert len(split) == 3 and split.read("image", range(3)).shape == (3, 3, 8, 8)
    assert len(split.skipped) == 1 and "junk.jpg" in split.skipped[0]  # type: ignore[attr-defined]


def test_mixed_channel_counts_name_both_files(tmp_path: Path) -> None:
    write_png(tmp_path / "colour.png", 0, channels=3)
    write_png(tmp_path / "grey.png", 1, channels=1)
    with pytest.raises(GenbenchError, match=r"grey\.png is 8×8 with 1 channel but .*colour\.png"):
        open_images(tmp_path).read("image", [0, 1])


def test_empty_folder_says_what_it_looked_for(tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    with pytest.raises(GenbenchError, match=r"no images \(\.png.*found in .*empty"):
        open_images(tmp_path / "empty")


def test_zip_archive_reads_like_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "images"
    pixels = [write_png(folder / f"{i}.png", i) for i in range(3)]
    archive = tmp_path / "images.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(3):
            zf.write(folder / f"{i}.png", f"set/{i}.png")
    opened = []

    class CountingZipFile(zipfile.ZipFile):
        def __init__(self, *args: object, **kwargs: object) -> None:
            opened.append(args[0])
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("genbench.data.images.zipfile.ZipFile", CountingZipFile)
    np.testing.assert_array_equal(open_images(archive).read("image", [0, 1, 2]), np.stack(pixels))
    assert len(opened) == 1  # once per set, not once per image (that is quadratic)


def test_unreadable_zip_is_named(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 this is not a whole zip")
    with pytest.raises(GenbenchError, match=r"cannot read zip archive .*broken\.zip"):
        open_images(archive)


@pytest.mark.parametrize("layout", ["nhwc", "nchw", "nhw"])
def test_npz_in_any_layout_gives_nchw_and_labels(tmp_path: Path, layout: str) -> None:
    nchw = np.random.default_rng(0).integers(0, 256, size=(5, 3, 6, 7), dtype=np.uint8)
    if layout == "nhw":
        nchw = nchw[:, :1]
    stored = {"nhwc": nchw.transpose(0, 2, 3, 1), "nchw": nchw, "nhw": nchw[:, 0]}[layout]
    np.savez(tmp_path / "set.npz", images=stored, labels=np.arange(5) % 2)
    split = open_images(tmp_path / "set.npz")
    np.testing.assert_array_equal(split.read("image", range(5)), nchw)
    np.testing.assert_array_equal(split.read("label", [3, 4]), [1, 0])
    np.save(tmp_path / "set.npy", stored)
    np.testing.assert_array_equal(open_images(tmp_path / "set.npy").read("image", [2]), nchw[2:3])


def test_npz_problems_say_what_to_do(tmp_path: Path) -> None:
    np.savez(tmp_path / "float.npz", np.zeros((2, 4, 4, 3), dtype=np.float32))
    with pytest.raises(GenbenchError, match="float32 images; genbench reads uint8"):
        open_images(tmp_path / "float.npz")
    np.savez(tmp_path / "two.npz", x=np.zeros((2, 4, 4), np.uint8), y=np.zeros(2, np.uint8))
    with pytest.raises(GenbenchError, match="name the images one of images"):
        open_images(tmp_path / "two.npz")
    (tmp_path / "cut.npz").write_bytes((tmp_path / "two.npz").read_bytes()[:40])
    with pytest.raises(GenbenchError, match=r"cannot read .*cut\.npz"):
        open_images(tmp_path / "cut.npz")


def test_class_folders_give_labels_in_sorted_folder_order(tmp_path: Path) -> None:
    for cls, count in (("dog", 2), ("cat", 1)):
        for i in range(count):
            write_png(tmp_path / cls / f"{i}.png", i)
    split = open_images(tmp_path)
    assert split.fields == ("image", "label")
    assert split.classes == ["cat", "dog"]  # type: ignore[attr-defined]
    np.testing.assert_array_equal(split.read("label", range(3)), [0, 1, 1])


def test_paired_folders_align_by_file_name(tmp_path: Path) -> None:
    a = [write_png(tmp_path / "A" / f"{n}.png", i) for i, n in enumerate(["x", "y"])]
    b = [write_png(tmp_path / "B" / f"{n}.png", 10 + i) for i, n in enumerate(["x", "y"])]
    split = open_images(tmp_path)
    assert set(split.fields) == {"image", "A", "B"}
    np.testing.assert_array_equal(split.read("A", [1]), a[1][None])
    np.testing.assert_array_equal(split.read("B", [0, 1]), np.stack(b))
    np.testing.assert_array_equal(split.read("image", [0, 1]), np.stack(b))
    write_png(tmp_path / "A" / "z.png", 5)
    with pytest.raises(GenbenchError, match=r"A/z\.png \(no B/z\.png\)"):
        open_images(tmp_path)


def test_dataset_names_and_their_mistakes() -> None:
    assert len(open_images("digits:test")) == 360
    assert len(open_images("digits")) == 1437  # the reference split
    with pytest.raises(GenbenchError, match="'digits' has no split 'nope'"):
        open_images("digits:nope")
    with pytest.raises(GenbenchError, match=r"neither an existing file or folder nor a dataset"):
        open_images("no-such-thing")


def test_labels_csv_gives_labels_and_must_cover_every_image(tmp_path: Path) -> None:
    for i in range(3):
        write_png(tmp_path / f"{i}.png", i)
    (tmp_path / "labels.csv").write_text("file,label\n0.png,7\n1.png,3\n2.png,7\n")
    np.testing.assert_array_equal(open_images(tmp_path).read("label", [0, 1, 2]), [7, 3, 7])
    (tmp_path / "labels.csv").write_text("file,label\n0.png,7\n")
    with pytest.raises(GenbenchError, match=r"labels\.csv has no label for 1\.png, 2\.png"):
        open_images(tmp_path)


def test_jpeg_and_webp_decode_and_other_files_are_refused(tmp_path: Path) -> None:
    from PIL import Image

    pixels = np.full((6, 6, 3), 120, dtype=np.uint8)
    for suffix in ("jpg", "webp", "bmp"):
        Image.fromarray(pixels).save(tmp_path / f"x.{suffix}")
    images = open_images(tmp_path).read("image", range(3))
    assert images.shape == (3, 3, 6, 6) and np.abs(images.astype(int) - 120).max() <= 2
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(GenbenchError, match=r"notes\.txt is not a folder, \.zip, \.npy or \.npz"):
        open_images(tmp_path / "notes.txt")
