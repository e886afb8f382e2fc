"""What each leaderboard column means: its direction, unit and a one-line explanation.

One table serves the Markdown pages and the site, so the two never disagree. A metric's
interval and spread live in companion columns (``fid_low``/``fid_high``, ``kid_std``) that
are shown with their metric. A column missing from the table (a third-party metric or a
model's ``info``) is still shown, with no direction and a note saying so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

LOWER, HIGHER = "lower", "higher"

# The suffix of each companion column, and what it adds to its metric.
COMPANIONS = {"_low": "low", "_high": "high", "_std": "std"}


@dataclass(frozen=True)
class Column:
    """``direction``: "lower" or "higher" is better, or None (a setting, not a score);
    ``kind``: "metric", "speed" or "setting" (how the model was sampled)."""

    name: str
    label: str
    direction: str | None
    unit: str
    explanation: str
    kind: str = "metric"

    @property
    def arrow(self) -> str:
        return {LOWER: "↓", HIGHER: "↑"}.get(self.direction or "", "")

    def header(self) -> str:
        """``FID ↓``: the label and the arrow of its direction."""
        return f"{self.label} {self.arrow}".strip()

    def describe(self) -> str:
        """One line for a legend: direction, unit, explanation."""
        better = f"{self.direction} is better" if self.direction else "not a score"
        unit = f"; unit: {self.unit}" if self.unit else ""
        return f"{better}{unit}. {self.explanation}"


_FEATURE_UNITS = "squared feature-space distance"
_KNN = "in the k-nearest-neighbour balls of the feature space"

COLUMNS: dict[str, Column] = {
    c.name: c
    for c in (
        Column(
            "rank",
            "rank",
            LOWER,
            "",
            "Position by the primary metric; models whose difference is not significant "
            "share a rank.",
        ),
        Column(
            "fid",
            "FID",
            LOWER,
            _FEATURE_UNITS,
            "Fréchet distance between Gaussians fitted to real and generated features "
            "(Heusel et al. 2017); 0 when both match, biased upwards at small n.",
        ),
        Column(
            "fid_inf",
            "FID∞",
            LOWER,
            _FEATURE_UNITS,
            "FID extrapolated to infinitely many samples from 15 subset sizes "
            "(Chong & Forsyth 2020): free of FID's 1/n bias.",
        ),
        Column(
            "kid",
            "KID",
            LOWER,
            _FEATURE_UNITS,
            "Kernel distance: unbiased MMD² with a cubic polynomial kernel over 100 seeded "
            "subsets (Bińkowski et al. 2018), in raw feature units (not ×1000); unbiased, "
            "so it can dip below 0 when both sets match.",
        ),
        Column(
            "precision",
            "precision",
            HIGHER,
            "fraction",
            f"Fidelity: share of generated samples that fall {_KNN} of real ones "
            "(k = 5, Naeem et al. 2020).",
        ),
        Column(
            "recall",
            "recall",
            HIGHER,
            "fraction",
            f"Diversity: share of real samples that fall {_KNN} of generated ones "
            "(k = 5, Naeem et al. 2020).",
        ),
        Column(
            "density",
            "density",
            HIGHER,
            "ratio",
            "Fidelity robust to outliers: how many real k-NN balls (k = 5) contain each "
            "generated sample, divided by k; about 1 when both sets match, above 1 when "
            "samples crowd where real data is dense (Naeem et al. 2020).",
        ),
        Column(
            "coverage",
            "coverage",
            HIGHER,
            "fraction",
            "Diversity robust to outliers: share of real samples whose k-NN ball (k = 5) "
            "holds at least one generated sample (Naeem et al. 2020).",
        ),
        Column(
            "pr_precision",
            "P (k=3)",
            HIGHER,
            "fraction",
            f"Improved precision of Kynkäänniemi et al. 2019 (k = 3, as torch-fidelity): "
            f"share of generated samples {_KNN} of real ones.",
        ),
        Column(
            "pr_recall",
            "R (k=3)",
            HIGHER,
            "fraction",
            f"Improved recall of Kynkäänniemi et al. 2019 (k = 3, as torch-fidelity): "
            f"share of real samples {_KNN} of generated ones.",
        ),
        Column(
            "is",
            "IS",
            HIGHER,
            "1 … number of classes",
            "Inception score (Salimans et al. 2016) from the feature net's class logits: "
            "confident and varied predictions score high; 10 splits.",
        ),
        Column(
            "accuracy",
            "accuracy",
            HIGHER,
            "fraction",
            "Share of samples the feature net's classifier assigns the requested label.",
        ),
        Column(
            "memorization",
            "memorization",
            HIGHER,
            "ratio",
            "Median over samples of (distance to the nearest training image) / (that "
            "image's distance to its own nearest neighbour): 0 replays training data, "
            "about 1 is as new as a fresh draw.",
        ),
        Column(
            "authenticity",
            "authenticity",
            HIGHER,
            "fraction",
            "Share of samples farther from their nearest training image than that image's "
            "own nearest neighbour (Alaa et al. 2022); copies are never authentic.",
        ),
        Column(
            "lpips",
            "LPIPS",
            LOWER,
            "distance",
            "Mean learned perceptual distance (LPIPS, AlexNet) between each output and its "
            "target (Zhang et al. 2018).",
        ),
        Column(
            "lpips_diversity",
            "LPIPS diversity",
            HIGHER,
            "distance",
            "Mean LPIPS between samples of the same class: low when a conditional model collapses.",
        ),
        Column(
            "ssim",
            "SSIM",
            HIGHER,
            "−1 … 1",
            "Mean structural similarity between outputs and targets (scikit-image).",
        ),
        Column(
            "psnr",
            "PSNR",
            HIGHER,
            "dB",
            "Mean peak signal-to-noise ratio between outputs and targets (scikit-image).",
        ),
        Column(
            "images_per_s",
            "img/s",
            HIGHER,
            "images per second",
            "Sampling throughput on the publishing machine (see the device column), model "
            "only: feature extraction and metrics excluded.",
            kind="speed",
        ),
        Column(
            "nfe",
            "NFE",
            None,
            "evaluations per sample",
            "Network function evaluations per sample (diffusion sampling steps).",
            kind="setting",
        ),
        Column("sampler", "sampler", None, "", "Diffusion sampler.", kind="setting"),
        Column("steps", "steps", None, "", "Sampling steps.", kind="setting"),
        Column(
            "eta",
            "η",
            None,
            "",
            "DDIM's η: 0 is deterministic DDIM, 1 matches DDPM's noise.",
            kind="setting",
        ),
        Column(
            "guidance",
            "guidance w",
            None,
            "",
            "Classifier-free guidance weight (0: none).",
            kind="setting",
        ),
        Column(
            "baseline",
            "baseline",
            None,
            "",
            "What the baseline does instead of generating (a reference point, not a model).",
            kind="setting",
        ),
        Column(
            "n_samples",
            "n",
            None,
            "images",
            "Samples drawn from the model.",
            kind="setting",
        ),
        Column(
            "status",
            "status",
            None,
            "",
            "ok, or error (the row's error column says why).",
            kind="setting",
        ),
    )
}


# What each companion adds to its metric, for the legend.
_ROLES = {
    "low": ("low", "Lower end of the interval of {}."),
    "high": ("high", "Upper end of the interval of {}."),
    "std": ("±", "Standard deviation of {} over its subsets or splits."),
}


def column(name: str) -> Column:
    """The known column ``name`` or a companion of one (``fid_low``), or a neutral
    description of an unknown column."""
    if name in COLUMNS:
        return COLUMNS[name]
    pair = companion(name)
    if pair and pair[0] in COLUMNS:
        base, (suffix, explanation) = COLUMNS[pair[0]], _ROLES[pair[1]]
        return Column(
            name,
            f"{base.label} {suffix}",
            None,
            base.unit,
            explanation.format(base.label),
            kind="companion",
        )
    return Column(
        name,
        name,
        None,
        "",
        "No description in genbench: a column of a plugin (a metric or a model's info).",
        kind="other",
    )


def companion(name: str) -> tuple[str, str] | None:
    """``("fid", "low")`` for ``fid_low``: the metric a companion column belongs to."""
    for suffix, role in COMPANIONS.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], role
    return None


def companions(columns: Iterable[str]) -> dict[str, dict[str, str]]:
    """For each metric that has companions among ``columns``: role → companion column."""
    present = set(columns)
    found: dict[str, dict[str, str]] = {}
    for name in present:
        pair = companion(name)
        if pair and pair[0] in present:
            found.setdefault(pair[0], {})[pair[1]] = name
    return found


def recorded(value: Any) -> bool:
    """Whether a cell holds a value (read from a CSV, an empty one is None or NaN)."""
    if value is None or (isinstance(value, str) and value == ""):
        return False
    return not (isinstance(value, float) and math.isnan(value))
