"""inception-v3-fid against pytorch-fid and clean-fid on the same random-weights file.

No real weights can be downloaded here, so a random state dict with the exact keys is
written in the real format (``torch.save`` of a state dict) where the peers look for it:
``$TORCH_HOME/hub/checkpoints/pt_inception-2015-12-05-6726825d.pth``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import genbench
from genbench import weights as store
from genbench.features import load_extractor
from genbench.features.inception import fid_inception
from genbench.features.resize import clean_resize, legacy_pytorch

sys.path.insert(0, str(Path(__file__).parent))  # test support (importlib mode)
from calibration import INCEPTION_HUB_FILENAME, install_random_inception


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
    store.set_overrides({})


@pytest.fixture(scope="module")
def weights_file(tmp_path_factory: pytest.TempPathFactory):
    """Random calibrated weights where genbench (override) and the peers (TORCH_HOME) read them."""
    torch_home = tmp_path_factory.mktemp("torch-home")
    torch.set_num_threads(1)
    path = install_random_inception(torch_home)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TORCH_HOME", str(torch_home))
        yield path


def _images(seed: int, n: int, h: int, w: int, channels: int = 3) -> np.ndarray:
    """Half noise, half smooth gradients: both kinds stress a resize differently."""
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 256, (n // 2, channels, h, w), dtype=np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    phase = rng.uniform(0, 6.28, (n - n // 2, channels, 1, 1))
    smooth = 127.5 + 127.5 * np.sin(xx / 5.0 + yy / 7.0 + phase)
    return np.concatenate([noise, smooth.round().astype(np.uint8)])


def test_state_dict_layout_is_pytorch_fids(tmp_path, monkeypatch):
    """pytorch-fid loads our state dict strictly: same 566 keys, same shapes, same order."""
    from pytorch_fid.inception import fid_inception_v3

    ours = fid_inception().state_dict()
    (tmp_path / "hub" / "checkpoints").mkdir(parents=True)
    torch.save(ours, tmp_path / "hub" / "checkpoints" / INCEPTION_HUB_FILENAME)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    theirs = fid_inception_v3().state_dict()
    assert len(ours) == 566
    assert list(ours) == list(theirs)
    assert all(ours[k].shape == theirs[k].shape for k in ours)


def test_legacy_pytorch_resize_is_pytorch_fids_formula():
    """pytorch-fid: ToTensor (x/255), bilinear to 299 without corner alignment, 2x - 1."""
    images = torch.from_numpy(_images(1, 4, 21, 33))
    expected = (
        2
        * torch.nn.functional.interpolate(
            images.float().div(255), size=(299, 299), mode="bilinear", align_corners=False
        )
        - 1
    )
    torch.testing.assert_close(legacy_pytorch(images, 299), expected, rtol=0, atol=0)


def test_clean_resize_is_clean_fids():
    from cleanfid.resize import build_resizer

    images = _images(2, 4, 32, 24)
    theirs = np.stack([build_resizer("clean")(im.transpose(1, 2, 0)) for im in images])
    ours = clean_resize(images, 299).transpose(0, 2, 3, 1)
    np.testing.assert_array_equal(ours, theirs)


def test_wrong_state_dict_is_refused(tmp_path):
    bad = tmp_path / "not-inception.pth"
    torch.save({"conv.weight": torch.zeros(3)}, bad)
    store.set_overrides([f"inception-v3-fid={bad}"])
    with pytest.raises(genbench.GenbenchError, match="not an FID Inception state dict"):
        load_extractor("inception-v3-fid")


def test_missing_weights_offline_say_how_to_get_them(monkeypatch, tmp_path):
    monkeypatch.setenv("GENBENCH_HOME", str(tmp_path))
    monkeypatch.setenv("GENBENCH_OFFLINE", "1")
    with pytest.raises(genbench.GenbenchError) as error:
        load_extractor("inception-v3-fid")
    assert "genbench weights fetch inception-v3-fid" in str(error.value)
    assert INCEPTION_HUB_FILENAME in str(error.value)


def _relative(ours: np.ndarray, theirs: np.ndarray) -> float:
    return float(np.abs(ours - theirs).max() / np.abs(theirs).max())


@pytest.mark.reference
@pytest.mark.slow
def test_legacy_pytorch_features_match_pytorch_fid(weights_file):
    from pytorch_fid.inception import InceptionV3

    store.set_overrides([f"inception-v3-fid={weights_file}"])
    extractor = load_extractor("inception-v3-fid", resize="legacy-pytorch")
    peer = InceptionV3([3]).eval()
    for images in (_images(3, 4, 32, 32), _images(4, 4, 50, 37, channels=1)):
        ours = extractor(images)["features"].numpy()
        rgb = torch.from_numpy(images).expand(-1, 3, -1, -1).float() / 255
        with torch.no_grad():
            theirs = peer(rgb)[0].flatten(1).numpy()
        assert _relative(ours, theirs) < 1e-5


@pytest.mark.reference
@pytest.mark.slow
def test_clean_features_match_clean_fid_resize_path(weights_file):
    """clean mode = clean-fid's resize, then the TF graph's (x - 128) / 128, then the net."""
    from cleanfid.resize import build_resizer
    from pytorch_fid.inception import InceptionV3

    store.set_overrides([f"inception-v3-fid={weights_file}"])
    extractor = load_extractor("inception-v3-fid", resize="clean")
    images = _images(5, 6, 32, 32)
    resized = np.stack([build_resizer("clean")(im.transpose(1, 2, 0)) for im in images])
    peer = InceptionV3([3], resize_input=False, normalize_input=False).eval()
    with torch.no_grad():
        theirs = peer((torch.from_numpy(resized).permute(0, 3, 1, 2) - 128) / 128)[0]
    ours = extractor(images)["features"].numpy()
    assert _relative(ours, theirs.flatten(1).numpy()) < 1e-4


@pytest.mark.reference
@pytest.mark.slow
def test_legacy_pytorch_features_match_clean_fid_legacy_mode(weights_file, tmp_path):
    from cleanfid.features import build_feature_extractor
    from cleanfid.fid import get_folder_features
    from PIL import Image

    images = _images(6, 6, 32, 32)
    for i, image in enumerate(images):
        Image.fromarray(image.transpose(1, 2, 0)).save(tmp_path / f"{i:02d}.png")
    model = build_feature_extractor("legacy_pytorch", torch.device("cpu"), use_dataparallel=False)
    theirs = get_folder_features(
        str(tmp_path),
        model,
        num_workers=0,
        batch_size=6,
        device=torch.device("cpu"),
        mode="legacy_pytorch",
        verbose=False,
    )
    store.set_overrides([f"inception-v3-fid={weights_file}"])
    ours = load_extractor("inception-v3-fid")(images)["features"].numpy()
    assert _relative(ours, theirs) < 1e-4
