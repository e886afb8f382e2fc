"""Benchmarking one model: load, sample, extract, score, and turn it all into a row.

Nothing a model does can end the run: a failure to load, an exception while sampling, an
output of the wrong dtype, shape or channels, flat or identical images, a metric that
raises — each becomes a row with ``status=error`` and a message naming the model and its
plugin. Under torchrun every rank samples its chunks; rank 0 gathers and scores.
"""

from __future__ import annotations

import datetime
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genbench.bench.conditions import Conditions
from genbench.bench.plan import TRANSLATION, Group, Job
from genbench.bench.sampling import GRID_SIZE, OutputMonitor, Shard, chunk_ranges, sample_shard
from genbench.bench.store import META_COLUMNS, SCHEMA
from genbench.bench.timing import Stopwatch
from genbench.distributed import World
from genbench.errors import GenbenchError
from genbench.spec import MetricInputs


@dataclass
class Reference:
    """A group's feature extractor and real features (``error`` when they failed)."""

    extractor: Any = None
    real: dict[str, Any] | None = None
    train: dict[str, Any] | None = None
    error: str | None = None


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
    except Exception as error:  # reported in the rows of every model of the group
        where = f"feature extractor {group.features.name!r} (plugin {group.features.plugin})"
        reference.error = (
            f"{where} on {group.dataset.name}/{group.split}[{group.field}]: {describe(error)}"
        )
    return reference


def _real_features(group: Group, extractor: Any, split: str) -> dict[str, Any]:
    """Features of real images: cached for the ``image`` field; a translation model's other
    target field (e.g. a CycleGAN domain) is extracted here, uncached."""
    from genbench.features.reference import reference_features

    n = group.dataset.n_reference if split == group.split else None
    if group.field == "image":
        return dict(reference_features(group.dataset, split, extractor, n=n))
    data = group.dataset.load(split)
    n = n or len(data)
    batches = (data.read(group.field, range(i, min(i + 256, n))) for i in range(0, n, 256))
    return dict(extractor.extract(batches, total=n))


class JobRunner:
    """Runs jobs of one run: same device, batch size, world and output folder."""

    def __init__(
        self, *, device: str, batch_size: int, world: World, out: Path, progress: bool
    ) -> None:
        self.device = device
        self.batch_size = batch_size
        self.world = world
        self.out = out
        self.progress = progress and world.main

    def run(self, job: Job, reference: Reference) -> dict[str, Any] | None:
        """The row of ``job`` on rank 0 (None on other ranks); never raises for model faults."""
        import time

        start = time.perf_counter()
        watch = Stopwatch()
        row = base_row(job, self.device, self.world.size, self.batch_size)
        shard = Shard(error=reference.error)
        if shard.error is None:
            shard = self._sample(job, reference, watch)
            _release_memory(self.device)
        shards: list[Shard] = self.world.gather(shard)
        if not self.world.main:
            return None
        errors = list(dict.fromkeys(s.error for s in shards if s.error))
        if not errors:
            with watch("metrics"):
                errors = self._score(job, reference, shards, row)
        row.update(
            load_s=round(watch.get("load"), 4),
            sampling_s=round(max(s.sampling_s for s in shards), 4),
            features_s=round(max(s.features_s for s in shards), 4),
            metrics_s=round(watch.get("metrics"), 4),
            wall_s=round(time.perf_counter() - start, 4),
            timestamp=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        )
        if row["sampling_s"] > 0 and not errors:
            row["images_per_s"] = round(job.n_samples / row["sampling_s"], 2)
        if errors:
            row.update(status="error", error=" | ".join(errors))
        return row

    def _where(self, job: Job) -> str:
        model = job.model
        return f"model {model.name!r} (plugin {model.plugin} {model.plugin_version})"

    def _sample(self, job: Job, reference: Reference, watch: Stopwatch) -> Shard:
        """Load the model and sample this rank's chunks; a failure is put in the shard."""
        stage = "load"
        try:
            with watch("load"):
                generator = job.model.load(self.device)
            if not callable(getattr(generator, "sample", None)):
                raise GenbenchError(
                    "load(device) returned an object without a sample(request) method"
                )
            stage = "sampling"
            chunks = self.world.shard(chunk_ranges(job.n_samples))
            keep = any("images" in m.consumes for m in job.metrics)
            with self._bar(job) as bar:
                shard = sample_shard(
                    Conditions(job),
                    generator,
                    reference.extractor,
                    chunks,
                    batch_size=self.batch_size,
                    device=self.device,
                    precision=job.precision,
                    keep_images=keep,
                    progress=bar,
                )
            if job.task in TRANSLATION and self.world.main:
                from genbench.bench.variations import sample_variations

                shard.variations = sample_variations(
                    Conditions(job),
                    generator,
                    reference.extractor,
                    batch_size=self.batch_size,
                    device=self.device,
                )
            return shard
        except AssertionError as error:  # the conformance kit's message names model and plugin
            self._log(job, error)
            return Shard(error=str(error))
        except Exception as error:
            self._log(job, error)
            return Shard(error=f"{self._where(job)}: {stage} failed: {describe(error)}")

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
        self, job: Job, reference: Reference, shards: list[Shard], row: dict[str, Any]
    ) -> list[str]:
        """Merge the shards in index order, check the images, compute every metric into ``row``."""
        import numpy as np

        indices = np.concatenate([np.asarray(s.indices, dtype=np.int64) for s in shards])
        order = np.argsort(indices, kind="stable")
        if not np.array_equal(indices[order], np.arange(job.n_samples)):
            got = f"{len(indices)} of {job.n_samples}"
            return [f"{self._where(job)}: the processes returned {got} samples"]
        problem = OutputMonitor.merged([s.monitor for s in shards]).problem(job.n_samples)
        if problem:
            return [f"{self._where(job)}: {problem}"]
        fake = {
            key: np.concatenate([s.features[key] for s in shards if key in s.features])[order]
            for key in shards[0].features
        }
        grid = {i: image for s in shards for i, image in s.grid.items()}
        variations = shards[0].variations or {}
        row["grid"] = self._save_grid(job, [grid[i] for i in sorted(grid)][:GRID_SIZE], variations)
        images = [s.images for s in shards if s.images is not None]
        conditions = Conditions(job)
        consumes = {c for m in job.metrics for c in m.consumes}
        inputs = MetricInputs(
            real=reference.real or {},
            fake=fake,
            labels=conditions.labels(range(job.n_samples)),
            images=np.concatenate(images)[order] if images else None,
            targets=conditions.targets(range(job.n_samples)) if "targets" in consumes else None,
            prompts=conditions.prompts_of(range(job.n_samples)),
            train=reference.train or {},
            seed=job.seed,
            variations=variations,
        )
        row["n_reference"] = len(inputs.real["features"]) if "features" in inputs.real else None
        errors = []
        notes: dict[str, None] = {}
        for metric in job.metrics:
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    values = metric.compute(inputs)
                notes.update((f"{metric.name}: {w.message}", None) for w in caught)
                missing = [c for c in metric.columns if c not in values]
                if missing:
                    raise GenbenchError(f"returned no value for column(s) {', '.join(missing)}")
                row.update({c: float(values[c]) for c in metric.columns})
            except Exception as error:
                self._log(job, error)
                where = f"metric {metric.name!r} (plugin {metric.plugin}) on {job.model.name!r}"
                errors.append(f"{where}: {describe(error)}")
        row["warnings"] = " | ".join(notes)
        return errors

    def _save_grid(self, job: Job, images: list[Any], variations: dict[str, Any]) -> str:
        from genbench.bench.grids import grid_png, translation_tiles
        from genbench.bench.store import atomic_write, row_filename

        columns = 8
        if variations:  # a translation: input | outputs | target per row instead
            images, columns = translation_tiles(
                variations["inputs"], variations["images"], variations["targets"]
            )
        name = row_filename(job.model.name, job.config_id).replace(".json", ".png")
        atomic_write(self.out / "grids" / name, grid_png(images, columns))
        return f"grids/{name}"


def _release_memory(device: str) -> None:
    """Hand the finished model's GPU memory back before the next model loads."""
    if device.startswith("cuda"):
        import torch

        torch.cuda.empty_cache()


def base_row(job: Job, device: str, world_size: int, batch_size: int) -> dict[str, Any]:
    """Every metadata column of the row, before any work (an error row keeps these)."""
    from genbench import __version__
    from genbench.weights import resolved_sha256

    model, group = job.model, job.group
    row: dict[str, Any] = {column: None for column in META_COLUMNS}
    primary = job.metrics[0]
    row.update(
        model=model.name,
        family=model.family,
        plugin=model.plugin,
        plugin_version=model.plugin_version,
        genbench_version=__version__,
        weights_sha256=resolved_sha256(model.weights) if model.weights else "",
        dataset=group.dataset.name,
        split=group.split,
        task=model.task,
        features=group.features.name,
        features_sha256=(resolved_sha256(group.features.weights) if group.features.weights else ""),
        resize=group.resize,
        n_samples=job.n_samples,
        n_reference=group.dataset.n_reference,
        seed=job.seed,
        sampling_precision=job.precision,
        device=device,
        world_size=world_size,
        batch_size=batch_size,
        status="ok",
        error="",
        warnings="",
        config_id=job.config_id,
        primary_metric=primary.columns[0],
        higher_is_better=primary.higher_is_better,
        schema=SCHEMA,
        reproduce=job.reproduce(),
    )
    for key, value in model.info.items():
        row[key if key not in row else f"info_{key}"] = value
    for metric in job.metrics:
        row.update({column: None for column in metric.columns})
    return row
