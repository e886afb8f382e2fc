"""``inception-v3-fid``: the Inception-v3 that FID is defined with (TF graph 2015-12-05).

The network is torchvision's Inception3 with the changes the TensorFlow graph has and
torchvision's ImageNet model lacks: 1008 classes, average pools in the Inception-A/C/E
blocks that exclude the zero padding from the mean, and a max pool in the last block's
pool branch. Its state dict has exactly the keys and shapes of pytorch-fid's
``pt_inception-2015-12-05-6726825d.pth`` (torch-fidelity's file is the same bytes).

Outputs: ``features`` (pool3, 2048) and ``logits`` (1008): pool3 times the final layer's
weights *without* its bias, as the original Inception-score code and torch-fidelity's
``logits_unbiased`` compute them.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import inception as tv

from genbench.errors import GenbenchError
from genbench.features.resize import RESIZERS
from genbench.weights import load_state_dict

INPUT_SIZE = 299


def _tf_avg_pool(x: torch.Tensor) -> torch.Tensor:
    """TF's 3×3 average pool: the mean over the window's real pixels, padding left out."""
    return F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)


class FIDInceptionA(tv.InceptionA):
    def _forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        branch5x5 = self.branch5x5_2(self.branch5x5_1(x))
        branch3x3dbl = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return [self.branch1x1(x), branch5x5, branch3x3dbl, self.branch_pool(_tf_avg_pool(x))]


class FIDInceptionC(tv.InceptionC):
    def _forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        branch7x7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        branch7x7dbl = x
        for layer in (
            self.branch7x7dbl_1,
            self.branch7x7dbl_2,
            self.branch7x7dbl_3,
            self.branch7x7dbl_4,
            self.branch7x7dbl_5,
        ):
            branch7x7dbl = layer(branch7x7dbl)
        return [self.branch1x1(x), branch7x7, branch7x7dbl, self.branch_pool(_tf_avg_pool(x))]


class FIDInceptionE(tv.InceptionE):
    """Inception-E; the graph's last block (``Mixed_7c``) pools with a max, not a mean."""

    def __init__(self, in_channels: int, max_pool: bool = False, **kwargs: object) -> None:
        super().__init__(in_channels, **kwargs)
        self.max_pool = max_pool

    def _forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        stem = self.branch3x3_1(x)
        branch3x3 = torch.cat([self.branch3x3_2a(stem), self.branch3x3_2b(stem)], 1)
        dbl = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        branch3x3dbl = torch.cat([self.branch3x3dbl_3a(dbl), self.branch3x3dbl_3b(dbl)], 1)
        pooled = F.max_pool2d(x, 3, stride=1, padding=1) if self.max_pool else _tf_avg_pool(x)
        return [self.branch1x1(x), branch3x3, branch3x3dbl, self.branch_pool(pooled)]


def fid_inception() -> tv.Inception3:
    """The FID Inception with uninitialised weights (load a state dict into it)."""
    blocks = [
        tv.BasicConv2d,
        FIDInceptionA,
        tv.InceptionB,
        FIDInceptionC,
        tv.InceptionD,
        FIDInceptionE,
        tv.InceptionAux,
    ]
    net = tv.Inception3(
        num_classes=1008, aux_logits=False, init_weights=False, inception_blocks=blocks
    )
    net.Mixed_7c = FIDInceptionE(2048, max_pool=True)
    return net


class InceptionExtractor(nn.Module):
    """uint8 images → resized, normalised → pool3 features and unbiased logits."""

    def __init__(self, net: tv.Inception3, resize: str) -> None:
        super().__init__()
        self.net = net.eval()
        self.resize = resize
        self.stem = nn.Sequential(
            net.Conv2d_1a_3x3,
            net.Conv2d_2a_3x3,
            net.Conv2d_2b_3x3,
            net.maxpool1,
            net.Conv2d_3b_1x1,
            net.Conv2d_4a_3x3,
            net.maxpool2,
            net.Mixed_5b,
            net.Mixed_5c,
            net.Mixed_5d,
            net.Mixed_6a,
            net.Mixed_6b,
            net.Mixed_6c,
            net.Mixed_6d,
            net.Mixed_6e,
            net.Mixed_7a,
            net.Mixed_7b,
            net.Mixed_7c,
            net.avgpool,
            nn.Flatten(),
        )

    def prepare(self, images: torch.Tensor) -> torch.Tensor:
        """uint8 images → the net's normalised 299×299 input (each image on its own)."""
        if images.shape[1] == 1:
            images = images.expand(-1, 3, -1, -1)
        return RESIZERS[self.resize](images, INPUT_SIZE)

    def embed(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        features = self.stem(x.contiguous(memory_format=torch.channels_last))
        return {"features": features, "logits": features @ self.net.fc.weight.T}

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.embed(self.prepare(images))


def load_inception(
    device: str, resize: str = "legacy-pytorch", weights_path: Path | None = None
) -> InceptionExtractor:
    """``FeatureExtractorSpec.load`` of ``inception-v3-fid``."""
    if weights_path is None:
        raise GenbenchError("inception-v3-fid needs its weights file")
    net = fid_inception()
    state = load_state_dict(Path(weights_path))
    expected = net.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    wrong = [k for k in expected if k in state and state[k].shape != expected[k].shape]
    if missing or unexpected or wrong:
        raise GenbenchError(
            f"{weights_path} is not an FID Inception state dict (pytorch-fid's"
            f" pt_inception-2015-12-05-6726825d.pth format): missing {missing[:3]},"
            f" unexpected {unexpected[:3]}, wrong shapes {wrong[:3]}"
        )
    net.load_state_dict(state)
    net = net.to(device=device, memory_format=torch.channels_last)
    return InceptionExtractor(net, resize).to(device)
