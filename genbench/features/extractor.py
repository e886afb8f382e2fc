"""``load_extractor``: a registered feature space, loaded with verified weights.

The ``Extractor`` is what metrics and the harness hold: it checks its input, runs the net
in inference mode and records what identifies the space (spec, resize mode, weights
sha256) so results and caches never mix two spaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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


# Float32 bytes of raw images a net's ``prepare`` converts at once: a chunk of large images
# (an 8000×8000 RGB image is 768 MB as float32) is prepared a few images at a time.
PREPARE_BYTES = 1 << 26


class Extractor:
    """Maps uint8 images (n, C, H, W) to ``{"features": (n, d), ...}`` float tensors.

    A net that splits its work into ``prepare(images)`` (uint8 images → the network's
    input: resized, normalised, one image independent of the others) and ``embed(inputs)``
    (input → outputs) is fed by :meth:`extract` with bounded memory: each image is prepared
    as its batch arrives, so large images are never held FEATURE_CHUNK at a time. Other nets
    are called on whole chunks of raw images.
    """

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

    @property
    def space(self) -> str:
        """The feature space's name: the net's, ``net@<sha8>`` on non-reference weights."""
        from genbench.weights import space_name

        return space_name(self.spec.name, self.spec.weights)

    def check_fits(self, channels: int, size: int, source: str) -> None:
        """Refuse images (of ``source``) that a net made for one kind of image never saw."""
        trained = self.spec.trained_on
        if trained is None or trained == (channels, size):
            return
        raise GenbenchError(
            f"{source} holds {channels}-channel {size}px images, but feature net"
            f" {self.name!r} was trained on {trained[0]}-channel {trained[1]}px images only:"
            " its features of these would mean nothing. Pass --features inception-v3-fid (or"
            " another net made for such images)"
        )

    def __call__(self, images: torch.Tensor | np.ndarray) -> dict[str, torch.Tensor]:
        return self.embed(self.prepare(images))

    def prepare(self, images: torch.Tensor | np.ndarray) -> torch.Tensor:
        """The network's input for uint8 images (n, C, H, W), at most ``PREPARE_BYTES`` of
        them converted at once (the raw images if the net does not split its work)."""
        import torch

        batch = torch.as_tensor(images)
        if batch.dtype != torch.uint8 or batch.ndim != 4 or batch.shape[1] not in (1, 3):
            raise GenbenchError(
                f"feature extractor {self.name!r} takes uint8 images (n, C, H, W) with C = 1"
                f" or 3; got {batch.dtype} of shape {tuple(batch.shape)}"
            )
        batch = batch.to(self.device)
        prepare = getattr(self.net, "prepare", None)
        if prepare is None:
            return batch
        step = max(1, PREPARE_BYTES // (4 * 3 * batch.shape[2] * batch.shape[3]))
        with torch.inference_mode():
            parts = [prepare(batch[i : i + step]) for i in range(0, len(batch), step)]
        return parts[0] if len(parts) == 1 else torch.cat(parts)

    def embed(self, inputs: torch.Tensor) -> dict[str, torch.Tensor]:
        """The outputs for ``inputs`` made by :meth:`prepare`."""
        import torch

        embed = getattr(self.net, "embed", self.net)
        with torch.inference_mode():
            outputs = embed(inputs)
        return {key: value.float() for key, value in outputs.items()}

    def chunks(self, batches: Iterable[np.ndarray | torch.Tensor]) -> Iterator[torch.Tensor]:
        """Network inputs of ``batches`` (of any size) in chunks of ``FEATURE_CHUNK`` images
        (the last may be shorter): what the net sees never depends on the batch size."""
        buffer: torch.Tensor | None = None
        filled = 0
        for batch in batches:
            part = self.prepare(batch)
            del batch  # a large raw batch is not kept while the next one is read
            start = 0
            while start < len(part):
                if buffer is None:
                    buffer = part.new_empty((FEATURE_CHUNK, *part.shape[1:]))
                take = min(FEATURE_CHUNK - filled, len(part) - start)
                buffer[filled : filled + take] = part[start : start + take]
                filled, start = filled + take, start + take
                if filled == FEATURE_CHUNK:
                    yield buffer
                    buffer, filled = None, 0
        if buffer is not None:
            yield buffer[:filled]

    def extract(
        self,
        batches: Iterable[np.ndarray | torch.Tensor],
        *,
        total: int | None = None,
        progress: bool = False,
        desc: str = "",
    ) -> dict[str, np.ndarray]:
        """Run over batches of images (any size, see :meth:`chunks`) and stack every output
        as float32 numpy arrays (written in place when ``total`` gives their count)."""
        from tqdm import tqdm

        collected = Stack(total)
        bar = tqdm(total=total, desc=desc or self.name, unit="img", disable=not progress)
        with bar:
            for chunk in self.chunks(batches):
                collected.add(self.embed(chunk))
                bar.update(len(chunk))
        if not collected.count:
            raise GenbenchError(f"no images to extract {self.name!r} features from")
        return collected.arrays()


class Stack:
    """Rows of every output, appended chunk by chunk. With the final count known they go
    straight into arrays of that length: no list of parts and no concatenated copy beside
    it (at 50,000 Inception images the two held 1.2 GB instead of 0.6 GB)."""

    def __init__(self, total: int | None) -> None:
        self.total = total
        self.count = 0
        self.parts: dict[str, list[np.ndarray]] = {}
        self.filled: dict[str, np.ndarray] = {}

    def add(self, outputs: dict[str, torch.Tensor]) -> None:
        import numpy as np

        n = 0
        for key, value in outputs.items():
            rows = value.cpu().numpy()
            n = len(rows)
            if self.total is None:
                self.parts.setdefault(key, []).append(rows)
                continue
            if self.count + n > self.total:
                raise GenbenchError(f"more than the {self.total} images announced to extract")
            if key not in self.filled:
                self.filled[key] = np.empty((self.total, *rows.shape[1:]), np.float32)
            self.filled[key][self.count : self.count + n] = rows
        self.count += n

    def arrays(self) -> dict[str, np.ndarray]:
        import numpy as np

        if self.total is None:
            return {key: np.concatenate(parts) for key, parts in self.parts.items()}
        return {key: array[: self.count] for key, array in self.filled.items()}


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
