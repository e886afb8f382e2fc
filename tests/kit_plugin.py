"""A plugin with the bugs plugin authors make, one model each, for the conformance kit's tests
(installed as a real distribution by the ``install_plugin`` fixture)."""

from __future__ import annotations

import genbench
import genbench.seeding

SIZE = 8


class Generator:
    """Per-sample noise images; ``kind`` picks the bug."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def sample(self, request):
        import torch

        n = len(request)
        x = genbench.seeding.PerSampleNoise(request.seeds).randn(1, SIZE, SIZE).tanh()
        if self.kind == "batch-above-8" and n > 8:
            # a "fast path" for large batches that draws one noise tensor for all of them
            torch.manual_seed(request.seeds[0])
            x = torch.randn(n, 1, SIZE, SIZE).tanh()
        if self.kind == "random":
            x = x + 0.5 * torch.randn(n, 1, SIZE, SIZE)
        if self.kind == "unit-range":
            return ((x + 1) / 2).round().to(torch.uint8)  # forgot the * 255
        return ((x + 1) * 127.5).round().clamp(0, 255).to(torch.uint8)


def _model(kind: str, **extra) -> genbench.ModelSpec:
    return genbench.ModelSpec(
        name=f"kit.{kind}",
        family="kit",
        task=extra.pop("task", "unconditional"),
        dataset="digits",
        resolution=SIZE,
        channels=1,
        load=lambda device: Generator(kind),
        **extra,
    )


@genbench.hookimpl
def genbench_register_models(register):
    for kind in ("good", "batch-above-8", "random", "unit-range"):
        register(_model(kind))
    register(_model("deaf", task="class-conditional", num_classes=10))  # ignores its labels
