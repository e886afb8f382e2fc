"""Issue #20, item 4: `genbench score` holds a batch of images, not a 128-image chunk of
them, and the steps that save memory give the same numbers bit for bit (peak memory itself
is measured by benchmarks/bench_memory.py)."""

from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

import genbench
from genbench.data.images import decode_image
from genbench.features import extractor as extractor_module
from genbench.features import load_extractor, loading
from genbench.features.extractor import FEATURE_CHUNK, Extractor
from genbench.features.resize import legacy_pytorch


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _digits(n: int) -> np.ndarray:
    return genbench.get_registry().datasets.get("digits").load("test").read("image", range(n))


def test_chunks_do_not_depend_on_the_batches():
    extractor = load_extractor("digits-cnn")
    images = _digits(300)
    sizes = (5, 1, 150, 144)
    starts = np.cumsum((0, *sizes))
    batches = [images[a:b] for a, b in itertools.pairwise(starts)]
    chunks = list(extractor.chunks(iter(batches)))
    assert [len(c) for c in chunks] == [128, 128, 44]
    assert torch.equal(torch.cat(chunks), extractor.prepare(images))
    features = extractor.extract(iter(batches), total=300)["features"]
    direct = torch.cat(
        [extractor(images[i : i + FEATURE_CHUNK])["features"] for i in (0, 128, 256)]
    )
    np.testing.assert_array_equal(features, direct.numpy())


class _Recorder(torch.nn.Module):
    """A net that splits its work, recording how many images each step sees."""

    def __init__(self) -> None:
        super().__init__()
        self.prepared: list[int] = []
        self.embedded: list[int] = []

    def prepare(self, images):
        self.prepared.append(len(images))
        return F.adaptive_avg_pool2d(images.float(), 4)

    def embed(self, x):
        self.embedded.append(len(x))
        return {"features": x.flatten(1)}


def test_large_images_are_prepared_a_few_at_a_time(monkeypatch):
    monkeypatch.setattr(extractor_module, "PREPARE_BYTES", 3 * 4 * 300 * 300 * 2)
    net = _Recorder()
    spec = genbench.get_registry().feature_extractors.get("digits-cnn")
    extractor = Extractor(spec, net, resize="none", weights_sha256=None, device="cpu")
    batches = [np.zeros((n, 3, 300, 300), np.uint8) for n in (5, 200, 3)]
    out = extractor.extract(iter(batches), total=208)
    assert out["features"].shape == (208, 3 * 16)
    assert max(net.prepared) == 2  # two images' float copies at most, whatever the batch
    assert net.embedded == [128, 80]  # the net sees the fixed chunks


class _CountingSplit:
    """A split that records how many items have been decoded so far."""

    fields = ("image",)

    def __init__(self, n: int, side: int) -> None:
        self.n, self.side = n, side
        self.decoded = 0
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return self.n

    def read(self, field, indices):
        with self.lock:
            self.decoded += len(indices)
        return np.zeros((len(indices), 1, self.side, self.side), np.uint8)


@pytest.mark.parametrize(("side", "most_ahead"), [(8, 2), (64, 0)])
def test_read_ahead_is_bounded_in_bytes(monkeypatch, side, most_ahead):
    # 8×8 images (64 B) are read up to two batches ahead; 64×64 ones (4 KiB, above the
    # patched bound) one at a time, as an 8000×8000 image (192 MB) is with the real bound.
    monkeypatch.setattr(loading, "AHEAD_BYTES", 1000)
    split = _CountingSplit(12, side)
    ahead = [
        split.decoded - consumed
        for consumed, _ in enumerate(loading.read_batches(split, 12, 1, workers=2), start=1)
    ]
    assert len(ahead) == 12 and max(ahead) <= most_ahead


@pytest.mark.parametrize("grey", [False, True])
@pytest.mark.parametrize("size", [(16, 16), (32, 32), (300, 200), (611, 499)])
def test_legacy_resize_layout_keeps_the_numbers(size, grey):
    # the channels-last float copy (one copy instead of three) is pytorch-fid's formula
    generator = torch.Generator().manual_seed(sum(size))
    images = torch.randint(0, 256, (3, 1 if grey else 3, *size), generator=generator)
    images = images.to(torch.uint8).expand(-1, 3, -1, -1)
    expected = 2 * F.interpolate(images.float() / 255, size=(299, 299), mode="bilinear") - 1
    assert torch.equal(legacy_pytorch(images, 299), expected)


@pytest.mark.parametrize("mode", ["L", "RGB", "P", "LA"])
def test_decoding_in_bands_gives_the_same_pixels(tmp_path, monkeypatch, mode):
    monkeypatch.setattr("genbench.data.images.BAND_BYTES", 1000)  # many bands of rows
    rng = np.random.default_rng(0)
    picture = Image.fromarray(rng.integers(0, 256, (97, 61, 3), dtype=np.uint8)).convert(mode)
    picture.save(tmp_path / "p.png")
    decoded = decode_image((tmp_path / "p.png").read_bytes(), "p.png")
    expected = np.asarray(picture.convert("L" if mode in ("L", "LA") else "RGB"))
    expected = expected[None] if expected.ndim == 2 else expected.transpose(2, 0, 1)
    np.testing.assert_array_equal(decoded, expected)
