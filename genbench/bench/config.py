"""What a user asked ``genbench run`` for: the options, before anything is resolved."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from genbench.bench.watchdog import DEFAULT_TIMEOUT
from genbench.errors import GenbenchError

PRECISIONS = ("fp32", "bf16", "fp16")


@dataclass(frozen=True)
class RunConfig:
    """The options of one run. ``None`` means: take the default of the model, its dataset
    or its task. ``batch_size``, ``device``, ``out``, ``resume``, ``isolate`` and
    ``timeout`` (``genbench.bench.watchdog``) change how the work is done, never the
    results. ``seeds``: one independent sample set per seed, the row holds their mean;
    ``bootstrap``: resamples of each row's intervals (0: none).
    """

    models: str = "all"
    exclude: str = ""
    dataset: str | None = None
    features: str | None = None
    resize: str | None = None
    metrics: str | None = None
    n_samples: int | None = None
    seeds: tuple[int, ...] = (0,)
    bootstrap: int = 200
    batch_size: int = 64
    device: str = "auto"
    precision: str = "fp32"
    prompts: str | None = None
    out: str = "runs/latest"
    resume: bool = False
    isolate: bool = False
    progress: bool = True
    timeout: float = DEFAULT_TIMEOUT

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunConfig:
        return cls(**{**data, "seeds": tuple(data.get("seeds", (0,)))})


def resolve_device(device: str) -> str:
    """``auto`` is the first GPU when there is one, else the CPU; others are checked."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda"):
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        index = device.split(":", 1)[1] if ":" in device else "0"
        if not index.isdigit() or int(index) >= count:
            raise GenbenchError(
                f"--device {device}: this machine has {count} CUDA device(s); "
                "use --device cpu or --device auto"
            )
    elif device != "cpu" and not device.startswith("mps"):
        raise GenbenchError(f"--device {device!r}: use auto, cpu, cuda or cuda:INDEX")
    return device
