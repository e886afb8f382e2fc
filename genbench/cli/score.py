"""``genbench score A B``: metrics between two image sets, as pytorch-fid/torch-fidelity do.

A is the reference (real) set, B the set being judged (generated); the Inception score is
computed on B. A's features are cached in the store, an image set's under the sha256 of
its content. Each may be a folder (recursive), a zip, an npz/npy array, a dataset name
(``digits`` or ``digits:test``, its features cached in the store) or a precomputed
``mu``/``sigma`` npz (FID only; refused if made in another feature space).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from genbench.cli.weights_cmd import weights_option
from genbench.errors import GenbenchError

if TYPE_CHECKING:
    import numpy as np

    from genbench.features.extractor import Extractor
    from genbench.features.statistics import Statistics
    from genbench.spec import DatasetSpec, MetricSpec

# What `genbench score` can hand a metric: extractor outputs of both sets, and a seed.
PROVIDED_INPUTS = {"features", "logits"}


@dataclass
class ScoredSet:
    """One side of the comparison: extractor outputs, or precomputed statistics only."""

    source: str
    outputs: dict[str, np.ndarray] = field(default_factory=dict)
    statistics: Statistics | None = None
    skipped: list[str] = field(default_factory=list)

    @property
    def size(self) -> int | None:
        if self.statistics is not None:
            return self.statistics.n
        return len(self.outputs["features"])


def _dataset_source(source: str) -> tuple[str, str] | None:
    """(dataset, split) when ``source`` names a registered dataset and no file."""
    from genbench.plugins import get_registry

    if os.path.exists(source):
        return None
    name, _, split = source.partition(":")
    datasets = get_registry().datasets
    if name not in datasets:
        return None
    return name, split or datasets.get(name).reference_split


@dataclass(frozen=True)
class Source:
    """A checked input, opened but not read: precomputed statistics, a registered dataset
    (its features cached in the store), or image files."""

    text: str
    statistics: bool = False
    dataset: tuple[str, str] | None = None
    images: Any = None


def open_source(source: str, *, skip_bad: bool) -> Source:
    """Check ``source`` before any network is loaded or any image read: a typo in FAKE must
    not cost the minutes of extracting REAL."""
    from genbench.data import open_images
    from genbench.features.statistics import is_statistics_file

    if is_statistics_file(Path(source)):
        return Source(source, statistics=True)
    dataset = _dataset_source(source)
    if dataset is not None:
        return Source(source, dataset=dataset)
    images = open_images(source, skip_bad=skip_bad)
    if len(images) == 0:
        raise GenbenchError(f"{source} holds no images")
    return Source(source, images=images)


def _feature_space(
    sources: list[Source], features: str | None, resize: str | None
) -> tuple[str, str | None]:
    """The net and resize mode to score in: those given, else those a statistics file was
    computed in (scoring it anywhere else is refused by ``load_statistics``)."""
    from genbench.features.statistics import stored_space

    for source in sources:
        if source.statistics:
            stored = stored_space(Path(source.text))
            if features is None and "features" in stored:
                features = stored["features"]
                resize = resize or stored.get("resize")
    return features or "inception-v3-fid", resize


def image_shape(source: Source) -> tuple[int, int] | None:
    """(channels, size) of the source's images: its first image's, a dataset's registered
    shape, None for statistics."""
    from genbench.plugins import get_registry

    if source.dataset is not None:
        spec = get_registry().datasets.get(source.dataset[0])
        return spec.channels, spec.resolution
    if source.images is None:
        return None
    channels, height, width = source.images.read("image", [0]).shape[1:]
    return channels, max(height, width)


def load_set(
    source: Source,
    extractor: Extractor,
    *,
    batch_size: int,
    workers: int,
    progress: bool,
    reference: bool = False,
) -> ScoredSet:
    """The extractor outputs of ``source``; a ``reference`` image set's are cached in the
    store under its content's sha256, as a registered dataset's are."""
    from genbench.features import reference_features
    from genbench.features.loading import read_batches
    from genbench.features.statistics import load_statistics

    if source.statistics:
        return ScoredSet(source.text, statistics=load_statistics(Path(source.text), extractor))
    if source.dataset is not None:
        name, split = source.dataset
        arrays = reference_features(name, split, extractor, progress=progress)
        return ScoredSet(source.text, outputs=arrays)
    if reference:
        spec = _user_reference(source.text)
        if spec is not None:
            outputs = reference_features(spec, spec.reference_split, extractor, progress=progress)
            return ScoredSet(source.text, outputs=outputs)
    data, n = source.images, len(source.images)
    # Decoded batch_size images at a time (memory grows with the batch, not with the net's
    # chunk); the extractor feeds the net the fixed chunks that the harness and the
    # reference cache use, so the numbers never depend on batch_size.
    batches = read_batches(data, n, batch_size, workers=workers)
    desc = Path(source.text).name
    outputs = extractor.extract(batches, total=n, progress=progress, desc=desc)
    return ScoredSet(source.text, outputs=outputs, skipped=list(getattr(data, "skipped", [])))


def _user_reference(source: str) -> DatasetSpec | None:
    """The image set as a dataset, or None where it cannot be one (images that are not
    square, bad files): those are scored as given, without a cache."""
    from genbench.data.user import user_dataset

    try:
        return user_dataset(source)
    except GenbenchError:
        return None


def _fid_from_statistics(real: ScoredSet, fake: ScoredSet) -> float:
    from genbench.metrics.frechet import GaussianStats, frechet_distance

    def moments(side: ScoredSet) -> tuple[Any, Any]:
        if side.statistics is not None:
            return side.statistics.mu, side.statistics.sigma
        stats = GaussianStats.from_features(side.outputs["features"], side.source)
        return stats.mean, stats.cov

    return frechet_distance(*moments(real), *moments(fake))


def check_metrics(names: str, *, statistics: bool) -> list[MetricSpec]:
    """The registered metrics ``names`` (comma list), refused before any work if two image
    sets, or a statistics file (``statistics``), cannot feed them."""
    from genbench.plugins import get_registry

    specs = get_registry().metrics.select(names)
    for spec in specs:
        missing = set(spec.consumes) - PROVIDED_INPUTS
        if missing:
            raise GenbenchError(
                f"metric {spec.name!r} needs {', '.join(sorted(missing))}, which two image sets"
                " do not provide; use `genbench run` for it"
            )
        if statistics and spec.name != "fid":
            raise GenbenchError(
                f"metric {spec.name!r} needs the images' features, but a statistics file"
                " holds only mu/sigma; pass --metrics fid or give the images"
            )
    return specs


def compute_metrics(
    specs: list[MetricSpec], real: ScoredSet, fake: ScoredSet, *, seed: int = 0
) -> dict[str, float]:
    """The values of ``specs`` (from :func:`check_metrics`) between ``real`` and ``fake``."""
    from genbench.spec import MetricInputs

    if real.statistics is not None or fake.statistics is not None:
        return {"fid": _fid_from_statistics(real, fake)}  # check_metrics allowed only fid
    values: dict[str, float] = {}
    for spec in specs:
        inputs = MetricInputs(real=real.outputs, fake=fake.outputs, seed=seed)
        values.update({k: float(v) for k, v in spec.compute(inputs).items()})
    return values


@click.command("score")
@click.argument("real")
@click.argument("fake")
@click.option(
    "--metrics", default="fid", show_default=True, help="Comma list, e.g. fid,kid,prdc,pr,is."
)
@click.option(
    "--features",
    "features_name",
    default=None,
    help="Feature net (default: a statistics file's own, else inception-v3-fid).",
)
@click.option(
    "--resize",
    default=None,
    help="Resize mode of the net (default: a statistics file's own, else the net's first).",
)
@weights_option
@click.option(
    "--batch-size",
    default=64,
    show_default=True,
    help="Images decoded per read; features are always computed 128 images at a time.",
)
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda or cuda:i.")
@click.option("--workers", default=2, show_default=True, help="Threads decoding images.")
@click.option("--seed", default=0, show_default=True, help="Seed of KID/IS subsets.")
@click.option(
    "--skip-bad", is_flag=True, help="Skip undecodable files (counted) instead of failing."
)
@click.option(
    "--save-stats",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write REAL's mu/sigma (pytorch-fid npz format, plus its feature space).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object of metric values.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a TTY).")
def score(
    real: str,
    fake: str,
    metrics: str,
    features_name: str | None,
    resize: str | None,
    batch_size: int,
    device: str,
    workers: int,
    seed: int,
    skip_bad: bool,
    save_stats: Path | None,
    as_json: bool,
    progress: bool | None,
) -> None:
    """Score image set FAKE against REAL (folders, zip, npz/npy, dataset names, mu/sigma npz)."""
    from genbench.bench.config import resolve_device
    from genbench.features import load_extractor
    from genbench.features.statistics import save_statistics
    from genbench.files import check_writable
    from genbench.version import __version__
    from genbench.weights import non_reference

    if batch_size < 1:
        raise GenbenchError("--batch-size must be at least 1")
    device = resolve_device(device)
    if save_stats is not None:
        check_writable(save_stats, "--save-stats", folder=False)
    show = sys.stderr.isatty() if progress is None else progress
    sources = [open_source(source, skip_bad=skip_bad) for source in (real, fake)]
    specs = check_metrics(metrics, statistics=any(source.statistics for source in sources))
    if save_stats is not None and sources[0].statistics:
        raise GenbenchError("--save-stats needs REAL to be images, not statistics")
    features_name, resize = _feature_space(sources, features_name, resize)
    extractor = load_extractor(features_name, device=device, resize=resize)
    for source in sources:
        shape = image_shape(source)
        if shape is not None:
            extractor.check_fits(*shape, source.text)
    options = dict(batch_size=batch_size, workers=workers, progress=show)
    sets = [
        # REAL is the reference: cached, unless bad files are to be skipped (counted) in it
        load_set(source, extractor, reference=i == 0 and not skip_bad, **options)  # type: ignore[arg-type]
        for i, source in enumerate(sources)
    ]
    if save_stats is not None:
        save_statistics(save_stats, sets[0].outputs["features"], extractor)
    values = compute_metrics(specs, *sets, seed=seed)
    for side in sets:
        if side.skipped:
            click.echo(f"skipped {len(side.skipped)} bad files in {side.source}", err=True)
    marker = non_reference(extractor.spec.weights)
    if as_json:
        # what made the numbers, so that the output alone says what it can be compared with
        report = {
            **values,
            "features": extractor.space,
            "features_sha256": extractor.weights_sha256,
            "resize": extractor.resize,
            "n_real": sets[0].size,
            "n_fake": sets[1].size,
            "genbench_version": __version__,
        }
        if marker:
            report["warnings"] = marker
        click.echo(json.dumps(report))
        return
    if marker:
        click.echo(f"warning: {marker}", err=True)
    sizes = ", ".join(f"{s.source}: {s.size if s.size is not None else 'statistics'}" for s in sets)
    click.echo(f"# {extractor.space} resize={extractor.resize} ({sizes})")
    for name, value in values.items():
        click.echo(f"{name}: {value:.6g}")


commands = [score]
