"""DINOv2 through timm: Meta's checkpoint format (random weights), loading and outputs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import genbench
from genbench import weights as store
from genbench.features import load_extractor
from genbench.features.resize import clean_resize


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
    store.set_overrides({})


@pytest.fixture
def meta_checkpoint(tmp_path):
    """A ViT-S/14 state dict laid out as Meta's dinov2_vits14_pretrain.pth: 518-px position
    embedding (37×37 + CLS) and a ``mask_token``, random values, saved with torch.save."""
    import timm

    torch.manual_seed(0)
    vit = timm.create_model("vit_small_patch14_dinov2", pretrained=False, num_classes=0)
    state = dict(vit.state_dict())
    assert state["pos_embed"].shape == (1, 37 * 37 + 1, 384)
    state["mask_token"] = torch.zeros(1, 384)
    path = tmp_path / "dinov2_vits14_pretrain.pth"
    torch.save(state, path)
    return path


@pytest.mark.slow
def test_dinov2_loads_meta_format_and_matches_timm(meta_checkpoint):
    import timm

    store.set_overrides([f"dinov2-vits14={meta_checkpoint}"])
    extractor = load_extractor("dinov2-vits14")
    assert extractor.weights_sha256 == store.digest(meta_checkpoint)
    images = np.random.default_rng(0).integers(0, 256, (3, 3, 40, 40), dtype=np.uint8)
    ours = extractor(images)["features"]
    assert ours.shape == (3, 384)
    # timm's own loader of the same file, fed dgm-eval's preprocessing by hand
    reference = timm.create_model(
        "vit_small_patch14_dinov2",
        pretrained=True,
        pretrained_cfg_overlay={"file": str(meta_checkpoint)},
        img_size=224,
        num_classes=0,
    ).eval()
    x = torch.from_numpy(clean_resize(images, 224)) / 255
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    with torch.no_grad():
        expected = reference((x - mean) / std)
    torch.testing.assert_close(ours, expected, rtol=1e-4, atol=1e-4)


def test_dinov2_without_weights_names_file_and_flag():
    with pytest.raises(genbench.GenbenchError) as error:
        load_extractor("dinov2-vitl14")
    assert "dinov2_vitl14_pretrain.pth" in str(error.value)
    assert "--weights dinov2-vitl14=PATH" in str(error.value)


def test_wrong_file_is_refused(tmp_path):
    bad = tmp_path / "bad.pth"
    torch.save({"blocks.0.norm1.weight": torch.zeros(3)}, bad)
    store.set_overrides([f"dinov2-vits14={bad}"])
    with pytest.raises(genbench.GenbenchError, match="not a dinov2-vits14 state dict"):
        load_extractor("dinov2-vits14")
