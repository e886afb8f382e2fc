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


def _embedded(name: str, num_classes: int, sha256: str, description: str) -> FeatureExtractorSpec:
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
        description=description,
        license="MIT",
    )


DIGITS_CNN = _embedded(
    "digits-cnn",
    10,
    "f13a55c7a9e74b75deb07594a1d88f23df3bb84bc5bfdeabe769aeecff586fcc",
    "CNN classifier trained on `digits` (16×16 grey); features: 128-d penultimate layer,"
    " logits: 10 digits. Other sizes are resized bilinearly, RGB is converted to grey.",
)


@genbench.hookimpl
def genbench_register_feature_extractors(register: Callable[[FeatureExtractorSpec], None]) -> None:
    register(DIGITS_CNN)
