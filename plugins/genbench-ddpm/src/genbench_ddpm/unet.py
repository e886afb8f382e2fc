"""The noise-prediction network ε_θ(x_t, t, y) of Ho et al. 2020: a small U-Net.

As in the paper: ResNet blocks with GroupNorm, self-attention at the lowest resolution,
a sinusoidal embedding of t fed to every residual block (by addition, or by adaptive
group norm as Dhariwal & Nichol 2021 do), and skip connections from each down block to
the up block at the same resolution. A class embedding with one extra "null" entry
(Ho & Salimans 2022) is added to the time embedding, so one network serves both the
conditional and the unconditional score that classifier-free guidance mixes.

Every layer works on each sample separately (GroupNorm normalises per sample); the
conditioning projections are computed elementwise (:func:`_per_sample_linear`) because a
CPU matrix product may round a row differently depending on how many rows it is given.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import cast

import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class UNetConfig:
    """Architecture hyperparameters; stored in the checkpoint so it rebuilds itself."""

    image_channels: int = 1
    resolution: int = 16
    patch: int = 2  # space-to-depth: the U-Net runs at resolution / patch
    channels: tuple[int, ...] = (24, 48)  # per resolution level: 8×8, 4×4
    attention_levels: tuple[int, ...] = (1,)  # self-attention at the lowest resolution
    embedding_dim: int = 64
    groups: int = 8
    dropout: float = 0.0
    time_conditioning: str = "add"  # "add" (Ho et al.) or "adagn" (adaptive group norm)
    num_classes: int | None = None  # None: unconditional; else labels 0..n-1, n is null

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, object]) -> UNetConfig:
        fixed = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
        return cls(**fixed)  # type: ignore[arg-type]


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """The Transformer's sinusoidal position encoding of the integer timesteps ``t``."""
    half = dim // 2
    frequencies = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    angles = t.float()[:, None] * frequencies.to(t.device)[None, :]
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


def _per_sample_linear(layer: nn.Linear, x: torch.Tensor) -> torch.Tensor:
    """``layer(x)`` computed as a broadcast product and a sum over the last axis.

    Each output row is then reduced the same way whatever the batch size, which a BLAS
    matrix product does not promise; these layers are tiny, so the cost is nil.
    """
    return (x[:, None, :] * layer.weight[None, :, :]).sum(-1) + layer.bias


class ResBlock(nn.Module):
    """GroupNorm → SiLU → conv, + embedding, GroupNorm → SiLU → dropout → conv, + skip."""

    def __init__(self, cin: int, cout: int, config: UNetConfig) -> None:
        super().__init__()
        self.adaptive = config.time_conditioning == "adagn"
        self.norm1 = nn.GroupNorm(min(config.groups, cin), cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        # "add": a per-channel bias; "adagn": a scale and shift of the second norm.
        self.embedding = nn.Linear(config.embedding_dim, cout * (2 if self.adaptive else 1))
        self.norm2 = nn.GroupNorm(min(config.groups, cout), cout)
        self.dropout = nn.Dropout(config.dropout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        e = _per_sample_linear(self.embedding, emb)[:, :, None, None]
        if self.adaptive:
            scale, shift = e.chunk(2, dim=1)
            h = self.norm2(h) * (1 + scale) + shift
        else:
            h = self.norm2(h + e)
        h = self.conv2(self.dropout(F.silu(h)))
        return self.skip(x) + h


class SelfAttention(nn.Module):
    """Single-head self-attention over the spatial positions, with a residual connection."""

    def __init__(self, channels: int, config: UNetConfig) -> None:
        super().__init__()
        self.norm = nn.GroupNorm(min(config.groups, channels), channels)
        self.qkv = nn.Conv2d(channels, 3 * channels, 1)
        self.out = nn.Conv2d(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, height, width = x.shape
        q, k, v = self.qkv(self.norm(x)).reshape(n, 3, c, height * width).unbind(1)
        weights = torch.softmax(torch.einsum("ncq,nck->nqk", q, k) / math.sqrt(c), dim=-1)
        h = torch.einsum("nqk,nck->ncq", weights, v).reshape(n, c, height, width)
        return x + self.out(h)


class Level(nn.Module):
    """One resolution of the U-Net: a residual block, with attention where configured."""

    def __init__(self, cin: int, cout: int, attention: bool, config: UNetConfig) -> None:
        super().__init__()
        self.block = ResBlock(cin, cout, config)
        self.attention = SelfAttention(cout, config) if attention else nn.Identity()

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        return self.attention(self.block(x, emb))


class UNet(nn.Module):
    """ε_θ(x_t, t, y): predicts the noise in ``x_t`` (n, C, H, W) at timesteps ``t`` (n,).

    ``y`` holds class labels; ``config.num_classes`` (the null label) asks for the
    unconditional prediction. Unconditional networks take ``y=None``.
    """

    def __init__(self, config: UNetConfig) -> None:
        super().__init__()
        self.config = config
        channels, dim = config.channels, config.embedding_dim
        self.time_mlp = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.label_embedding = (
            nn.Embedding(config.num_classes + 1, dim) if config.num_classes else None
        )
        pixels = config.image_channels * config.patch**2
        self.stem = nn.Conv2d(pixels, channels[0], 3, padding=1)
        self.down = nn.ModuleList()
        self.downsample = nn.ModuleList()
        previous = channels[0]
        for level, width in enumerate(channels):
            self.down.append(Level(previous, width, level in config.attention_levels, config))
            if level < len(channels) - 1:
                self.downsample.append(nn.Conv2d(width, width, 3, stride=2, padding=1))
            previous = width
        self.middle = ResBlock(previous, previous, config)
        self.up = nn.ModuleList()
        self.upsample = nn.ModuleList()
        for level in reversed(range(len(channels))):
            width = channels[level]
            self.up.append(Level(previous + width, width, level in config.attention_levels, config))
            if level > 0:  # nearest neighbour ×2 and a 3×3 conv, narrowing to the next level
                self.upsample.append(nn.Conv2d(width, channels[level - 1], 3, padding=1))
            previous = channels[level - 1] if level > 0 else width
        self.head = nn.Sequential(
            nn.GroupNorm(min(config.groups, previous), previous),
            nn.SiLU(),
            nn.Conv2d(previous, pixels, 3, padding=1),
        )

    def embed(self, t: torch.Tensor, y: torch.Tensor | None) -> torch.Tensor:
        """The conditioning vector of each sample: time embedding plus class embedding."""
        first, activation, second = self.time_mlp  # applied row by row, see _per_sample_linear
        h = timestep_embedding(t, self.config.embedding_dim)
        h = activation(_per_sample_linear(cast(nn.Linear, first), h))
        emb = _per_sample_linear(cast(nn.Linear, second), h)
        if self.label_embedding is not None:
            if y is None:
                raise ValueError("a class-conditional U-Net needs labels (num_classes = null)")
            emb = emb + self.label_embedding(y)
        return F.silu(emb)

    def forward(
        self, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor | None = None
    ) -> torch.Tensor:
        emb = self.embed(t, y)
        h = self.stem(F.pixel_unshuffle(x, self.config.patch))
        skips = []
        for level, block in enumerate(self.down):
            h = block(h, emb)
            skips.append(h)
            if level < len(self.downsample):
                h = self.downsample[level](h)
        h = self.middle(h, emb)
        for index, block in enumerate(self.up):
            h = block(torch.cat([h, skips.pop()], dim=1), emb)
            if index < len(self.upsample):
                h = self.upsample[index](F.interpolate(h, scale_factor=2.0, mode="nearest"))
        return F.pixel_shuffle(self.head(h), self.config.patch)
