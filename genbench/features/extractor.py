"""``load_extractor``: a registered feature space, loaded with verified weights.

The ``Extractor`` is what metrics and the harness hold: it checks its input, runs the net
in inference mode and records what identifies the space (spec, resize mode, weights
sha256) so results and caches never mix two spaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from genbench.errors import GenbenchError
from genbench.spec import FeatureExtractorSpec

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    import torch


# Images per extractor call wherever features are compared (the harness's samples and the
# reference cache): float32 CPU kernels round differently for other batch sizes, so a fixed
# chunk keeps results independent of --batch-size and of which command filled the cache.
FEATURE_CHUNK = 128


class Extractor:
    """Maps uint8 images (n, C, H, W) to ``{"features": (n, d), ...}`` float tensors."""

    def __init__(
        self,
        spec: FeatureExtractorSpec,
        net: Callable[[torch.Tensor], dict[str, torch.Tensor]],
        *,
        resize: str,
        weights_sha256: str | None,
        device: str,
    ) -> None:
        self.spec = spec
        self.net = net
        self.resize = resize
        self.weights_sha256 = weights_sha256
        self.device = device

    @property
    def name(self) -> str:
        return self.spec.name

    def identity(self) -> dict[str, Any]:
        """What names this feature space in result rows and cache keys."""
        return {
            "features": self.spec.name,
            "resize": self.resize,
            "weights_sha256": self.weights_sha256,
        }

    def __call__(self, images: torch.Tensor | np.ndarray) -> dict[str, torch.Tensor]:
        import torch

        batch = torch.as_tensor(images)
        if batch.dtype != torch.uint8 or batch.ndim != 4 or batch.shape[1] not in (1, 3):
            raise GenbenchError(
                f"feature extractor {self.name!r} takes uint8 images (n, C, H, W) with C = 1"
                f" or 3; got {batch.dtype} of shape {tuple(batch.shape)}"
            )
        with torch.inference_mode():
            outputs = self.net(batch.to(self.device))
        return {key: value.float() for key, value in outputs.items()}

    def extract(
        self,
        batches: Iterator[np.ndarray | torch.Tensor],
        *,
        total: int | None = None,
        progress: bool = False,
        desc: str = "",
    ) -> dict[str, np.ndarray]:
        """Run over batches of images and stack every output as float32 numpy arrays."""
        import numpy as np
        from tqdm import tqdm

        collected: dict[str, list[np.ndarray]] = {}
        bar = tqdm(total=total, desc=desc or self.name, unit="img", disable=not progress)
        with bar:
            for batch in batches:
                for key, value in self(batch).items():
                    collected.setdefault(key, []).append(value.cpu().numpy())
                bar.update(len(batch))
        if not collected:
            raise GenbenchError(f"no images to extract {self.name!r} features from")
        return {key: np.concatenate(parts).astype(np.float32) for key, parts in collected.items()}


def load_extractor(name: str, device: str = "cpu", resize: str | None = None) -> Extractor:
    """Load a registered feature extractor with its verified weights (see ``genbench.weights``).

    ``resize`` picks one of the spec's ``resize_modes`` (default: the first).
    """
    from genbench import weights as store
    from genbench.plugins import get_registry

    spec: FeatureExtractorSpec = get_registry().feature_extractors.get(name)
    mode = resize or spec.resize_modes[0]
    if mode not in spec.resize_modes:
        raise GenbenchError(
            f"feature extractor {name!r} has no resize mode {mode!r}; choose one of"
            f" {', '.join(spec.resize_modes)}"
        )
    path: Path | None
    sha: str | None
    if spec.weights is not None:
        path, sha = store.resolve(spec.weights), store.resolved_sha256(spec.weights)
    else:
        # a spec without a pinned file may still be given one with --weights NAME=PATH
        path = store.override(spec.name)
        sha = store.digest(path) if path else None
    net = spec.load(device, resize=mode, weights_path=path)
    return Extractor(spec, net, resize=mode, weights_sha256=sha, device=device)
