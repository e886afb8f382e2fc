"""The sanity checks: controlled changes of real held-out images with a known right answer,
and what each metric should do (sources in ``docs/sanity.md``).

A check scores a series of generated sets (its levels), then judges each metric it makes a
claim about. ``rises``/``falls`` is a trend: the last level beyond the first in that
direction, and no step back by more than 5 % of that total change (a smaller one is read as
noise). ``holds``: no level more than 0.1 (relative to max(1, first value)) below the
first: about 2.5 standard errors of a fraction near 0.95 over 180 samples, the smallest
set here. Metrics a check makes no claim about are reported with their values only.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from genbench.sanity.data import SanityData
from genbench.sanity.scores import METRICS, score

# A step against a trend may undo at most this share of the trend's total change.
TREND_SLACK = 0.05
# ``holds``: how far below its first value a metric may go, relative to max(1, first).
HOLD_SLACK = 0.1
SIZES = (100, 200, 400, 800, 1600, 3200, 5000)
# How many times farther from the mean than the row it came from an outlier lies.
OUTLIER_SCALE = 4.0

# A claim: what a metric should do (in words), and the test of it on a series' scores.
Scores = Sequence[dict[str, float]]
Claim = tuple[str, Callable[[Scores, str], bool]]


@dataclass(frozen=True)
class Result:
    """One metric in one check: its values per level and the verdict (None: no claim)."""

    dataset: str
    check: str
    metric: str
    levels: tuple[str, ...]
    values: tuple[float, ...]
    expectation: str = ""
    passed: bool | None = None


@dataclass(frozen=True)
class Settings:
    """How large the checks are; the defaults make the published table."""

    n: int = 1000  # generated samples per set (at most the held-out split's size)
    drops: int = 5  # classes dropped: 0, 1, ..., drops
    blurs: tuple[float, ...] = (0.0, 0.5, 1.0, 1.5, 2.0)  # Gaussian σ in pixels
    noises: tuple[float, ...] = (0.0, 8.0, 16.0, 32.0, 64.0)  # std of added noise (0-255)
    shrinks: tuple[float, ...] = (1.0, 0.75, 0.5, 0.25)  # share of the class spread kept
    outliers: float = 0.02  # share of a set replaced by uniform-noise images
    seed: int = 0


def _values(scores: Scores, metric: str) -> np.ndarray:
    return np.array([s[metric] for s in scores], dtype=np.float64)


def _trend(direction: float) -> Callable[[Scores, str], bool]:
    def judge(scores: Scores, metric: str) -> bool:
        signed = direction * _values(scores, metric)
        total = signed[-1] - signed[0]
        return bool(total > 0 and (np.diff(signed) >= -TREND_SLACK * total).all())

    return judge


def _holds(scores: Scores, metric: str) -> bool:
    values = _values(scores, metric)
    return bool(values.min() >= values[0] - HOLD_SLACK * max(1.0, abs(values[0])))


def _above_first(scores: Scores, metric: str) -> bool:
    values = _values(scores, metric)
    return bool((values[1:] > values[0]).all())


RISES: Claim = ("rises", _trend(1.0))
FALLS: Claim = ("falls", _trend(-1.0))
HOLDS: Claim = ("does not fall", _holds)
ABOVE_FIRST: Claim = ("above the first level at every level", _above_first)


def equals(target: float, tolerance: float) -> Claim:
    words = f"= {target:g}" if tolerance < 1e-3 else f"≈ {target:g} (± {tolerance:g})"
    return words, lambda scores, metric: abs(scores[0][metric] - target) <= tolerance


def moves_less_than(other: str) -> Claim:
    """Robust: changes less, between the first and last level, than ``other`` does."""

    def judge(scores: Scores, metric: str) -> bool:
        change = abs(scores[-1][metric] - scores[0][metric])
        return change < abs(scores[-1][other] - scores[0][other])

    return f"moves less than {other}", judge


@dataclass
class _Series:
    """A check's sets, scored level by level against the reference (or another one)."""

    data: SanityData
    check: str
    metrics: Sequence[str] = METRICS
    levels: list[str] = field(default_factory=list)
    scores: list[dict[str, float]] = field(default_factory=list)

    def add(self, level: str, fake: np.ndarray, reference: np.ndarray | None = None) -> None:
        with warnings.catch_warnings():  # small sets: FD∞'s subsets warn of n <= d
            warnings.simplefilter("ignore", RuntimeWarning)
            base = self.data.reference if reference is None else reference
            self.scores.append(score(base, fake, self.metrics))
        self.levels.append(level)

    def results(self, claims: dict[str, Claim]) -> list[Result]:
        found = []
        for metric in self.metrics:
            values = tuple(float(s[metric]) for s in self.scores)
            words, judge = claims.get(metric, ("", None))
            passed = None if judge is None else bool(judge(self.scores, metric))
            found.append(
                Result(
                    self.data.dataset,
                    self.check,
                    metric,
                    tuple(self.levels),
                    values,
                    words,
                    passed,
                )
            )
        return found


def _rng(settings: Settings, salt: int) -> np.random.Generator:
    return np.random.default_rng([settings.seed, salt])


def _pick(data: SanityData, settings: Settings) -> np.ndarray:
    """The held-out rows a check changes: ``settings.n`` of them (all, if fewer)."""
    return np.arange(min(settings.n, len(data.images)))


def identical(data: SanityData, settings: Settings) -> list[Result]:
    """The reference scored against itself."""
    series = _Series(data, "identical sets")
    series.add("reference itself", data.reference.copy())
    scale = float(np.trace(np.cov(data.reference.T.astype(np.float64))))
    ones = {m: equals(1.0, 0.0) for m in ("precision", "recall", "coverage")}
    ones |= {m: equals(1.0, 0.0) for m in ("pr_precision", "pr_recall")}
    return series.results(
        {
            # zero up to the round-off of the square roots of tiny eigenvalues
            "fid": equals(0.0, 1e-6 * scale),
            "mmd": equals(0.0, 1e-9),
            "density": equals(1.0, 0.1),
            "memorization": equals(0.0, 0.0),
            "authenticity": equals(0.0, 0.0),
            **ones,
        }
    )


def small_sample_bias(data: SanityData, settings: Settings) -> list[Result]:
    """Held-out images (the same distribution as the reference) at growing sample sizes:
    FID's bias falls as 1/N; FD∞ and KID, free of it, stay flat."""
    order = _rng(settings, 1).permutation(len(data.images))
    sizes = sorted({s for s in SIZES if s < len(order)} | {len(order)})
    features = data.features(data.images[order])
    series = _Series(data, "sample size N (held-out images)", ("fid", "fid_inf", "kid"))
    for size in sizes:
        series.add(f"N={size}", features[:size])
    return series.results(
        {
            "fid": ("falls, linear in 1/N (R² ≥ 0.9)", _linear_in_inverse_n(sizes)),
            "fid_inf": ("flat: range < 1/3 of FID's", _flatter_than("fid")),
        }
    )


def _linear_in_inverse_n(sizes: Sequence[int]) -> Callable[[Scores, str], bool]:
    def judge(scores: Scores, metric: str) -> bool:
        values = _values(scores, metric)
        inverse = 1.0 / np.asarray(sizes, dtype=np.float64)
        fitted = np.polyval(np.polyfit(inverse, values, 1), inverse)
        r2 = 1.0 - ((values - fitted) ** 2).sum() / ((values - values.mean()) ** 2).sum()
        return bool(FALLS[1](scores, metric) and r2 >= 0.9)

    return judge


def _flatter_than(other: str) -> Callable[[Scores, str], bool]:
    def judge(scores: Scores, metric: str) -> bool:
        return bool(np.ptp(_values(scores, metric)) < np.ptp(_values(scores, other)) / 3)

    return judge


def dropped_classes(data: SanityData, settings: Settings) -> list[Result]:
    """Held-out images of ever fewer classes, the set size fixed: diversity metrics fall,
    fidelity metrics do not."""
    classes = np.unique(data.labels)
    kept = data.labels >= classes[min(settings.drops, len(classes) - 1)]
    size = min(settings.n, int(kept.sum()))
    rng = _rng(settings, 2)
    series = _Series(data, "classes dropped")
    for dropped in range(settings.drops + 1):
        rows = np.flatnonzero(data.labels >= classes[dropped])
        series.add(str(dropped), data.features(data.images[rng.choice(rows, size, False)]))
    falling = ("recall", "coverage", "pr_recall", "vendi")
    return series.results(
        {
            **dict.fromkeys(falling, FALLS),
            **dict.fromkeys(("fid", "kid", "mmd"), RISES),
            **dict.fromkeys(("precision", "density", "pr_precision"), HOLDS),
        }
    )


def _degraded(
    data: SanityData, settings: Settings, check: str, levels: Sequence[float], change: Callable
) -> list[Result]:
    images = data.images[_pick(data, settings)]
    series = _Series(data, check)
    for level in levels:
        series.add(f"{level:g}", data.features(change(images, level)))
    return series.results(
        {
            **dict.fromkeys(("precision", "density", "pr_precision"), FALLS),
            **dict.fromkeys(("fid", "kid", "mmd"), RISES),
        }
    )


def blur(data: SanityData, settings: Settings) -> list[Result]:
    """Gaussian blur of growing σ (pixels): fidelity falls, distances rise."""
    return _degraded(data, settings, "Gaussian blur σ", settings.blurs, gaussian_blur)


def noise(data: SanityData, settings: Settings) -> list[Result]:
    """Additive Gaussian noise of growing std (of 255): fidelity falls, distances rise."""
    rng = _rng(settings, 3)

    def noisy(images: np.ndarray, std: float) -> np.ndarray:
        added = images.astype(np.float64) + rng.normal(0.0, std, images.shape)
        return np.clip(np.rint(added), 0, 255).astype(np.uint8)

    return _degraded(data, settings, "additive noise std", settings.noises, noisy)


def gaussian_blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """A Gaussian blur of each channel: scipy.ndimage.gaussian_filter's kernel (truncated at
    4 sigma) and border (mirrored, the edge pixel repeated), applied separably."""
    if sigma == 0:
        return images
    radius = int(4.0 * sigma + 0.5)
    offsets = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2)
    kernel /= kernel.sum()
    smooth = images.astype(np.float64)
    for axis in (2, 3):
        pad = [(0, 0)] * 4
        pad[axis] = (radius, radius)
        padded = np.pad(smooth, pad, mode="symmetric")
        size = smooth.shape[axis]
        smooth = sum(
            weight * np.take(padded, np.arange(i, i + size), axis=axis)
            for i, weight in enumerate(kernel)
        )
    return np.clip(np.rint(smooth), 0, 255).astype(np.uint8)


def truncation(data: SanityData, settings: Settings) -> list[Result]:
    """Features shrunk toward their class mean, as truncation shrinks a generator's latent
    toward its mode (done in feature space: blending images would blur them): fidelity
    rises, diversity falls."""
    rows = _pick(data, settings)
    features, labels = data.held_out[rows].astype(np.float64), data.labels[rows]
    means = {c: features[labels == c].mean(0) for c in np.unique(labels)}
    centres = np.stack([means[c] for c in labels])
    series = _Series(data, "shrink toward class mean (kept spread)")
    for kept in settings.shrinks:
        series.add(f"{kept:g}", centres + kept * (features - centres))
    # Precision saturates near 1 as the spread shrinks, so the claim is against no
    # truncation at all, not a trend.
    return series.results(
        {
            **dict.fromkeys(("precision", "pr_precision"), ABOVE_FIRST),
            **dict.fromkeys(("recall", "pr_recall", "coverage", "vendi"), FALLS),
        }
    )


def copies(data: SanityData, settings: Settings) -> list[Result]:
    """Copies of training (reference) images beside as many held-out images: FID calls the
    copies better (its blind spot); memorization and authenticity flag them."""
    rows = _pick(data, settings)
    copied = _rng(settings, 4).choice(len(data.reference), len(rows), replace=False)
    series = _Series(data, "training copies vs held-out")
    series.add("held-out", data.held_out[rows])
    series.add("training copies", data.reference[copied])
    flagged = ("0 for copies, > 0 held-out", _flags_copies)
    return series.results(
        {
            "fid": ("copies look better (blind spot)", _trend(-1.0)),
            "memorization": flagged,
            "authenticity": flagged,
        }
    )


def _flags_copies(scores: Scores, metric: str) -> bool:
    return scores[1][metric] == 0.0 < scores[0][metric]


def _outliers(features: np.ndarray, count: int, settings: Settings, salt: int) -> np.ndarray:
    """``count`` outliers: rows pushed OUTLIER_SCALE times as far from the set's mean, far
    outside the data yet in the feature space's own directions (uniform-noise images, tried
    first, land inside the digits' manifold in digits-cnn's space: not outliers there)."""
    rows = _rng(settings, salt).choice(len(features), count, replace=False)
    mean = features.mean(0)
    return mean + OUTLIER_SCALE * (features[rows] - mean)


def sample_outliers(data: SanityData, settings: Settings) -> list[Result]:
    """A few generated samples replaced by outliers: an outlier's huge k-NN ball inflates
    recall; coverage, counted in the real balls, is robust (Naeem et al. 2020)."""
    rows = _pick(data, settings)
    count = max(1, round(settings.outliers * len(rows)))
    clean = data.held_out[rows]
    dirty = np.concatenate([clean[count:], _outliers(clean, count, settings, 5)])
    series = _Series(data, f"{settings.outliers:.0%} outliers among the samples")
    series.add("clean", clean)
    series.add("outliers", dirty)
    return series.results(
        {
            "recall": RISES,
            "pr_recall": RISES,
            "coverage": moves_less_than("recall"),
            "density": moves_less_than("precision"),
        }
    )


def reference_outliers(data: SanityData, settings: Settings) -> list[Result]:
    """A few reference images replaced by outliers, scored with noisy samples (std 32, so
    that precision has room to move): an outlier's huge real ball inflates precision;
    density should move less (Naeem et al. 2020)."""
    rows = _pick(data, settings)
    count = max(1, round(settings.outliers * len(data.reference)))
    rng = _rng(settings, 6)
    images = data.images[rows].astype(np.float64) + rng.normal(0.0, 32.0, data.images[rows].shape)
    fake = data.features(np.clip(np.rint(images), 0, 255).astype(np.uint8))
    outliers = _outliers(data.reference, count, settings, 7)
    dirty = np.concatenate([data.reference[count:], outliers])
    series = _Series(data, f"{settings.outliers:.0%} outliers among the reference")
    series.add("clean", fake)
    series.add("outliers", fake, reference=dirty)
    return series.results(
        {
            "precision": RISES,
            "pr_precision": RISES,
            "density": moves_less_than("precision"),
            "coverage": moves_less_than("recall"),
        }
    )


CHECKS: tuple[Callable[[SanityData, Settings], list[Result]], ...] = (
    identical,
    small_sample_bias,
    dropped_classes,
    blur,
    noise,
    truncation,
    copies,
    sample_outliers,
    reference_outliers,
)


def run_checks(data: SanityData, settings: Settings) -> list[Result]:
    """Every check on one dataset."""
    return [result for check in CHECKS for result in check(data, settings)]
