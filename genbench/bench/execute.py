"""Benchmarking one model: load, sample, extract, score, and turn it all into a row.

Nothing a model does can end the run: a failure to load, an exception while sampling
(``SystemExit`` included), no progress for ``--timeout`` seconds, an output of the wrong
dtype, shape or channels, flat or identical images, a metric that raises — each becomes a
row with ``status=error`` and a message naming the model and its plugin; Ctrl-C still stops
the run, keeping the rows already written. Samples that change when drawn again in another
batch are kept, with a warning in the row. Under torchrun every rank samples its chunks;
rank 0 gathers and scores.
"""

from __future__ import annotations

import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genbench.bench.conditions import Conditions
from genbench.bench.plan import TRANSLATION, Group, Job
from genbench.bench.sampling import (
    GRID_SIZE,
    OutputMonitor,
    Shard,
    chunk_ranges,
    sample_shard,
    seed_contract_problem,
)
from genbench.bench.schema import META_COLUMNS, SCHEMA
from genbench.bench.timing import Stopwatch
from genbench.bench.watchdog import ModelTimeout, Watchdog
from genbench.distributed import World
from genbench.errors import GenbenchError
from genbench.spec import MetricInputs, ModelSpec


@dataclass
class Reference:
    """A group's feature extractor and real features (``error`` when they failed)."""

    extractor: Any = None
    real: dict[str, Any] | None = None
    train: dict[str, Any] | None = None
    error: str | None = None


# What a plugin's code may raise that ends only its own row: a plugin must not end genbench
# (SystemExit) nor hang it (ModelTimeout); KeyboardInterrupt still stops the run.
FAULTS = (Exception, SystemExit, ModelTimeout)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def load_reference(group: Group, jobs: list[Job], device: str, world: World) -> Reference:
    """Load the group's extractor on every rank; real features on rank 0 only (cached)."""
    from genbench.features import load_extractor

    reference = Reference()
    try:
        reference.extractor = load_extractor(
            group.features.name, device=device, resize=group.resize
        )
        if world.main:
            reference.real = _real_features(group, reference.extractor, group.split)
            if any("train_features" in m.consumes for j in jobs for m in j.metrics):
                same = group.split == "train" and group.dataset.n_reference is None
                reference.train = (
                    reference.real if same else _real_features(group, reference.extractor, "train")
                )
    except (Exception, SystemExit) as error:  # reported in the rows of every model of the group
        where = f"feature extractor {group.features.name!r} (plugin {group.features.plugin})"
        reference.error = (
            f"{where} on {group.dataset.name}/{group.split}[{group.field}]: {describe(error)}"
        )
    return reference


def _real_features(group: Group, extractor: Any, split: str) -> dict[str, Any]:
    """Features of real images: cached for the ``image`` field; a translation model's other
    target field (e.g. a CycleGAN domain) is extracted here, uncached."""
    from genbench.features.reference import field_features, reference_features

    n = group.dataset.n_reference if split == group.split else None
    if group.field == "image":
        return dict(reference_features(group.dataset, split, extractor, n=n))
    data = group.dataset.load(split)
    return field_features(data, group.field, n or len(data), extractor)


class JobRunner:
    """Runs jobs of one run: same device, batch size, world and output folder."""

    def __init__(
        self,
        *,
        device: str,
        batch_size: int,
        world: World,
        out: Path,
        progress: bool,
        watchdog: Watchdog | None = None,
    ) -> None:
        self.device = device
        self.batch_size = batch_size
        self.world = world
        self.out = out
        self.progress = progress and world.main
        self.watchdog = watchdog or Watchdog(0)

    def run(self, job: Job, reference: Reference) -> dict[str, Any] | None:
        """The row of ``job`` on rank 0 (None on other ranks); never raises for model faults.

        Each of the job's seeds is an independent sample set, sampled and scored in turn;
        the row combines them (``genbench.bench.combine``)."""
        import time

        from genbench.bench.combine import combine

        start = time.perf_counter()
        watch = Stopwatch()
        row = base_row(job, self.device, self.world.size, self.batch_size)
        generator, error = (None, reference.error) if reference.error else self._load(job, watch)
        per_seed: list[dict[str, Any]] = []
        errors: list[str] = []
        sampling_s = features_s = 0.0
        for seed in job.seeds:
            single = job.for_seed(seed)
            shard = Shard(error=error)
            if shard.error is None:
                shard = self._sample(single, generator, reference, check=seed == job.seeds[0])
            if shard.warning:
                row["warnings"] = shard.warning
            shards: list[Shard] = self.world.gather(shard)
            sampling_s += max(s.sampling_s for s in shards)
            features_s += max(s.features_s for s in shards)
            errors = list(dict.fromkeys(s.error for s in shards if s.error))
            if errors:
                break
            if self.world.main:
                with watch("metrics"):
                    errors = self._score(single, reference, shards, row, per_seed)
                if errors:
                    break
        _release_memory(self.device)
        if not self.world.main:
            return None
        if per_seed:  # a failed metric leaves the others' values in the error row
            columns = [c for m in job.metrics for c in m.columns]
            row.update(combine(per_seed, columns, row["primary_metric"]))
        row.update(
            load_s=round(watch.get("load"), 4),
            sampling_s=round(sampling_s, 4),
            features_s=round(features_s, 4),
            metrics_s=round(watch.get("metrics"), 4),
            wall_s=round(time.perf_counter() - start, 4),
        )
        if row["sampling_s"] > 0 and not errors:
            row["images_per_s"] = round(job.n_samples * len(job.seeds) / row["sampling_s"], 2)
        if errors:
            row.update(status="error", error=" | ".join(errors))
        return row

    def _where(self, job: Job) -> str:
        model = job.model
        return f"model {model.name!r} (plugin {model.plugin} {model.plugin_version})"

    def _load(self, job: Job, watch: Stopwatch) -> tuple[Any, str | None]:
        """The model's generator, or why it could not be loaded."""
        try:
            with watch("load"), self.watchdog.watching():
                generator = job.model.load(self.device)
            if not callable(getattr(generator, "sample", None)):
                raise GenbenchError(
                    "load(device) returned an object without a sample(request) method"
                )
            return generator, None
        except AssertionError as error:  # the conformance kit's message names model and plugin
            self._log(job, error)
            return None, str(error)
        except FAULTS as error:
            self._log(job, error)
            return None, self._failed(job, "load", error)

    def _failed(self, job: Job, stage: str, error: BaseException) -> str:
        if isinstance(error, ModelTimeout):
            return f"{self._where(job)}: {stage} {error}"
        return f"{self._where(job)}: {stage} failed: {describe(error)}"

    def _sample(self, job: Job, generator: Any, reference: Reference, *, check: bool) -> Shard:
        """Sample this rank's chunks of a one-seed job; a failure is put in the shard. With
        ``check``, rank 0 then draws a few samples again in another batch (the seed contract)."""
        try:
            chunks = self.world.shard(chunk_ranges(job.n_samples))
            keep = any("images" in m.consumes for m in job.metrics)
            with self._bar(job) as bar, self.watchdog.watching():

                def on_batch(n: int) -> None:
                    bar.update(n)
                    self.watchdog.beat()

                shard = sample_shard(
                    Conditions(job),
                    generator,
                    reference.extractor,
                    chunks,
                    batch_size=self.batch_size,
                    device=self.device,
                    precision=job.precision,
                    keep_images=keep,
                    on_batch=on_batch,
                )
                if job.task in TRANSLATION and self.world.main:
                    from genbench.bench.variations import sample_variations

                    shard.variations = sample_variations(
                        Conditions(job),
                        generator,
                        reference.extractor,
                        batch_size=self.batch_size,
                        device=self.device,
                        on_batch=lambda n: self.watchdog.beat(),
                    )
                if check and self.world.main:
                    shard.warning = seed_contract_problem(
                        Conditions(job),
                        generator,
                        shard,
                        device=self.device,
                        precision=job.precision,
                    )
            return shard
        except AssertionError as error:  # the conformance kit's message names model and plugin
            self._log(job, error)
            return Shard(error=str(error))
        except FAULTS as error:
            self._log(job, error)
            return Shard(error=self._failed(job, "sampling", error))

    def _bar(self, job: Job) -> Any:
        from tqdm import tqdm

        return tqdm(
            total=job.n_samples // self.world.size,
            desc=job.model.name,
            unit="img",
            disable=not self.progress,
            leave=False,
            dynamic_ncols=True,
        )

    def _log(self, job: Job, error: BaseException) -> None:
        """Keep the traceback for the plugin author; the row holds the one-line message."""
        log = self.out / "logs" / f"{job.model.name}.rank{self.world.rank}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(traceback.format_exception(error)))

    def _score(
        self,
        job: Job,
        reference: Reference,
        shards: list[Shard],
        row: dict[str, Any],
        per_seed: list[dict[str, Any]],
    ) -> list[str]:
        """Merge the shards of a one-seed job in index order, check the images, compute every
        metric (with replicates when the job is bootstrapped) and append them to ``per_seed``;
        the first seed's samples make the row's grid."""
        import numpy as np

        from genbench.metrics.bootstrap import Resampling

        indices = np.concatenate(
            [np.arange(c.start, c.stop, dtype=np.int64) for s in shards for c in s.chunks]
        )
        order = np.argsort(indices, kind="stable")
        if not np.array_equal(indices[order], np.arange(job.n_samples)):
            got = f"{len(indices)} of {job.n_samples}"
            return [f"{self._where(job)}: the processes returned {got} samples"]
        problem = OutputMonitor.merged([s.monitor for s in shards]).problem(job.n_samples)
        if problem:
            return [f"{self._where(job)}: {problem}"]
        in_order = bool((order == np.arange(len(order))).all())

        def merged(parts: list[np.ndarray]) -> np.ndarray:
            """The shards' rows in index order; one process's rows are already (no copy)."""
            return parts[0] if len(parts) == 1 and in_order else np.concatenate(parts)[order]

        fake = {
            key: merged([s.features[key] for s in shards if key in s.features])
            for key in shards[0].features
        }
        variations = shards[0].variations or {}
        if not per_seed:
            grid = {i: image for s in shards for i, image in s.grid.items()}
            tiles = [grid[i] for i in sorted(grid)][:GRID_SIZE]
            row["grid"] = self._save_grid(job, row, tiles, variations)
        images = [s.images for s in shards if s.images is not None]
        conditions = Conditions(job)
        consumes = {c for m in job.metrics for c in m.consumes}
        inputs = MetricInputs(
            real=reference.real or {},
            fake=fake,
            labels=conditions.labels(range(job.n_samples)),
            images=merged(images) if images else None,
            targets=conditions.targets(range(job.n_samples)) if "targets" in consumes else None,
            prompts=conditions.prompts_of(range(job.n_samples)),
            train=reference.train or {},
            seed=job.seed,
            resampling=Resampling(job.bootstrap, sample_seed=job.seed) if job.bootstrap else None,
            variations=variations,
        )
        row["n_reference"] = len(inputs.real["features"]) if "features" in inputs.real else None
        errors = []
        notes = dict.fromkeys(row["warnings"].split(" | ") if row["warnings"] else [])
        scores: dict[str, Any] = {}
        for metric in job.metrics:
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    values = metric.compute(inputs)
                notes.update((f"{metric.name}: {w.message}", None) for w in caught)
                missing = [c for c in metric.columns if c not in values]
                if missing:
                    raise GenbenchError(f"returned no value for column(s) {', '.join(missing)}")
                scores.update(values)
            except (Exception, SystemExit) as error:
                self._log(job, error)
                where = f"metric {metric.name!r} (plugin {metric.plugin}) on {job.model.name!r}"
                errors.append(f"{where}: {describe(error)}")
        row["warnings"] = " | ".join(notes)
        per_seed.append(scores)
        return errors

    def _save_grid(
        self, job: Job, row: dict[str, Any], images: list[Any], variations: dict[str, Any]
    ) -> str:
        from genbench.bench.grids import grid_png, sample_grid_png, translation_tiles
        from genbench.bench.store import atomic_write, row_filename

        name = row_filename(row["model"], row["config_id"]).replace(".json", ".png")
        if variations:  # a translation: input | outputs | target per row
            tiles, columns = translation_tiles(
                variations["inputs"], variations["images"], variations["targets"]
            )
            png = grid_png(tiles, columns)
        else:  # class-conditional samples are laid out one class per column
            png = sample_grid_png(images, Conditions(job).labels(range(len(images))))
        atomic_write(self.out / "grids" / name, png)
        return f"grids/{name}"


def _release_memory(device: str) -> None:
    """Hand the finished model's GPU memory back before the next model loads."""
    if device.startswith("cuda"):
        import torch

        torch.cuda.empty_cache()


def base_row(job: Job, device: str, world_size: int, batch_size: int) -> dict[str, Any]:
    """Every metadata column of the row, before any work (an error row keeps these)."""
    from genbench.metrics.bootstrap import Resampling
    from genbench.version import __version__
    from genbench.weights import non_reference, resolved_sha256, space_name

    model, group = job.model, job.group
    # a loud mark on the row when a file other than the registered one made its numbers
    marks = [non_reference(model.weights), non_reference(group.features.weights)]
    row: dict[str, Any] = {column: None for column in META_COLUMNS}
    primary = job.metrics[0]
    row.update(
        model=job.name,
        family=model.family,
        plugin=model.plugin,
        plugin_version=model.plugin_version,
        genbench_version=__version__,
        weights_sha256=resolved_sha256(model.weights) if model.weights else "",
        dataset=group.dataset.name,
        split=group.split,
        task=model.task,
        features=space_name(group.features.name, group.features.weights),
        features_sha256=(resolved_sha256(group.features.weights) if group.features.weights else ""),
        resize=group.resize,
        n_samples=job.n_samples,
        n_reference=group.dataset.n_reference,
        seed=job.seeds[0],
        seeds=",".join(map(str, job.seeds)),
        sampling_precision=job.precision,
        device=device,
        world_size=world_size,
        batch_size=batch_size,
        status="ok",
        error="",
        warnings=" | ".join(mark for mark in marks if mark),
        config_id=job.config_id,
        primary_metric=primary.columns[0],
        higher_is_better=primary.higher_is_better,
        schema=SCHEMA,
        reproduce=job.reproduce(),
        bootstrap=Resampling(job.bootstrap).describe() if job.bootstrap else "none",
        **model_card(model),
    )
    for key, value in model.info.items():
        row[key if key not in row else f"info_{key}"] = value
    for metric in job.metrics:
        row.update({column: None for column in metric.columns})
    return row


def model_card(model: ModelSpec) -> dict[str, str]:
    """The model card facts a published page shows, recorded in the row so that pages are
    built from the published files alone."""
    import json

    licence = model.license or (model.weights.license if model.weights else "")
    return {
        "paper": model.paper,
        "license": licence,
        "description": model.description,
        "train_command": f"genbench train {model.name}" if model.train else "",
        "recipe": json.dumps(dict(model.recipe), sort_keys=True, default=str)
        if model.recipe
        else "",
    }
