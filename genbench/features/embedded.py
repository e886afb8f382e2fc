"""The embedded feature nets (``digits-cnn``, ``shapes-cnn``): small CNN classifiers.

They play the role Inception plays for ImageNet-sized data, as MNIST-FID practice does:
features are the penultimate layer, logits serve classifier accuracy and an Inception-score
analogue. The architecture is stored in the weights file's metadata, so the file alone
rebuilds the net.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from genbench.errors import GenbenchError
from genbench.threads import one_cpu_thread
from genbench.train.checkpoint import load_checkpoint


@dataclass(frozen=True)
class ClassifierConfig:
    """Everything that shapes the net; saved with its weights."""

    channels: int
    resolution: int
    num_classes: int
    width: int = 32
    features: int = 128
    # 3×3 convs per stage; stage i has width · 2^i channels and ends in a 2× max-pool.
    convs: tuple[int, ...] = (2, 2)
    # Batch norm after each conv (its running statistics serve at inference, so outputs
    # stay independent of the batch); without it, convs carry their own bias.
    batch_norm: bool = False


class Classifier(nn.Module):
    """Conv stages (3×3 convs, each optionally batch-normed, and a 2× max-pool), an
    embedding, a linear head.

    Takes float images in [0, 1] at the configured size; ``features`` is the ReLU'd
    embedding, ``logits`` the class scores.
    """

    def __init__(self, config: ClassifierConfig) -> None:
        super().__init__()
        self.config = config
        layers: list[nn.Module] = []
        cin = config.channels
        for stage, count in enumerate(config.convs):
            cout = config.width * 2**stage
            for _ in range(count):
                layers.append(nn.Conv2d(cin, cout, 3, padding=1, bias=not config.batch_norm))
                if config.batch_norm:
                    layers.append(nn.BatchNorm2d(cout))
                layers.append(nn.ReLU())
                cin = cout
            layers.append(nn.MaxPool2d(2))
        self.body = nn.Sequential(*layers, nn.Flatten())
        side = config.resolution // 2 ** len(config.convs)
        self.embed = nn.Linear(cin * side**2, config.features)
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(config.features, config.num_classes)

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        features = F.relu(self.embed(self.body(images)))
        return {"features": features, "logits": self.head(self.dropout(features))}


def prepare(images: torch.Tensor, channels: int, resolution: int) -> torch.Tensor:
    """uint8 (n, C, H, W) → float [0, 1] with the net's channels and size.

    RGB becomes grey by the ITU-R 601 luma weights, grey becomes RGB by repetition; other
    sizes are resized bilinearly with antialiasing (images already at size are untouched).
    """
    # in place where it can be: a large image is one float copy, not three
    x = images.to(torch.float32, copy=True)
    x /= 255.0
    if x.shape[1] == 3 and channels == 1:
        luma = torch.tensor([0.299, 0.587, 0.114], device=x.device).view(1, 3, 1, 1)
        x = x.mul_(luma).sum(dim=1, keepdim=True)
    elif x.shape[1] == 1 and channels == 3:
        x = x.expand(-1, 3, -1, -1)
    if x.shape[-2:] != (resolution, resolution):
        x = F.interpolate(x, size=(resolution, resolution), mode="bilinear", antialias=True)
    return x


class EmbeddedExtractor(nn.Module):
    """uint8 images of any size and channel count → the classifier's outputs."""

    def __init__(self, classifier: Classifier) -> None:
        super().__init__()
        self.classifier = classifier.eval()

    def prepare(self, images: torch.Tensor) -> torch.Tensor:
        config = self.classifier.config
        with one_cpu_thread():
            return prepare(images, config.channels, config.resolution)

    def embed(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """On one CPU thread: MKL splits the embedding's thin matmul (128 × 1024 × 128) over
        its threads, so features at 2 threads differed in the last bits from features at 1
        (a torchrun process's default), and a metric depended on the thread count of whoever
        filled the reference cache. These nets are small: 5000 shapes images take 3.1 s at
        one thread, 2.0 s at two."""
        with one_cpu_thread():
            return self.classifier(x)

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.embed(self.prepare(images))


def config_dict(config: ClassifierConfig) -> dict[str, Any]:
    return asdict(config)


def load_classifier(path: Path, device: str = "cpu") -> Classifier:
    """Rebuild the classifier from a weights file written by ``genbench features train``."""
    tensors, saved = load_checkpoint(path, device="cpu")
    try:
        architecture = dict(saved["architecture"])
        if "convs" in architecture:  # JSON metadata holds the tuple as a list
            architecture["convs"] = tuple(architecture["convs"])
        config = ClassifierConfig(**architecture)
    except (KeyError, TypeError) as error:
        raise GenbenchError(
            f"{path} has no embedded-net architecture in its metadata; it was not written by"
            " `genbench features train`"
        ) from error
    net = Classifier(config)
    net.load_state_dict(tensors)
    return net.to(device).eval()


def load_embedded(
    device: str, resize: str = "bilinear", weights_path: Path | None = None
) -> EmbeddedExtractor:
    """``FeatureExtractorSpec.load`` of the embedded nets."""
    if weights_path is None:
        raise GenbenchError("embedded feature nets need their weights file")
    return EmbeddedExtractor(load_classifier(Path(weights_path), device)).to(device)
