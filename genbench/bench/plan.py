"""Planning a run: which models, on which reference, in which feature space, scored how.

Everything a user can get wrong is found here, before any model is loaded: unknown names,
metrics that do not apply, fields a dataset lacks. All problems are reported at once, with
what exists. Models that share a dataset, reference field and feature extractor form a
group whose reference features are computed once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from genbench.bench.config import PRECISIONS, RunConfig
from genbench.bench.store import META_COLUMNS
from genbench.errors import GenbenchError, UnknownNameError
from genbench.registry import Registry
from genbench.spec import (
    DatasetSpec,
    FeatureExtractorSpec,
    MetricSpec,
    ModelSpec,
    dataset_mismatch,
)

# The metrics each task is scored with unless --metrics says otherwise. Names that are not
# registered or do not apply (e.g. ``is`` without logits) are left out; metrics registered
# for one task alone (a prompt-alignment metric for text-to-image) are added.
# Not ``accuracy`` on unpaired data: its target is another domain than the embedded
# classifier learnt (on shapes' night scenes even the ground truth scores chance, 0.14).
TRANSLATION_SCORES = ("ssim", "psnr", "l1", "lpips", "seed-diversity", "lpips-seed-diversity")
DEFAULT_METRICS: dict[str, tuple[str, ...]] = {
    "unconditional": ("fid", "kid", "prdc", "pr", "is", "memorization"),
    "class-conditional": ("fid", "kid", "prdc", "pr", "is", "accuracy", "memorization"),
    "paired-translation": ("fid", *TRANSLATION_SCORES, "accuracy"),
    "unpaired-translation": ("fid", "kid", *TRANSLATION_SCORES),
    "text-to-image": ("fid",),
}
TRANSLATION = ("paired-translation", "unpaired-translation")


@dataclass(frozen=True)
class Group:
    """Models compared with the same reference features."""

    dataset: DatasetSpec
    field: str
    features: FeatureExtractorSpec
    resize: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.dataset.name, self.field, self.features.name, self.resize)

    @property
    def split(self) -> str:
        return self.dataset.reference_split

    def describe(self) -> str:
        size = self.dataset.n_reference or self.dataset.splits.get(self.split)
        return (
            f"{self.dataset.name} · reference {self.split}[{self.field}] ({size} images)"
            f" · features {self.features.name} (resize {self.resize})"
        )


@dataclass(frozen=True)
class Job:
    """One model to benchmark: one leaderboard row."""

    model: ModelSpec
    group: Group
    metrics: tuple[MetricSpec, ...]
    n_samples: int
    seed: int
    precision: str
    prompts: str | None = None

    @property
    def task(self) -> str:
        return self.model.task

    def configuration(self) -> dict[str, Any]:
        """Everything that determines the row's values (not how fast they were computed)."""
        from genbench.weights import resolved_sha256

        weights, features = self.model.weights, self.group.features.weights
        configuration = {
            "model": self.model.name,
            "weights_sha256": resolved_sha256(weights) if weights else "",
            "dataset": self.group.dataset.name,
            "split": self.group.split,
            "task": self.task,
            "features": self.group.features.name,
            "resize": self.group.resize,
            "n_samples": self.n_samples,
            "n_reference": self.group.dataset.n_reference,
            "seed": self.seed,
            "precision": self.precision,
            "metrics": sorted(m.name for m in self.metrics),
        }
        # A --weights override of the feature net is another feature space. Only then is it
        # part of the configuration, so the ids of runs on the registered nets stay stable.
        if features is not None and resolved_sha256(features) != features.sha256:
            configuration["features_sha256"] = resolved_sha256(features)
        return configuration

    @property
    def config_id(self) -> str:
        """Identifies the row across runs: --resume skips it, leaderboards keep the latest."""
        text = json.dumps(self.configuration(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def reproduce(self) -> str:
        """The command that recomputes this row."""
        parts = [
            "genbench run",
            f"--models {self.model.name}",
            f"--dataset {self.group.dataset.name}",
            f"--features {self.group.features.name}",
            f"--resize {self.group.resize}",
            f"--metrics {','.join(m.name for m in self.metrics)}",
            f"--n-samples {self.n_samples}",
            f"--seed {self.seed}",
            f"--precision {self.precision}",
        ]
        if self.prompts:
            parts.append(f"--prompts {self.prompts}")
        return " ".join(parts)


@dataclass(frozen=True)
class Plan:
    jobs: tuple[Job, ...]
    notes: tuple[str, ...] = ()

    def groups(self) -> dict[tuple[str, str, str, str], list[Job]]:
        out: dict[tuple[str, str, str, str], list[Job]] = {}
        for job in self.jobs:
            out.setdefault(job.group.key, []).append(job)
        return out

    def describe(self, config: RunConfig, device: str, world_size: int = 1) -> str:
        groups = self.groups()
        lines = [
            f"plan: {len(self.jobs)} model(s) in {len(groups)} group(s); seed {config.seed}, "
            f"batch {config.batch_size}, device {device}, precision {config.precision}"
            + (f", {world_size} processes" if world_size > 1 else "")
        ]
        width = max(len(j.model.name) for j in self.jobs)
        for jobs in groups.values():
            lines.append(f"  {jobs[0].group.describe()}")
            for job in jobs:
                metrics = " ".join(m.name for m in job.metrics)
                lines.append(
                    f"    {job.model.name.ljust(width)}  {job.task:<20} {job.n_samples:>6} samples"
                    f"  {metrics}"
                )
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def inapplicable(metric: MetricSpec, task: str, features: FeatureExtractorSpec) -> str | None:
    """Why ``metric`` cannot score a model of ``task`` in ``features`` (None: it can)."""
    if task not in metric.tasks:
        return f"applies to {', '.join(metric.tasks)}, not {task}"
    if "logits" in metric.consumes and "logits" not in features.outputs:
        return f"needs logits, which feature extractor {features.name!r} does not output"
    if "labels" in metric.consumes and task not in ("class-conditional", *TRANSLATION):
        return "needs labels (class-conditional and translation models only)"
    if "targets" in metric.consumes and task not in TRANSLATION:
        return "needs ground-truth targets (translation models only)"
    if "prompts" in metric.consumes and task != "text-to-image":
        return "needs prompts (text-to-image models only)"
    return None


def default_metrics(
    task: str, features: FeatureExtractorSpec, registry: Registry
) -> tuple[MetricSpec, ...]:
    """The task's default metrics that are registered and apply."""
    names = list(DEFAULT_METRICS[task])
    names += [
        m.name
        for m in registry.metrics
        if tuple(m.tasks) == (task,) and "prompts" in m.consumes and m.name not in names
    ]
    chosen = [registry.metrics.get(n) for n in names if n in registry.metrics]
    return tuple(m for m in chosen if inapplicable(m, task, features) is None)


class _Problems:
    """Collects every problem of a plan so that they are reported together."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def lookup(self, catalog: Any, name: str) -> Any:
        try:
            return catalog.get(name)
        except UnknownNameError as error:
            self.add(str(error))
            return None

    def add(self, message: str) -> None:
        if message not in self.items:
            self.items.append(message)

    def raise_if_any(self) -> None:
        if len(self.items) == 1:
            raise GenbenchError(self.items[0])
        if self.items:
            raise GenbenchError(
                "the run cannot start:\n" + "\n".join(f"  - {p}" for p in self.items)
            )


def make_plan(config: RunConfig, registry: Registry) -> Plan:
    """Resolve the options against the registry; raise one GenbenchError listing all problems."""
    problems = _Problems()
    if config.precision not in PRECISIONS:
        problems.add(f"--precision {config.precision!r}: choose one of {', '.join(PRECISIONS)}")
    if config.batch_size < 1:
        problems.add("--batch-size must be at least 1")
    if config.n_samples is not None and config.n_samples < 2:
        problems.add("--n-samples must be at least 2")
    models = _select_models(config, registry, problems)
    if not models and not problems.items:
        problems.add(
            f"no model to run: --models {config.models!r} --exclude {config.exclude!r} left "
            f"nothing (installed: {', '.join(registry.models.names()) or 'none'}; "
            "install a model plugin with `pip install -e plugins/<dist>`)"
        )
    requested = [n.strip() for n in (config.metrics or "").split(",") if n.strip()]
    metric_specs = [m for m in (problems.lookup(registry.metrics, n) for n in requested) if m]
    jobs: list[Job] = []
    notes: list[str] = []
    reasons: dict[str, set[str]] = {m.name: set() for m in metric_specs}
    for model in models:
        job = _job(model, config, registry, metric_specs, problems, notes, reasons)
        if job is not None:
            jobs.append(job)
    for metric in metric_specs:
        if reasons[metric.name] and not any(metric in j.metrics for j in jobs):
            problems.add(
                f"metric {metric.name!r} applies to none of the selected models "
                f"({'; '.join(sorted(reasons[metric.name]))})"
            )
    if models and not jobs and not problems.items:
        problems.add("none of the selected models can be scored: " + "; ".join(_merge_notes(notes)))
    problems.raise_if_any()
    jobs.sort(key=lambda j: (j.group.key, j.task, j.model.name))
    return Plan(jobs=tuple(jobs), notes=_merge_notes(notes))


def _select_models(config: RunConfig, registry: Registry, problems: _Problems) -> list[ModelSpec]:
    """Models matching any pattern (each unknown pattern is a problem) and no exclusion."""
    chosen: set[str] = set()
    for pattern in (config.models or "all").split(","):
        try:
            chosen.update(m.name for m in registry.models.select(pattern, config.exclude))
        except UnknownNameError as error:
            problems.add(str(error))
    return [m for m in registry.models if m.name in chosen]


def _merge_notes(notes: list[str]) -> tuple[str, ...]:
    """One line per reason: "skipped a: why" and "skipped b: why" become "skipped a, b: why"."""
    merged: dict[str, list[str]] = {}
    for note in notes:
        if note.startswith("skipped "):
            model, reason = note[len("skipped ") :].split(": ", 1)
            merged.setdefault(f"skipped {{}}: {reason}", []).append(model)
        else:
            merged.setdefault(note, [])
    return tuple(
        text.format(", ".join(models)) if models else text for text, models in merged.items()
    )


def _job(
    model: ModelSpec,
    config: RunConfig,
    registry: Registry,
    requested: list[MetricSpec],
    problems: _Problems,
    notes: list[str],
    reasons: dict[str, set[str]],
) -> Job | None:
    where = f"model {model.name!r} (plugin {model.plugin})"
    if config.dataset is None and model.dataset not in registry.datasets:
        notes.append(
            f"skipped {model.name}: its dataset {model.dataset!r} is not installed "
            f"(datasets: {', '.join(registry.datasets.names()) or 'none'})"
        )
        return None
    dataset = problems.lookup(registry.datasets, config.dataset or model.dataset)
    if dataset is None:
        return None
    mismatch = dataset_mismatch(model, dataset)
    if mismatch:
        problems.add(
            f"{where} {mismatch}; pick its own dataset ({model.dataset!r}) or another model"
        )
        return None
    for role, field in (("inputs", model.inputs), ("targets", model.targets)):
        if field and field not in dataset.fields:
            problems.add(
                f"{where} reads field {field!r} ({role}) which dataset {dataset.name!r} lacks "
                f"(fields: {', '.join(dataset.fields)})"
            )
    if model.task == "text-to-image" and not config.prompts and "caption" not in dataset.fields:
        problems.add(
            f"{where} needs prompts: dataset {dataset.name!r} has no 'caption' field; "
            "pass --prompts FILE (one prompt per line)"
        )
    if config.features is None and dataset.default_features not in registry.feature_extractors:
        notes.append(
            f"skipped {model.name}: the default feature extractor of {dataset.name!r}, "
            f"{dataset.default_features!r}, is not installed; pass --features "
            f"(one of {', '.join(registry.feature_extractors.names()) or 'none'})"
        )
        return None
    features = problems.lookup(
        registry.feature_extractors, config.features or dataset.default_features
    )
    if features is None:
        return None
    resize = config.resize or features.resize_modes[0]
    if resize not in features.resize_modes:
        problems.add(
            f"--resize {resize!r}: feature extractor {features.name!r} accepts "
            f"{', '.join(features.resize_modes)}"
        )
        return None
    field = model.targets if model.task in TRANSLATION else "image"
    group = Group(dataset=dataset, field=field, features=features, resize=resize)
    metrics = _metrics_for(model, features, registry, requested, notes, problems, reasons)
    for metric in metrics:
        clash = sorted(set(metric.columns) & set(META_COLUMNS))
        if clash:
            problems.add(
                f"metric {metric.name!r} (plugin {metric.plugin}) names column(s) "
                f"{', '.join(clash)}, which are leaderboard metadata; rename them"
            )
    if not metrics:
        return None
    return Job(
        model=model,
        group=group,
        metrics=metrics,
        n_samples=config.n_samples or dataset.n_samples,
        seed=config.seed,
        precision=config.precision,
        prompts=config.prompts if model.task == "text-to-image" else None,
    )


def _metrics_for(
    model: ModelSpec,
    features: FeatureExtractorSpec,
    registry: Registry,
    requested: Iterable[MetricSpec],
    notes: list[str],
    problems: _Problems,
    reasons: dict[str, set[str]],
) -> tuple[MetricSpec, ...]:
    """The requested metrics that apply to ``model`` (the rest are noted), or its defaults."""
    requested = list(requested)
    if not requested:
        defaults = default_metrics(model.task, features, registry)
        if not defaults:
            problems.add(
                f"no default metric of {model.task} models is registered "
                f"(defaults: {', '.join(DEFAULT_METRICS[model.task])}; registered: "
                f"{', '.join(registry.metrics.names()) or 'none'}); pass --metrics"
            )
        return defaults
    chosen: list[MetricSpec] = []
    for metric in requested:
        reason = inapplicable(metric, model.task, features)
        if reason is None:
            chosen.append(metric)
        else:
            reasons[metric.name].add(reason)
            notes.append(f"{metric.name} not computed for {model.task} models: {reason}")
    if not chosen:
        names = ", ".join(m.name for m in default_metrics(model.task, features, registry))
        notes.append(
            f"skipped {model.name}: no requested metric applies to {model.task} "
            f"(metrics that do: {names or 'none registered'})"
        )
    return tuple(chosen)
