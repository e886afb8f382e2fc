"""Public checkpoints genbench knows by hub id: what they make and what to compare them with.

A config entry whose ``source`` is one of these ids may leave these keys out. None is
registered unless the config lists it: each names a dataset a user provides (CIFAR-10 from
its archive, for example), and a model whose dataset is missing would stop every run.
"""

from __future__ import annotations

from typing import Any

KNOWN_CHECKPOINTS: dict[str, dict[str, Any]] = {
    "google/ddpm-cifar10-32": {
        "task": "unconditional",
        "dataset": "cifar10",
        "resolution": 32,
        "channels": 3,
        "description": "DDPM of Ho et al. 2020 trained on CIFAR-10 (1000 ancestral steps)",
    },
    "google/ddpm-celebahq-256": {
        "task": "unconditional",
        "dataset": "celebahq",
        "resolution": 256,
        "channels": 3,
        "description": "DDPM of Ho et al. 2020 trained on CelebA-HQ 256",
    },
    "facebook/DiT-XL-2-256": {
        "task": "class-conditional",
        "dataset": "imagenet",
        "resolution": 256,
        "channels": 3,
        "num_classes": 1000,
        "description": "DiT-XL/2 of Peebles & Xie 2023, class-conditional ImageNet 256",
    },
    "stable-diffusion-v1-5/stable-diffusion-v1-5": {
        "task": "text-to-image",
        "dataset": "shapes",
        "resolution": 32,
        "channels": 3,
        "size": 512,
        "description": "Stable Diffusion v1.5 at 512², prompted with the shapes captions",
    },
}
