"""What image-to-image GANs share: reading a dataset's fields as training pairs, encoding
conditions, and sampling under genbench's per-sample contract.

A translation network maps an input field of a dataset (``edges``, ``gray``, ``semantic``,
``domain_a``) to a target field (``image``, ``domain_b``). Grey-level inputs enter the
network in [-1, 1]; a semantic map (integer classes) enters one-hot, as GauGAN and
pix2pix's label → photo experiments do. Importing this module is cheap (no torch), so
plugins register their models from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import genbench
from genbench.seeding import PerSampleNoise, derive_seed
from genbench.train import one_cpu_thread, to_uint8, to_unit_range

if TYPE_CHECKING:
    import torch
    from torch import nn

# The last rows of the training split are held back to choose the best checkpoint; the
# benchmark's held-out split is never seen in training.
VALIDATION_ROWS = 500


@dataclass(frozen=True)
class Fields:
    """Which dataset fields a model translates, and how its input is encoded.

    ``paired``: each input has its target (pix2pix, GauGAN). Unpaired (CycleGAN): the two
    fields are two domains whose rows are unrelated, drawn independently.
    ``channels``: the input field's channels; ``input_classes``: the number of classes of
    a semantic-map input (fed one-hot), else None.
    """

    inputs: str
    targets: str
    paired: bool = True
    channels: int = 1
    input_classes: int | None = None

    @property
    def network_channels(self) -> int:
        """Channels of the encoded input the network takes."""
        return self.input_classes or self.channels

    def encode(self, inputs: torch.Tensor) -> torch.Tensor:
        """uint8 input images (n, C, H, W) as the network's float input."""
        from torch import nn

        if self.input_classes is None:
            return to_unit_range(inputs)
        classes = inputs[:, 0].long()
        if len(classes) and int(classes.max()) >= self.input_classes:
            raise genbench.GenbenchError(
                f"semantic map holds class {int(classes.max())}; this model knows"
                f" {self.input_classes} classes (0..{self.input_classes - 1})"
            )
        one_hot = nn.functional.one_hot(classes, self.input_classes)
        return one_hot.permute(0, 3, 1, 2).float()


@dataclass(frozen=True)
class TranslationRecipe:
    """What every translation run is configured by; families add their loss weights."""

    batch_size: int = 16
    lr_generator: float = 2e-4
    lr_discriminator: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    steps: int = 5000
    eval_every: int = 250
    sample_every: int = 1000
    checkpoint_every: int = 250
    log_every: int = 10

    def __post_init__(self) -> None:
        object.__setattr__(self, "betas", tuple(float(b) for b in self.betas))

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def training_rows(split_size: int) -> tuple[range, range]:
    """(rows trained on, rows held back for validation) of the training split."""
    return range(split_size - VALIDATION_ROWS), range(split_size - VALIDATION_ROWS, split_size)


class FieldBatches:
    """Seeded batches of (input, target) uint8 images from a dataset split's two fields.

    Batch b comes from the permutation of epoch ``b // batches_per_epoch`` seeded with
    ``derive_seed(seed, stream, epoch)``: a resumed run sees the batches an uninterrupted
    one would. Paired fields share one permutation; unpaired domains get one each.
    """

    def __init__(
        self,
        dataset: str,
        split: str,
        fields: Fields,
        rows: range,
        batch_size: int,
        seed: int,
        device: str,
    ) -> None:
        import torch

        data = genbench.get_registry().datasets.get(dataset).load(split)
        if len(rows) < batch_size:
            raise genbench.GenbenchError(
                f"dataset {dataset!r} split {split!r} has {len(rows)} training rows, fewer"
                f" than the batch size {batch_size}; pass a smaller batch_size"
            )
        self.inputs = torch.from_numpy(data.read(fields.inputs, rows)).to(device)
        self.targets = torch.from_numpy(data.read(fields.targets, rows)).to(device)
        self.paired, self.batch_size, self.seed = fields.paired, batch_size, seed
        self.batches_per_epoch = len(rows) // batch_size

    def _rows(self, stream: int, epoch: int, position: int) -> torch.Tensor:
        import torch

        generator = torch.Generator().manual_seed(derive_seed(self.seed, stream, epoch))
        order = torch.randperm(len(self.inputs), generator=generator)
        return order[position * self.batch_size : (position + 1) * self.batch_size]

    def batch(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Batch number ``index`` of the run: (inputs, targets), uint8."""
        epoch, position = divmod(index, self.batches_per_epoch)
        rows = self._rows(0, epoch, position).to(self.inputs.device)
        other = rows if self.paired else self._rows(1, epoch, position).to(self.inputs.device)
        return self.inputs[rows], self.targets[other]


class TranslationSampler:
    """A ``genbench.Generator`` around a translation network ``network(x, noise)``, where
    ``noise`` is the sample's own random stream (None in training: the network then draws
    from torch's global generator, seeded per iteration by the loop).

    Each sample runs alone, in eval mode, with its own ``PerSampleNoise`` stream: CPU
    kernels block their work by batch size, so a batch of one is the only way a sample's
    last bits (and so its uint8 rounding) depend on its seed and input alone.
    """

    def __init__(self, network: nn.Module, fields: Fields) -> None:
        self.network, self.fields = network, fields

    def sample(self, request: genbench.SampleRequest) -> torch.Tensor:
        import torch

        if request.inputs is None or len(request.inputs) != len(request):
            raise genbench.GenbenchError(
                "a translation model needs one input image per seed in SampleRequest.inputs"
            )
        device = next(self.network.parameters()).device
        inputs = self.fields.encode(torch.as_tensor(request.inputs)).to(device)
        outputs = []
        was_training = self.network.training
        self.network.eval()
        try:
            with torch.no_grad(), one_cpu_thread():
                for i, seed in enumerate(request.seeds):
                    noise = PerSampleNoise([seed])
                    outputs.append(self.network(inputs[i : i + 1], noise))
        finally:
            self.network.train(was_training)
        if not outputs:
            return torch.empty((0, 3, 1, 1), dtype=torch.uint8)
        return to_uint8(torch.cat(outputs)).cpu()


def load_sampler(
    weights: genbench.Weights,
    build: Callable[..., nn.Module],
    fields: Fields,
    device: str,
) -> TranslationSampler:
    """The network of ``model`` rebuilt from its weights' config: the shipped file (sha256
    checked) or the user's ``--weights``."""
    from genbench.train import load_network

    network, _ = load_network(weights, lambda config: build(**config["architecture"]), device)
    return TranslationSampler(network.to(device), fields)


def _attribute(path: str) -> Any:
    """The object at ``"package.module:name"``, imported now (torch loads here, not at
    registration)."""
    import importlib

    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def _load(
    weights: genbench.Weights, network: str, fields: Fields, device: str
) -> TranslationSampler:
    return load_sampler(weights, _attribute(network), fields, device)


def _train(
    name: str, trainer: str, recipe: TranslationRecipe, fields: Fields, **options: Any
) -> Path:
    from functools import partial

    from genbench_gankit.translation_training import train_translation

    build = partial(_attribute(trainer), name, recipe)
    return train_translation(name, build, recipe, fields, **options)


@dataclass(frozen=True)
class TranslationFamily:
    """What a translation family plugin registers its models with.

    ``network`` and ``trainer`` are ``"module:name"`` paths, imported only when a model is
    loaded or trained: the network class (built from the weights file's architecture) and
    ``trainer(name, recipe, device)``, the family's ``TranslationTrainer``.
    ``architecture(name)`` gives a model's network arguments; ``weights`` is the folder of
    the shipped files (``<family>-<variant>.safetensors``). Models are 32 px RGB on shapes.
    """

    family: str
    network: str
    trainer: str
    recipe: TranslationRecipe
    architecture: Callable[[str], dict[str, Any]]
    weights: Path
    paper: str

    def spec(self, name: str, fields: Fields, sha256: str, description: str) -> genbench.ModelSpec:
        """The ``ModelSpec`` of ``name``, translating ``fields`` with the shipped weights."""
        from functools import partial

        from genbench.train import shipped_weights

        weights = shipped_weights(name, sha256, self.weights)
        return genbench.ModelSpec(
            name=name,
            family=self.family,
            task="paired-translation" if fields.paired else "unpaired-translation",
            dataset="shapes",
            resolution=32,
            channels=3,
            inputs=fields.inputs,
            targets=fields.targets,
            load=partial(_load, weights, self.network, fields),
            weights=weights,
            train=partial(_train, name, self.trainer, self.recipe, fields),
            recipe={**self.recipe.as_dict(), **self.architecture(name)},
            paper=self.paper,
            license="MIT",
            description=description,
            info={"translation": f"{fields.inputs}→{fields.targets}"},
        )
