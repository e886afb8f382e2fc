"""Built-in features, registered through the plugin hooks like any third-party plugin.

Loaders import torch only when called, so registration stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import genbench
from genbench.spec import FeatureExtractorSpec, Weights

_SHIPPED = Path(__file__).parent / "weights"


def _load_embedded(device: str, **options: Any) -> Any:
    from genbench.features.embedded import load_embedded

    return load_embedded(device, **options)


def _embedded(
    name: str, trained_on: tuple[int, int], num_classes: int, sha256: str, description: str
) -> FeatureExtractorSpec:
    return FeatureExtractorSpec(
        name=name,
        outputs={"features": 128, "logits": num_classes},
        load=_load_embedded,
        weights=Weights(
            name=name,
            sha256=sha256,
            path=str(_SHIPPED / f"{name}.safetensors"),
            license="MIT (trained by genbench; card beside the file)",
        ),
        resize_modes=("bilinear",),
        trained_on=trained_on,
        description=description,
        license="MIT",
    )


DIGITS_CNN = _embedded(
    "digits-cnn",
    (1, 16),
    10,
    "f13a55c7a9e74b75deb07594a1d88f23df3bb84bc5bfdeabe769aeecff586fcc",
    "CNN classifier trained on `digits` (16×16 grey); features: 128-d penultimate layer,"
    " logits: 10 digits. Images of another size or colour are refused.",
)


SHAPES_CNN = _embedded(
    "shapes-cnn",
    (3, 32),
    9,
    "9a309ebeb50c0249aac9de7a87811eddb6180a58c9ee807412b3d03f77e6082e",
    "CNN classifier trained on `shapes` (32×32 RGB); features: 128-d penultimate layer,"
    " logits: the 9 shape×colour classes (test accuracy 99.9%, see its card). Images of"
    " another size or colour are refused.",
)


def _load_inception(device: str, **options: Any) -> Any:
    from genbench.features.inception import load_inception

    return load_inception(device, **options)


# The TF Inception of 2015-12-05 as pytorch-fid ported it; torch-fidelity serves the same
# bytes under another name. Size and sha256 as published with the pytorch-fid release (the
# file name carries the sha256 prefix, torch.hub's convention).
INCEPTION_WEIGHTS = Weights(
    name="inception-v3-fid",
    filename="pt_inception-2015-12-05-6726825d.pth",
    sha256="6726825d0af5f729cebd5821db510b11b1cfad8faad88a03f1befd49fb9129b2",
    urls=(
        "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
        "pt_inception-2015-12-05-6726825d.pth",
        "https://github.com/toshas/torch-fidelity/releases/download/v0.2.0/"
        "weights-inception-2015-12-05-6726825d.pth",
    ),
    size=95628359,
    license="Apache-2.0 (TensorFlow Inception-v3 2015-12-05, ported by pytorch-fid)",
)

INCEPTION_V3_FID = FeatureExtractorSpec(
    name="inception-v3-fid",
    outputs={"features": 2048, "logits": 1008},
    load=_load_inception,
    weights=INCEPTION_WEIGHTS,
    resize_modes=("legacy-pytorch", "clean"),
    input_size=299,
    description=(
        "The FID Inception-v3 (pool3 features, 2048; logits without bias, 1008). Resize"
        " 'legacy-pytorch' reproduces pytorch-fid and clean-fid's legacy_pytorch mode,"
        " 'clean' clean-fid's PIL bicubic resize."
    ),
    license="Apache-2.0",
)


def _dinov2(name: str, width: int, description: str) -> FeatureExtractorSpec:
    def load(device: str, **options: Any) -> Any:
        from genbench.features.dinov2 import load_dinov2

        return load_dinov2(device, name=name, **options)

    return FeatureExtractorSpec(
        name=name,
        outputs={"features": width},
        load=load,
        resize_modes=("clean",),
        input_size=224,
        description=description + " Weights: --weights NAME=PATH (no pinned sha256).",
        license="Apache-2.0",
    )


DINOV2 = (
    _dinov2("dinov2-vitl14", 1024, "DINOv2 ViT-L/14 CLS token at 224 px, as dgm-eval's FD-DINOv2."),
    _dinov2("dinov2-vitb14", 768, "DINOv2 ViT-B/14 CLS token at 224 px."),
    _dinov2("dinov2-vits14", 384, "DINOv2 ViT-S/14 CLS token at 224 px (quick runs)."),
)


@genbench.hookimpl
def genbench_register_feature_extractors(register: Callable[[FeatureExtractorSpec], None]) -> None:
    for spec in (DIGITS_CNN, SHAPES_CNN, INCEPTION_V3_FID, *DINOV2):
        register(spec)
