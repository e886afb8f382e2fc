"""PatchGAN (Isola et al. 2017, section 3.2.2): a discriminator that scores every
overlapping N×N patch of an image as real or fake, and its multi-scale stack (Wang et al.
2018, pix2pixHD; used by GauGAN).

The network is fully convolutional: 4×4 convolutions with stride 2 (``layers`` of them),
one more at stride 1 that doubles the channels, and a 4×4 convolution at stride 1 to one
logit per position. Each logit sees only its receptive field, so the discriminator models
high frequencies (texture, edges) and leaves low frequencies to an L1 term. pix2pix's
70×70 discriminator on 256 px images is ``layers=3``; ``receptive_field`` gives the patch
size of any configuration.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm


def receptive_field(convolutions: list[nn.Conv2d]) -> int:
    """Side in pixels of the input patch one output of the stacked convolutions sees."""
    size = 1
    for conv in reversed(convolutions):
        kernel, stride = conv.kernel_size[0], conv.stride[0]
        size = (size - 1) * stride + kernel
    return size


class PatchDiscriminator(nn.Module):
    """Images (n, in_channels, H, W) -> logits (n, 1, h, w), one per patch.

    ``norm`` is ``"instance"`` (pix2pix with batch size 1, CycleGAN) or ``"none"``;
    ``spectral`` wraps every convolution in spectral normalisation (GauGAN).
    """

    def __init__(
        self,
        in_channels: int,
        width: int = 64,
        layers: int = 1,
        norm: str = "instance",
        spectral: bool = False,
    ) -> None:
        super().__init__()
        wrap = spectral_norm if spectral else (lambda module: module)
        self.convolutions: list[nn.Conv2d] = []
        self.blocks = nn.ModuleList()
        channels = in_channels
        # C64 without normalisation, then C128, C256, ... (stride 2), one at stride 1.
        for index in range(layers + 1):
            out = width * 2 ** min(index, 3)
            stride = 2 if index < layers else 1
            conv = nn.Conv2d(channels, out, 4, stride, 1)
            self.convolutions.append(conv)
            parts: list[nn.Module] = [wrap(conv)]
            if index > 0 and norm == "instance":
                parts.append(nn.InstanceNorm2d(out, affine=False))
            parts.append(nn.LeakyReLU(0.2))
            self.blocks.append(nn.Sequential(*parts))
            channels = out
        head = nn.Conv2d(channels, 1, 4, 1, 1)
        self.convolutions.append(head)
        self.blocks.append(wrap(head))

    @property
    def receptive_field(self) -> int:
        return receptive_field(self.convolutions)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.features(images)[-1]

    def features(self, images: torch.Tensor) -> list[torch.Tensor]:
        """The output of every block, the logits last (for feature matching)."""
        outputs = []
        x = images
        for block in self.blocks:
            x = block(x)
            outputs.append(x)
        return outputs


class MultiscaleDiscriminator(nn.Module):
    """``scales`` PatchGANs of the same architecture; scale k sees the image average-pooled
    k times by 2, so coarse scales judge global layout and fine ones detail."""

    def __init__(self, scales: int, in_channels: int, **patch: object) -> None:
        super().__init__()
        self.scales = [
            PatchDiscriminator(in_channels, **patch)  # type: ignore[arg-type]
            for _ in range(scales)
        ]
        self.discriminators = nn.ModuleList(self.scales)

    def features(self, images: torch.Tensor) -> list[list[torch.Tensor]]:
        """Per scale, the output of every block (logits last)."""
        outputs = []
        x = images
        for discriminator in self.scales:
            outputs.append(discriminator.features(x))
            x = nn.functional.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)
        return outputs
