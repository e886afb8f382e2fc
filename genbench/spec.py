"""The frozen specs that plugins register, and the protocols their objects follow.

Registration is cheap: a spec holds names, numbers and callables, never tensors or weights.
Nothing here imports torch; the annotations name it only for type checkers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np
    import torch

    from genbench.metrics.bootstrap import Resampling

TASKS = (
    "unconditional",
    "class-conditional",
    "paired-translation",
    "unpaired-translation",
    "text-to-image",
)

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_.-]*)?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class SpecError(ValueError):
    """A spec has an invalid field. ``field`` names it; the registry adds the plugin."""

    def __init__(self, kind: str, name: str, field_name: str, problem: str) -> None:
        self.kind, self.name, self.field = kind, name, field_name
        super().__init__(f"{kind} {name!r}: field {field_name!r} {problem}")


def _check(ok: bool, spec: Any, field_name: str, problem: str) -> None:
    if not ok:
        raise SpecError(type(spec).__name__, getattr(spec, "name", "?"), field_name, problem)


def _check_name(spec: Any) -> None:
    _check(
        isinstance(spec.name, str) and bool(_NAME.match(spec.name)),
        spec,
        "name",
        "must be lower-case 'family.variant' (letters, digits, '-', '_', '.')",
    )


@dataclass(frozen=True)
class Weights:
    """Where a weights file comes from, addressed by its sha256.

    ``path`` is a file shipped inside a package (resolved at registration, never read then);
    ``urls`` are tried in order by ``genbench weights fetch`` when the network is allowed.
    """

    name: str
    sha256: str
    filename: str = ""
    path: str | None = None
    urls: tuple[str, ...] = ()
    size: int | None = None
    license: str = ""

    def __post_init__(self) -> None:
        _check(isinstance(self.name, str) and bool(self.name), self, "name", "must be set")
        _check(
            isinstance(self.sha256, str) and bool(_SHA256.match(self.sha256)),
            self,
            "sha256",
            "must be 64 lower-case hex digits",
        )
        _check(isinstance(self.urls, tuple), self, "urls", "must be a tuple of strings")
        if not self.filename:
            default = self.path.rsplit("/", 1)[-1] if self.path else f"{self.name}.bin"
            object.__setattr__(self, "filename", default)


@dataclass(frozen=True)
class SampleRequest:
    """What the harness asks a generator for.

    ``seeds`` holds one int per sample. By task, ``labels`` (class-conditional),
    ``inputs`` (uint8 images (n, C, H, W), translation) or ``prompts`` (text-to-image)
    carry the condition of each sample, aligned with ``seeds``. ``indices`` are the
    samples' positions in the run (0..n-1); only baselines that replay a dataset use them.
    """

    seeds: Sequence[int]
    labels: Sequence[int] | None = None
    inputs: torch.Tensor | None = None
    prompts: Sequence[str] | None = None
    indices: Sequence[int] | None = None

    def __len__(self) -> int:
        return len(self.seeds)


@runtime_checkable
class Generator(Protocol):
    """What a model's ``load(device)`` returns.

    ``sample(request)`` returns a ``torch.uint8`` tensor of shape (n, C, H, W) on any device.
    Sample i depends only on the weights, ``request.seeds[i]`` and its condition: never on
    the batch size, the other samples in the batch or the number of processes.
    """

    def sample(self, request: SampleRequest) -> torch.Tensor: ...


@dataclass(frozen=True)
class ModelSpec:
    """A generative model: one leaderboard row.

    ``inputs`` names the dataset field fed as ``SampleRequest.inputs`` for translation tasks
    (e.g. ``"edges"`` for pix2pix) and ``targets`` the field the outputs are compared with.
    ``train`` (optional) is called by ``genbench train`` as
    ``train(dataset=..., steps=..., seed=..., out=..., device=...)`` and returns the
    checkpoint path; ``recipe`` holds its default hyperparameters.
    ``info`` holds extra leaderboard columns, such as ``{"nfe": 50}``.
    ``plugin`` and ``plugin_version`` are set by the core when the spec is registered.
    """

    name: str
    family: str
    task: str
    dataset: str
    load: Callable[[str], Generator]
    resolution: int
    channels: int
    num_classes: int | None = None
    weights: Weights | None = None
    inputs: str | None = None
    targets: str = "image"
    paper: str = ""
    license: str = ""
    description: str = ""
    train: Callable[..., Any] | None = None
    recipe: Mapping[str, Any] = field(default_factory=dict)
    info: Mapping[str, Any] = field(default_factory=dict)
    plugin: str = ""
    plugin_version: str = ""

    def __post_init__(self) -> None:
        _check_name(self)
        _check(isinstance(self.family, str) and bool(self.family), self, "family", "must be set")
        _check(self.task in TASKS, self, "task", f"must be one of {', '.join(TASKS)}")
        _check(callable(self.load), self, "load", "must be callable as load(device)")
        _check(
            isinstance(self.resolution, int) and self.resolution > 0,
            self,
            "resolution",
            "must be a positive int",
        )
        _check(self.channels in (1, 3), self, "channels", "must be 1 or 3")
        if self.task == "class-conditional":
            _check(
                isinstance(self.num_classes, int) and self.num_classes > 1,
                self,
                "num_classes",
                "must be an int > 1 for a class-conditional model",
            )
        if self.task in ("paired-translation", "unpaired-translation"):
            _check(bool(self.inputs), self, "inputs", "must name the dataset field fed as input")
        _check(
            self.weights is None or isinstance(self.weights, Weights),
            self,
            "weights",
            "must be a genbench.Weights or None",
        )
        _check(self.train is None or callable(self.train), self, "train", "must be callable")


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset: splits of uint8 images with their fields (labels, maps, domains).

    ``load(split)`` returns a ``DatasetSplit``. ``reference_split`` is what generated samples
    are compared with; ``heldout_split`` holds real images a model never saw (the oracle).
    ``n_samples`` is the default number of samples a benchmark draws on this dataset, and
    ``n_reference`` the number of reference images (None: the whole reference split).
    """

    name: str
    tasks: tuple[str, ...]
    resolution: int
    channels: int
    splits: Mapping[str, int]
    load: Callable[[str], DatasetSplit]
    default_features: str
    num_classes: int | None = None
    fields: tuple[str, ...] = ("image",)
    reference_split: str = "train"
    heldout_split: str = "test"
    n_samples: int = 1000
    n_reference: int | None = None
    citation: str = ""
    license: str = ""
    description: str = ""
    plugin: str = ""
    plugin_version: str = ""

    def __post_init__(self) -> None:
        _check_name(self)
        _check(
            bool(self.tasks) and all(t in TASKS for t in self.tasks),
            self,
            "tasks",
            f"must be a non-empty tuple of {', '.join(TASKS)}",
        )
        _check(self.channels in (1, 3), self, "channels", "must be 1 or 3")
        _check(callable(self.load), self, "load", "must be callable as load(split)")
        _check(
            isinstance(self.splits, Mapping) and self.reference_split in self.splits,
            self,
            "splits",
            f"must map split names to sizes and include {self.reference_split!r}",
        )
        _check("image" in self.fields, self, "fields", "must include 'image'")


def dataset_mismatch(model: ModelSpec, dataset: DatasetSpec) -> str | None:
    """Why ``model`` can be neither trained on nor scored against ``dataset``; None if it can.
    The text continues "model M ...": "makes 1×16² images but dataset 'shapes' holds 3×32²"."""
    if (dataset.resolution, dataset.channels) != (model.resolution, model.channels):
        return (
            f"makes {model.channels}×{model.resolution}² images but dataset {dataset.name!r} "
            f"holds {dataset.channels}×{dataset.resolution}²"
        )
    if model.task == "class-conditional" and dataset.num_classes != model.num_classes:
        return (
            f"draws {model.num_classes} classes but dataset {dataset.name!r} has "
            f"{dataset.num_classes or 'no'} classes"
        )
    return None


class DatasetSplit(Protocol):
    """One split of a dataset: ``read(field, indices)`` returns a numpy array.

    ``read("image", idx)`` is uint8 (n, C, H, W); ``read("label", idx)`` is int64 (n,).
    Other fields (``"semantic"``, ``"edges"``, ...) are uint8 images too, except
    ``read("caption", idx)``: a numpy array of str (n,), the prompts of text-to-image.
    """

    fields: tuple[str, ...]

    def __len__(self) -> int: ...

    def read(self, field: str, indices: Sequence[int]) -> np.ndarray: ...


@runtime_checkable
class FeatureNet(Protocol):
    """What a feature extractor's ``load`` returns.

    Called with uint8 images (n, C, H, W) already on its device, it returns a dict of float
    tensors of shape (n, width), one per output its spec declares (``"features"`` at least).
    """

    def __call__(self, images: torch.Tensor) -> dict[str, torch.Tensor]: ...


@dataclass(frozen=True)
class FeatureExtractorSpec:
    """A feature space. ``load(device, *, resize, weights_path)`` returns a
    :class:`FeatureNet` whose outputs are named as in ``outputs`` (name -> width), e.g.
    ``{"features": 2048, "logits": 1008}``. ``resize`` is one of ``resize_modes`` (the first
    is the default); ``weights_path`` is the verified local file of ``weights``, or None for
    a net without any (``weights=None``).
    """

    name: str
    outputs: Mapping[str, int]
    load: Callable[..., FeatureNet]
    weights: Weights | None = None
    resize_modes: tuple[str, ...] = ("none",)
    input_size: int | None = None
    # (channels, size) of the only images a net made for one dataset has learned to embed
    # (digits-cnn: (1, 16)); other images are refused, as its view of them means nothing.
    # None: any image (a general net such as Inception resizes and converts them).
    trained_on: tuple[int, int] | None = None
    description: str = ""
    license: str = ""
    plugin: str = ""
    plugin_version: str = ""

    def __post_init__(self) -> None:
        _check_name(self)
        _check(
            isinstance(self.outputs, Mapping) and "features" in self.outputs,
            self,
            "outputs",
            "must map output names to widths and include 'features'",
        )
        _check(
            callable(self.load),
            self,
            "load",
            "must be callable as load(device, *, resize, weights_path)",
        )
        _check(bool(self.resize_modes), self, "resize_modes", "must list at least one mode")


METRIC_INPUTS = (
    "features",
    "logits",
    "labels",
    "images",
    "targets",
    "train_features",
    "prompts",
    "variations",
)


@dataclass(frozen=True)
class MetricInputs:
    """Everything a metric may consume; the harness fills what the metric declares.

    ``real`` and ``fake`` map extractor outputs (``"features"``, ``"logits"``) to arrays of
    shape (n, d). ``labels`` are the labels requested of the model (class-conditional) or
    the class of each output's ground truth (translation, when the dataset has labels),
    ``images`` the generated uint8 images and ``targets`` their ground truth (paired
    translation), ``train`` the extractor outputs on the training split (memorization),
    ``prompts`` the prompt each generated image was asked for (text-to-image).

    ``resampling`` (a :class:`genbench.metrics.bootstrap.Resampling`, or None) asks for a
    bootstrap: a metric may then return, beside a column ``c``, ``c + "_replicates"``: the
    column's value on each of ``resampling.resamples`` resamples, drawn with
    ``resampling.reference_counts`` and ``sample_counts``, from which the leaderboard makes
    ``c``'s interval and its tied ranks. Columns without replicates get no interval.

    ``variations`` (translation) holds several outputs of each of the first inputs, drawn
    with other seeds: ``"images"`` uint8 (M, K, C, H, W), the extractor's outputs, e.g.
    ``"features"`` (M, K, d), and the M ``"inputs"`` and ``"targets"``.
    """

    real: Mapping[str, np.ndarray] = field(default_factory=dict)
    fake: Mapping[str, np.ndarray] = field(default_factory=dict)
    labels: np.ndarray | None = None
    images: np.ndarray | None = None
    targets: np.ndarray | None = None
    train: Mapping[str, np.ndarray] = field(default_factory=dict)
    seed: int = 0
    prompts: Sequence[str] | None = None
    resampling: Resampling | None = None
    variations: Mapping[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class MetricSpec:
    """A metric. ``compute(inputs: MetricInputs) -> dict[str, float]`` returns the values
    of the leaderboard ``columns`` it declares. ``consumes`` is a subset of
    ``METRIC_INPUTS``; ``tasks`` the tasks it applies to; ``higher_is_better`` tells the
    leaderboard how to sort by its first column.
    """

    name: str
    columns: tuple[str, ...]
    compute: Callable[[MetricInputs], Mapping[str, float]]
    consumes: tuple[str, ...]
    tasks: tuple[str, ...] = TASKS
    higher_is_better: bool = False
    description: str = ""
    plugin: str = ""
    plugin_version: str = ""

    def __post_init__(self) -> None:
        _check_name(self)
        _check(bool(self.columns), self, "columns", "must name at least one column")
        _check(callable(self.compute), self, "compute", "must be callable as compute(inputs)")
        _check(
            all(c in METRIC_INPUTS for c in self.consumes),
            self,
            "consumes",
            f"must be a subset of {', '.join(METRIC_INPUTS)}",
        )
        _check(all(t in TASKS for t in self.tasks), self, "tasks", f"must be among {TASKS}")


SPEC_KINDS: dict[str, type[Any]] = {
    "model": ModelSpec,
    "dataset": DatasetSpec,
    "feature_extractor": FeatureExtractorSpec,
    "metric": MetricSpec,
}


def spec_fields(spec_type: type) -> list[str]:
    """Names of a spec's fields, in order (for listings and JSON)."""
    return [f.name for f in fields(spec_type)]
