"""DINOv2 feature extractors built with timm, for FD-DINOv2 as dgm-eval computes it.

dgm-eval (Stein et al. 2023) uses ViT-L/14 at 224×224: each channel resized with PIL's
bicubic filter on float values (as clean-fid does), scaled to [0, 1], normalised with the
ImageNet mean and std; the feature is the final-norm CLS token (1024-d). Smaller variants
(ViT-S/14, ViT-B/14) are registered too, for quick runs.

Weights: Meta's released ``dinov2_vit*14_pretrain.pth`` state dicts (or timm's own), read
with ``weights_only=True`` and converted by timm's checkpoint filter (which also resamples
the 37×37 position embedding of the 518-px checkpoint to 16×16). genbench has no pinned
sha256 for these files, so they are given explicitly with ``--weights NAME=PATH`` and
recorded by their own digest.
"""

from __future__ import annotations

from pathlib import Path

import torch
from timm.models.vision_transformer import VisionTransformer, checkpoint_filter_fn
from torch import nn

from genbench.errors import GenbenchError
from genbench.features.resize import clean_resize
from genbench.weights import load_state_dict

INPUT_SIZE = 224
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

# genbench name -> (timm architecture, Meta's file name and size in bytes where known)
ARCHITECTURES = {
    "dinov2-vits14": ("vit_small_patch14_dinov2", "dinov2_vits14_pretrain.pth"),
    "dinov2-vitb14": ("vit_base_patch14_dinov2", "dinov2_vitb14_pretrain.pth"),
    "dinov2-vitl14": ("vit_large_patch14_dinov2", "dinov2_vitl14_pretrain.pth"),
}
WIDTHS = {"dinov2-vits14": 384, "dinov2-vitb14": 768, "dinov2-vitl14": 1024}


def download_url(name: str) -> str:
    filename = ARCHITECTURES[name][1]
    return f"https://dl.fbaipublicfiles.com/dinov2/{filename.split('_pretrain')[0]}/{filename}"


class DinoV2Extractor(nn.Module):
    """uint8 images → clean bicubic resize to 224, ImageNet normalisation → CLS token."""

    def __init__(self, vit: nn.Module) -> None:
        super().__init__()
        self.vit = vit.eval()
        self.mean: torch.Tensor
        self.std: torch.Tensor
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1) * 255)
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1) * 255)

    def prepare(self, images: torch.Tensor) -> torch.Tensor:
        if images.shape[1] == 1:
            images = images.expand(-1, 3, -1, -1)
        resized = torch.from_numpy(clean_resize(images.cpu().numpy(), INPUT_SIZE))
        return (resized.to(self.mean.device) - self.mean) / self.std

    def embed(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"features": self.vit(x)}

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.embed(self.prepare(images))


def build_vit(name: str) -> VisionTransformer:
    import timm

    architecture = ARCHITECTURES[name][0]
    vit = timm.create_model(architecture, pretrained=False, img_size=INPUT_SIZE, num_classes=0)
    assert isinstance(vit, VisionTransformer)
    return vit


def load_dinov2(
    device: str, resize: str = "clean", weights_path: Path | None = None, *, name: str
) -> DinoV2Extractor:
    """``FeatureExtractorSpec.load`` of the DINOv2 extractors."""
    if weights_path is None:
        raise GenbenchError(
            f"{name} needs Meta's {ARCHITECTURES[name][1]} ({download_url(name)}); genbench"
            f" pins no sha256 for it, so pass it explicitly: --weights {name}=PATH"
        )
    vit = build_vit(name)
    state = checkpoint_filter_fn(load_state_dict(Path(weights_path)), vit)
    try:
        vit.load_state_dict(state)
    except RuntimeError as error:
        raise GenbenchError(f"{weights_path} is not a {name} state dict: {error}") from error
    return DinoV2Extractor(vit).to(device)
