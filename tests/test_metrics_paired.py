"""SSIM, PSNR and LPIPS on image pairs: scikit-image's and lpips' own values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from genbench.errors import GenbenchError
from genbench.metrics import load_lpips, lpips_distance, lpips_diversity, psnr, ssim

# One thread: on 2 shared cores, more threads only contend.
torch.set_num_threads(1)


def _images(n: int, channels: int, size: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    smooth = rng.integers(0, 256, (n, channels, size // 4, size // 4)).repeat(4, 2).repeat(4, 3)
    return np.clip(smooth + rng.integers(-20, 21, smooth.shape), 0, 255).astype(np.uint8)


def test_ssim_and_psnr_are_scikit_image_averaged_over_pairs():
    from skimage.metrics import peak_signal_noise_ratio, structural_similarity

    outputs, targets = _images(6, 3, 32, 0), _images(6, 3, 32, 1)
    pairs = list(zip(outputs, targets, strict=True))
    expected_ssim = np.mean(
        [structural_similarity(t, o, channel_axis=0, data_range=255) for o, t in pairs]
    )
    expected_psnr = np.mean([peak_signal_noise_ratio(t, o, data_range=255) for o, t in pairs])
    assert ssim(outputs, targets) == pytest.approx(expected_ssim, rel=1e-12)
    assert psnr(outputs, targets) == pytest.approx(expected_psnr, rel=1e-12)
    assert ssim(targets, targets) == pytest.approx(1.0)
    assert psnr(targets, targets) == np.inf


def test_paired_metrics_refuse_bad_pairs():
    images = _images(4, 1, 16, 0)
    with pytest.raises(GenbenchError, match="same shape"):
        ssim(images, images[:3])
    with pytest.raises(GenbenchError, match="uint8"):
        psnr(images.astype(np.float32), images)
    with pytest.raises(GenbenchError, match="no image pairs"):
        psnr(images[:0], images[:0])


@pytest.fixture(scope="module")
def alexnet_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random AlexNet in torchvision's state-dict format (the real one is a download)."""
    import torchvision

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("weights") / "alexnet-random.pth"
    state = torchvision.models.alexnet(weights=None).state_dict()
    torch.save(state, path)
    return path


@pytest.mark.reference
def test_lpips_equals_the_lpips_package_with_the_same_trunk(alexnet_file, monkeypatch):
    import lpips
    import torchvision

    trunk = torchvision.models.alexnet(weights=None)
    trunk.load_state_dict(torch.load(alexnet_file, weights_only=True))
    # lpips builds its trunk with torchvision's alexnet(pretrained=True): hand it ours.
    monkeypatch.setattr(lpips.pretrained_networks.tv, "alexnet", lambda **_: trunk)
    reference = lpips.LPIPS(net="alex", verbose=False).eval()

    outputs, targets = _images(5, 3, 64, 0), _images(5, 3, 64, 1)
    with torch.no_grad():
        expected = reference(
            torch.from_numpy(outputs).float() / 127.5 - 1,
            torch.from_numpy(targets).float() / 127.5 - 1,
        )
    ours = load_lpips(backbone=alexnet_file)
    assert lpips_distance(outputs, targets, model=ours, batch_size=2) == pytest.approx(
        float(expected.double().mean()), rel=1e-6
    )


def test_lpips_on_small_grey_images_and_diversity(alexnet_file):
    model = load_lpips(backbone=alexnet_file)
    images = _images(6, 1, 16, 0)
    assert lpips_distance(images, images, model=model) == pytest.approx(0.0, abs=1e-7)
    assert lpips_distance(images, _images(6, 1, 16, 1), model=model) > 0
    groups = [0, 0, 0, 1, 1, 2]
    # Pairs (0,1), (0,2), (1,2), (3,4): the mean of their distances.
    a, b = np.array([0, 0, 1, 3]), np.array([1, 2, 2, 4])
    expected = lpips_distance(images[a], images[b], model=model)
    assert lpips_diversity(images, groups, model=model) == pytest.approx(expected, rel=1e-6)
    assert lpips_diversity(np.repeat(images[:1], 4, axis=0), [0] * 4, model=model) < 1e-7
    with pytest.raises(GenbenchError, match="two images with the same condition"):
        lpips_diversity(images[:3], [0, 1, 2], model=model)


def test_lpips_refuses_a_backbone_of_the_wrong_format(tmp_path):
    path = tmp_path / "wrong.pth"
    torch.save({"features.0.weight": torch.zeros(3)}, path)
    with pytest.raises(GenbenchError, match="torchvision's alex state dict"):
        load_lpips(backbone=path)


def test_lpips_on_another_trunk_says_so(alexnet_file):
    """An LPIPS trunk other than torchvision's published AlexNet warns (the row's warnings)."""
    from genbench import get_registry
    from genbench.spec import MetricInputs
    from genbench.weights import set_overrides

    metric = get_registry().metrics.get("lpips")
    images = _images(4, 3, 32, 0)
    inputs = MetricInputs(real={}, fake={}, images=images, targets=_images(4, 3, 32, 1))
    set_overrides({"lpips-alexnet": alexnet_file})
    try:
        with pytest.warns(UserWarning, match="non-reference weights: lpips-alexnet"):
            values = metric.compute(inputs)
    finally:
        set_overrides({})
    assert values["lpips"] > 0
