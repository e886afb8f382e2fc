"""pix2pix's networks (Isola et al. 2017, section 3.2 and appendix 6.1), sized for 32 px.

Generator: a U-Net. The encoder halves the resolution five times (32 → 1) with 4×4
stride-2 convolutions (C32-C64-C128-C128-C128, LeakyReLU 0.2, no normalisation on the first
and the innermost layer); the decoder doubles it back with transposed convolutions (ReLU),
and each decoder layer also receives the encoder layer of the same resolution (the skip
connections that let low-level information such as edge positions cross the bottleneck).
Normalisation is instance norm: the paper's batch norm at batch size 1, with test-batch
statistics, is exactly that. Dropout (0.5) on the first three decoder layers is the only
noise, kept on at test time as the paper does; at sampling each mask comes from the
sample's own random stream.

Colourisation (``keep_luma``): the output's luma is the input's, as in the pix2pix
authors' colourisation setting (Lab colour, the input is L and the network predicts a and
b). Here the network predicts RGB and each pixel is shifted equally in R, G and B so that its
ITU-R 601 luma, the weights of shapes' ``gray`` field, equals the input's; the weights sum
to 1, so the shift changes the luma by exactly itself.

Discriminator: a conditional PatchGAN (genbench_gankit.patchgan) on the input and the
output stacked along channels.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from genbench.seeding import PerSampleNoise

DROPOUT = 0.5
LUMA = (0.299, 0.587, 0.114)  # ITU-R 601 luma of R, G, B


class SeededDropout(nn.Module):
    """Dropout that is on at training and at test time (pix2pix's noise source).

    In training it is torch's dropout (the loop seeds torch per iteration); when sampling,
    ``noise`` is the sample's own stream and the mask is drawn from it.
    """

    def __init__(self, p: float = DROPOUT) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor, noise: PerSampleNoise | None) -> torch.Tensor:
        if noise is None:
            return F.dropout(x, self.p, training=True)
        keep = noise.rand(*x.shape[1:], device=x.device) >= self.p
        return x * keep / (1 - self.p)


def _down(channels: int, out: int, norm: bool) -> nn.Sequential:
    layers: list[nn.Module] = [nn.LeakyReLU(0.2), nn.Conv2d(channels, out, 4, 2, 1)]
    if norm:
        layers.append(nn.InstanceNorm2d(out, affine=True))
    return nn.Sequential(*layers)


def _up(channels: int, out: int, last: bool = False) -> nn.Sequential:
    layers: list[nn.Module] = [nn.ReLU(), nn.ConvTranspose2d(channels, out, 4, 2, 1)]
    layers.append(nn.Tanh() if last else nn.InstanceNorm2d(out, affine=True))
    return nn.Sequential(*layers)


class UNetGenerator(nn.Module):
    """Input (n, in_channels, 32, 32) -> image (n, out_channels, 32, 32) in [-1, 1]."""

    def __init__(
        self,
        in_channels: int = 1,
        out_channels: int = 3,
        widths: tuple[int, ...] = (32, 64, 128, 128, 128),
        dropout_layers: int = 3,
        keep_luma: bool = False,
    ) -> None:
        super().__init__()
        if keep_luma and (in_channels, out_channels) != (1, 3):
            raise ValueError("keep_luma maps a grey input to an RGB output (1 → 3 channels)")
        self.keep_luma = keep_luma
        widths = tuple(widths)
        self.encoder = nn.ModuleList([nn.Conv2d(in_channels, widths[0], 4, 2, 1)])
        for index in range(1, len(widths)):
            innermost = index == len(widths) - 1
            self.encoder.append(_down(widths[index - 1], widths[index], norm=not innermost))
        self.decoder = nn.ModuleList()
        # Decoder layer k maps to the resolution of encoder layer depth-2-k; it takes the
        # previous decoder output, concatenated with that encoder layer's (all but the first).
        for index in reversed(range(len(widths))):
            channels = widths[index] * (1 if index == len(widths) - 1 else 2)
            out = widths[index - 1] if index > 0 else out_channels
            self.decoder.append(_up(channels, out, last=index == 0))
        self.dropout = nn.ModuleList(SeededDropout() for _ in range(dropout_layers))

    def forward(self, x: torch.Tensor, noise: PerSampleNoise | None = None) -> torch.Tensor:
        out = self._translate(x, noise)
        if not self.keep_luma:
            return out
        luma = sum(weight * out[:, c : c + 1] for c, weight in enumerate(LUMA))
        return out + (x - luma)

    def _translate(self, x: torch.Tensor, noise: PerSampleNoise | None) -> torch.Tensor:
        skips = []
        for layer in self.encoder:
            x = layer(x)
            skips.append(x)
        x = skips.pop()
        for index, layer in enumerate(self.decoder):
            x = layer(x)
            if index < len(self.dropout):
                x = self.dropout[index](x, noise)
            if skips:
                x = torch.cat([x, skips.pop()], dim=1)
        return x
