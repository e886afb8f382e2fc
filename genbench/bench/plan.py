"""Planning a run: which models, on which reference, in which feature space, scored how.

Everything a user can get wrong is found here, before any model is loaded: unknown names,
metrics that do not apply, fields a dataset lacks. All problems are reported at once, with
what exists. Models that share a dataset, reference field and feature extractor form a
group whose reference features are computed once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genbench.bench.config import PRECISIONS, RunConfig
from genbench.bench.schema import META_COLUMNS
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
    "unconditional": ("fid", "kid", "prdc", "pr", "is", "memorization", "mmd", "vendi"),
    "class-conditional": (
        "fid",
        "kid",
        "prdc",
        "pr",
        "is",
        "accuracy",
        "memorization",
        "mmd",
        "vendi",
    ),
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
    seeds: tuple[int, ...]
    precision: str
    prompts: str | None = None
    bootstrap: int = 0

    @property
    def task(self) -> str:
        return self.model.task

    @property
    def seed(self) -> int:
        """The sampling seed of a one-seed job (see ``for_seed``)."""
        if len(self.seeds) != 1:
            raise ValueError(f"a job of seeds {self.seeds} has no single seed; use for_seed")
        return self.seeds[0]

    def for_seed(self, seed: int) -> Job:
        """This job's sample set of one of its seeds."""
        return dataclasses.replace(self, seeds=(seed,))

    @property
    def name(self) -> str:
        """The row's model name: the model's, plus ``@`` and the first 8 hex digits of the
        weights' sha256 when a --weights override replaced its registered file."""
        sha = self.weights_override()
        return f"{self.model.name}@{sha[:8]}" if sha else self.model.name

    def weights_override(self) -> str | None:
        """The sha256 of the model's weights when they are not its registered file."""
        from genbench.weights import resolved_sha256

        weights = self.model.weights
        if weights is None:
            return None
        sha = resolved_sha256(weights)
        return sha if sha != weights.sha256 else None

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
            "precision": self.precision,
            "metrics": sorted(m.name for m in self.metrics),
            "bootstrap": self.bootstrap,
        }
        # One seed keeps the key it always had; several are a list.
        if len(self.seeds) == 1:
            configuration["seed"] = self.seeds[0]
        else:
            configuration["seeds"] = list(self.seeds)
        if self.prompts:  # the prompts decide the samples: their content, not the file name
            configuration["prompts_sha256"] = _file_sha256(self.prompts)
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
        from genbench.data.user import dataset_argument

        parts = [
            "genbench run",
            f"--models {self.model.name}",
            f"--dataset {dataset_argument(self.group.dataset)}",
            f"--features {self.group.features.name}",
            f"--resize {self.group.resize}",
            f"--metrics {','.join(m.name for m in self.metrics)}",
            f"--n-samples {self.n_samples}",
            f"--seeds {','.join(map(str, self.seeds))}"
            if len(self.seeds) > 1
            else f"--seed {self.seeds[0]}",
            f"--precision {self.precision}",
            f"--bootstrap {self.bootstrap}",
        ]
        if self.prompts:
            parts.append(f"--prompts {self.prompts}")
        from genbench.weights import non_reference, override

        for weights in (self.model.weights, self.group.features.weights):
            if weights is not None and non_reference(weights):
                parts.append(f"--weights {weights.name}={override(weights.name)}")
        return " ".join(parts)


@dataclass(frozen=True)
class Skip:
    """A selected model that the run leaves out, and why (the run goes on without it)."""

    model: str
    reason: str


@dataclass(frozen=True)
class Omission:
    """A requested metric that is not computed for the models of one task, and why."""

    metric: str
    task: str
    reason: str

    def __str__(self) -> str:
        return f"{self.metric} not computed for {self.task} models: {self.reason}"


@dataclass(frozen=True)
class Plan:
    jobs: tuple[Job, ...]
    skips: tuple[Skip, ...] = ()
    omissions: tuple[Omission, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        """One line per reason: models skipped for the same reason share a line."""
        return _notes(self.skips, self.omissions)

    def groups(self) -> dict[tuple[str, str, str, str], list[Job]]:
        out: dict[tuple[str, str, str, str], list[Job]] = {}
        for job in self.jobs:
            out.setdefault(job.group.key, []).append(job)
        return out

    def describe(self, config: RunConfig, device: str, world_size: int = 1) -> str:
        groups = self.groups()
        lines = [
            f"plan: {len(self.jobs)} model(s) in {len(groups)} group(s); "
            f"seed{'s' if len(config.seeds) > 1 else ''} {','.join(map(str, config.seeds))}, "
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


def _notes(skips: Iterable[Skip], omissions: Iterable[Omission]) -> tuple[str, ...]:
    by_reason: dict[str, list[str]] = {}
    for skip in skips:
        by_reason.setdefault(skip.reason, []).append(skip.model)
    lines = [f"skipped {', '.join(models)}: {reason}" for reason, models in by_reason.items()]
    return tuple(dict.fromkeys([*lines, *map(str, omissions)]))


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


@dataclass(frozen=True)
class _ModelPlan:
    """What planning one model found: its job, or why it is skipped, and any problems."""

    job: Job | None = None
    skip: Skip | None = None
    problems: tuple[str, ...] = ()
    omissions: tuple[Omission, ...] = ()


def make_plan(config: RunConfig, registry: Registry) -> Plan:
    """Resolve the options against the registry; raise one GenbenchError listing all problems."""
    problems = _option_problems(config)
    models, unmatched = _select_models(config, registry)
    problems += unmatched
    if not models and not problems:
        problems.append(
            f"no model to run: --models {config.models!r} --exclude {config.exclude!r} left "
            f"nothing (installed: {', '.join(registry.models.names()) or 'none'}; "
            "install a model plugin with `pip install -e plugins/<dist>`)"
        )
    requested: list[MetricSpec] = []
    for name in (n.strip() for n in (config.metrics or "").split(",")):
        if name:
            metric, problem = _lookup(registry.metrics, name)
            requested += [metric] if metric else []
            problems += [problem] if problem else []
    planned = [_plan_model(model, config, registry, requested) for model in models]
    jobs = [p.job for p in planned if p.job is not None]
    skips = tuple(p.skip for p in planned if p.skip is not None)
    omissions = tuple(o for p in planned for o in p.omissions)
    problems += [problem for p in planned for problem in p.problems]
    for metric in requested:
        reasons = sorted({o.reason for o in omissions if o.metric == metric.name})
        if reasons and not any(metric in j.metrics for j in jobs):
            problems.append(
                f"metric {metric.name!r} applies to none of the selected models "
                f"({'; '.join(reasons)})"
            )
    if models and not jobs and not problems:
        problems.append(
            "none of the selected models can be scored: " + "; ".join(_notes(skips, omissions))
        )
    _raise_if_any(problems)
    jobs.sort(key=lambda j: (j.group.key, j.task, j.model.name))
    return Plan(jobs=tuple(jobs), skips=skips, omissions=omissions)


def _option_problems(config: RunConfig) -> list[str]:
    problems = []
    if config.precision not in PRECISIONS:
        problems.append(f"--precision {config.precision!r}: choose one of {', '.join(PRECISIONS)}")
    if config.batch_size < 1:
        problems.append("--batch-size must be at least 1")
    if config.n_samples is not None and config.n_samples < 2:
        problems.append("--n-samples must be at least 2")
    return problems


def _raise_if_any(problems: list[str]) -> None:
    """One GenbenchError listing every problem once, in the order they were found."""
    unique = list(dict.fromkeys(problems))
    if len(unique) == 1:
        raise GenbenchError(unique[0])
    if unique:
        raise GenbenchError("the run cannot start:\n" + "\n".join(f"  - {p}" for p in unique))


def _lookup(catalog: Any, name: str) -> tuple[Any, str | None]:
    """(spec, None), or (None, why there is none)."""
    try:
        return catalog.get(name), None
    except UnknownNameError as error:
        return None, str(error)


def _dataset(registry: Registry, name: str) -> tuple[Any, str | None]:
    """A registered dataset, or a user's image set (folder, zip, npz) given by its path."""
    from genbench.data.user import is_path, user_dataset

    if name not in registry.datasets and is_path(name):
        return user_dataset(name), None
    return _lookup(registry.datasets, name)


def _select_models(config: RunConfig, registry: Registry) -> tuple[list[ModelSpec], list[str]]:
    """Models matching any pattern and no exclusion, and a problem per unknown pattern."""
    chosen: set[str] = set()
    problems = []
    for pattern in (config.models or "all").split(","):
        try:
            chosen.update(m.name for m in registry.models.select(pattern, config.exclude))
        except UnknownNameError as error:
            problems.append(str(error))
    return [m for m in registry.models if m.name in chosen], problems


def _plan_model(
    model: ModelSpec, config: RunConfig, registry: Registry, requested: list[MetricSpec]
) -> _ModelPlan:
    """The job of ``model``, or why it is skipped, with every problem found on the way."""
    where = f"model {model.name!r} (plugin {model.plugin})"
    if config.dataset is None and model.dataset not in registry.datasets:
        reason = (
            f"its dataset {model.dataset!r} is not installed "
            f"(datasets: {', '.join(registry.datasets.names()) or 'none'})"
        )
        return _ModelPlan(skip=Skip(model.name, reason))
    dataset, problem = _dataset(registry, config.dataset or model.dataset)
    if dataset is None:
        return _ModelPlan(problems=(problem,) if problem else ())
    mismatch = dataset_mismatch(model, dataset)
    if mismatch:
        return _ModelPlan(
            problems=(
                f"{where} {mismatch}; pick its own dataset ({model.dataset!r}) or another model",
            )
        )
    problems = [
        f"{where} reads field {field!r} ({role}) which dataset {dataset.name!r} lacks "
        f"(fields: {', '.join(dataset.fields)})"
        for role, field in (("inputs", model.inputs), ("targets", model.targets))
        if field and field not in dataset.fields
    ]
    if model.task == "text-to-image" and not config.prompts and "caption" not in dataset.fields:
        missing = (
            f"needs prompts: dataset {dataset.name!r} has no 'caption' field; "
            "pass --prompts FILE (one prompt per line)"
        )
        # Only a model the user named stops the run; one that a pattern (e.g. all) picked is
        # left out with a note, as a model whose dataset is missing is.
        if model.name in (pattern.strip() for pattern in config.models.split(",")):
            problems.append(f"{where} {missing}")
        else:
            return _ModelPlan(skip=Skip(model.name, missing), problems=tuple(problems))
    if config.features is None and dataset.default_features not in registry.feature_extractors:
        reason = (
            f"the default feature extractor of {dataset.name!r}, "
            f"{dataset.default_features!r}, is not installed; pass --features "
            f"(one of {', '.join(registry.feature_extractors.names()) or 'none'})"
        )
        return _ModelPlan(skip=Skip(model.name, reason), problems=tuple(problems))
    features, problem = _lookup(
        registry.feature_extractors, config.features or dataset.default_features
    )
    if features is None:
        return _ModelPlan(problems=(*problems, problem) if problem else tuple(problems))
    trained_on = features.trained_on
    if trained_on is not None and trained_on != (dataset.channels, dataset.resolution):
        problems.append(
            f"--features {features.name!r} was trained on {trained_on[0]}-channel"
            f" {trained_on[1]}px images only, and dataset {dataset.name!r} holds"
            f" {dataset.channels}-channel {dataset.resolution}px images: its features of them"
            " would mean nothing; pass --features inception-v3-fid or a net made for them"
        )
        return _ModelPlan(problems=tuple(problems))
    resize = config.resize or features.resize_modes[0]
    if resize not in features.resize_modes:
        problems.append(
            f"--resize {resize!r}: feature extractor {features.name!r} accepts "
            f"{', '.join(features.resize_modes)}"
        )
        return _ModelPlan(problems=tuple(problems))
    metrics, omissions = _metrics_for(model.task, features, registry, requested)
    if not requested and not metrics:
        problems.append(
            f"no default metric of {model.task} models is registered "
            f"(defaults: {', '.join(DEFAULT_METRICS[model.task])}; registered: "
            f"{', '.join(registry.metrics.names()) or 'none'}); pass --metrics"
        )
    problems += [
        f"metric {metric.name!r} (plugin {metric.plugin}) names column(s) "
        f"{', '.join(clash)}, which are leaderboard metadata; rename them"
        for metric in metrics
        if (clash := sorted(set(metric.columns) & set(META_COLUMNS)))
    ]
    if not metrics:
        skip = None
        if requested:
            names = ", ".join(m.name for m in default_metrics(model.task, features, registry))
            skip = Skip(
                model.name,
                f"no requested metric applies to {model.task} "
                f"(metrics that do: {names or 'none registered'})",
            )
        return _ModelPlan(skip=skip, problems=tuple(problems), omissions=omissions)
    field = model.targets if model.task in TRANSLATION else "image"
    job = Job(
        model=model,
        group=Group(dataset=dataset, field=field, features=features, resize=resize),
        metrics=metrics,
        n_samples=config.n_samples or dataset.n_samples,
        seeds=config.seeds,
        bootstrap=config.bootstrap,
        precision=config.precision,
        prompts=config.prompts if model.task == "text-to-image" else None,
    )
    problems += _memory_problems(job)
    return _ModelPlan(job=job, problems=tuple(problems), omissions=omissions)


def _memory_problems(job: Job) -> list[str]:
    """Refuse a sample count whose features (and images, when a metric reads them) cannot
    fit in this machine's memory, before any work: they are kept until the metrics run."""
    import os

    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows): nothing to compare
        return []
    per_sample = 4 * sum(job.group.features.outputs.values())
    what = f"the {job.group.features.name} features"
    if any("images" in m.consumes for m in job.metrics):
        model = job.model
        per_sample += model.channels * model.resolution * model.resolution
        what += " and images"
    if job.n_samples * per_sample <= memory:
        return []
    return [
        f"--n-samples {job.n_samples}: {what} of that many samples take "
        f"{job.n_samples * per_sample / 2**30:,.0f} GiB, more than this machine's "
        f"{memory / 2**30:,.0f} GiB of memory (at most {memory // per_sample:,} samples fit); "
        "lower --n-samples"
    ]


def _metrics_for(
    task: str, features: FeatureExtractorSpec, registry: Registry, requested: list[MetricSpec]
) -> tuple[tuple[MetricSpec, ...], tuple[Omission, ...]]:
    """The requested metrics that apply to a model of ``task`` and why the others do not;
    with none requested, the task's defaults."""
    if not requested:
        return default_metrics(task, features, registry), ()
    reasons = {m.name: inapplicable(m, task, features) for m in requested}
    chosen = tuple(m for m in requested if reasons[m.name] is None)
    omissions = tuple(
        Omission(name, task, reason) for name, reason in reasons.items() if reason is not None
    )
    return chosen, omissions


def _file_sha256(path: str) -> str:
    """The sha256 of a file's bytes; an unreadable file is the run's problem to report."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as error:
        raise GenbenchError(f"cannot read prompts file {path}: {error}") from error
