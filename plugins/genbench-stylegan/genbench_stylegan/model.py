"""The style-based generator of Karras, Laine and Aila 2019 (Figure 1b), small.

- ``mapping``: z (normalised) → w through an MLP whose layers learn 100× slower
  (equalized learning rate with multiplier 0.01, the paper's λ' = 0.01 λ).
- ``synthesis``: a learned constant 4×4 input, then at each resolution two layers (the
  first of each new resolution upsamples ×2 and convolves, the others convolve); after
  every convolution, per-pixel noise scaled by a learned per-channel factor (B), a bias,
  LeakyReLU and AdaIN driven by a learned affine map (A) of that layer's w:

      AdaIN(x_i, y) = y_{s,i} (x_i − μ(x_i)) / σ(x_i) + y_{b,i}

  with μ, σ the mean and standard deviation of feature map i of one image.
- Style mixing: while training, with probability ``mixing`` the layers after a random
  crossover point take the w of a second z.
- Truncation in W: w' = w̄ + ψ (w − w̄), where w̄ is a running mean of w kept during
  training; ``psi`` < 1 trades variety for typical samples.

W is one w for every layer; W+ gives each of the ``num_layers`` AdaIN layers its own w
(the space image embedding optimises in, Abdal et al. 2019). ``synthesis`` takes W+.
The paper has 512 channels at 1024²; here 16–64 at 32², with the paper's 8 mapping layers.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import torch
import torch.nn.functional as F
from genbench_gankit.layers import EqualizedConv2d, EqualizedLinear, leaky_relu, pixel_norm
from torch import nn

W_AVERAGE_DECAY = 0.995


def adain(x: torch.Tensor, scale: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """y_s (x − μ(x)) / σ(x) + y_b per image and feature map; ``scale`` and ``bias`` (n, C)."""
    mean = x.mean(dim=(2, 3), keepdim=True)
    std = torch.sqrt(x.var(dim=(2, 3), keepdim=True, unbiased=False) + 1e-8)
    return scale[:, :, None, None] * (x - mean) / std + bias[:, :, None, None]


class MappingNetwork(nn.Module):
    """z → w: ``depth`` dense layers with LeakyReLU and a 100× lower learning rate."""

    def __init__(self, latent_dim: int, w_dim: int, depth: int, lr_multiplier: float) -> None:
        super().__init__()
        sizes = [latent_dim] + [w_dim] * depth
        self.layers = nn.ModuleList(
            EqualizedLinear(a, b, lr_multiplier=lr_multiplier) for a, b in itertools.pairwise(sizes)
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        w = pixel_norm(z)
        for layer in self.layers:
            w = leaky_relu(layer(w))
        return w


class StyleLayer(nn.Module):
    """[upsample] → [3×3 conv] → + B·noise → + bias → LReLU → AdaIN(·, A(w))."""

    def __init__(
        self, in_channels: int, out_channels: int, w_dim: int, conv: bool, upsample: bool
    ) -> None:
        super().__init__()
        self.upsample = upsample
        self.conv = EqualizedConv2d(in_channels, out_channels, 3) if conv else None
        self.noise_strength = nn.Parameter(torch.zeros(out_channels))  # B, per channel
        self.bias = nn.Parameter(torch.zeros(out_channels))
        # A: the style y = (y_s, y_b); y_s starts at 1 and y_b at 0, as in the paper's code
        self.style_scale = EqualizedLinear(w_dim, out_channels, gain=1.0, bias_init=1.0)
        self.style_bias = EqualizedLinear(w_dim, out_channels, gain=1.0)

    def forward(self, x: torch.Tensor, w: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        if self.upsample:
            x = F.interpolate(x, scale_factor=2, mode="nearest")
        if self.conv is not None:
            x = self.conv(x)
        x = x + self.noise_strength[None, :, None, None] * noise
        x = leaky_relu(x + self.bias[None, :, None, None])
        return adain(x, self.style_scale(w), self.style_bias(w))


class Synthesis(nn.Module):
    """W+ codes (n, num_layers, w_dim) and noise maps → images in about [-1, 1]."""

    def __init__(
        self, w_dim: int, widths: Mapping[int, int], channels: int, resolution: int
    ) -> None:
        super().__init__()
        resolutions = [4 * 2**i for i in range(int(resolution).bit_length() - 2)]
        if resolutions[-1] != resolution:
            raise ValueError(f"resolution {resolution} is not a power of two ≥ 4")
        self.constant = nn.Parameter(torch.ones(1, widths[4], 4, 4))
        layers, shapes, previous = [], [], widths[4]
        for r in resolutions:
            first = r == 4
            layers.append(
                StyleLayer(previous, widths[r], w_dim, conv=not first, upsample=not first)
            )
            layers.append(StyleLayer(widths[r], widths[r], w_dim, conv=True, upsample=False))
            shapes += [(1, r, r), (1, r, r)]
            previous = widths[r]
        self.layers = nn.ModuleList(layers)
        self.noise_shapes: tuple[tuple[int, ...], ...] = tuple(shapes)
        self.to_rgb = EqualizedConv2d(previous, channels, 1, gain=1.0)

    def forward(self, ws: torch.Tensor, noise: Sequence[torch.Tensor]) -> torch.Tensor:
        x = self.constant.expand(len(ws), -1, -1, -1)
        for i, layer in enumerate(self.layers):
            x = layer(x, ws[:, i], noise[i])
        return self.to_rgb(x)


class Generator(nn.Module):
    """z (n, latent_dim) [and noise maps] → images (n, channels, resolution, resolution).

    ``widths`` maps each resolution (a string: JSON keys) to its feature channels.
    ``psi`` is the truncation (a sampling setting, not saved with the weights).
    """

    w_average: torch.Tensor  # a buffer: w̄, tracked while training

    def __init__(
        self,
        latent_dim: int,
        w_dim: int,
        mapping_depth: int,
        widths: Mapping[str, int],
        channels: int,
        resolution: int,
        mixing: float = 0.9,
        mapping_lr_multiplier: float = 0.01,
        psi: float = 1.0,
    ) -> None:
        super().__init__()
        width = {int(r): int(c) for r, c in widths.items()}
        self.mapping = MappingNetwork(latent_dim, w_dim, mapping_depth, mapping_lr_multiplier)
        self.synthesis = Synthesis(w_dim, width, channels, resolution)
        self.latent_dim, self.num_layers = latent_dim, len(self.synthesis.layers)
        self.noise_shapes = self.synthesis.noise_shapes
        self.mixing, self.psi = mixing, psi
        self.register_buffer("w_average", torch.zeros(w_dim))

    def draw_noise(self, n: int, device: torch.device) -> list[torch.Tensor]:
        """Fresh per-pixel noise for n images (training: torch's seeded global stream)."""
        return [torch.randn(n, *shape, device=device) for shape in self.noise_shapes]

    def styles(self, z: torch.Tensor) -> torch.Tensor:
        """W+ codes (n, num_layers, w_dim) for z: one w, or two mixed while training;
        truncated towards w̄ when ``psi`` < 1 and not training."""
        w = self.mapping(z)
        ws = w[:, None].repeat(1, self.num_layers, 1)
        if self.training:
            with torch.no_grad():
                self.w_average.lerp_(w.detach().mean(0), 1 - W_AVERAGE_DECAY)
            if self.mixing and float(torch.rand(())) < self.mixing:
                crossover = int(torch.randint(1, self.num_layers, ()))
                ws[:, crossover:] = self.mapping(torch.randn_like(z))[:, None]
        elif self.psi != 1:
            ws = self.w_average + self.psi * (ws - self.w_average)
        return ws

    def forward(self, z: torch.Tensor, noise: Sequence[torch.Tensor] | None = None) -> torch.Tensor:
        if noise is None:
            noise = self.draw_noise(len(z), z.device)
        return self.synthesis(self.styles(z), noise)
