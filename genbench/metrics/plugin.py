"""Built-in metrics, registered through the plugin hooks like any third-party plugin.

Each ``compute`` takes a :class:`genbench.MetricInputs` and imports the metric code (and
torch) only when called, so registration stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import genbench
from genbench.errors import GenbenchError
from genbench.spec import MetricInputs

GENERATION = ("unconditional", "class-conditional", "text-to-image")
TRANSLATION = ("paired-translation", "unpaired-translation")

# KID's subset size in the papers; smaller sets (e.g. digits' 360 test images) use all.
KID_SUBSET_SIZE = 1000
KID_SUBSETS = 100
# Pairs of same-label samples scored per class by ``lpips-diversity``.
DIVERSITY_PAIRS = 200


def _get(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in mapping:
        raise GenbenchError(
            f"this metric needs {where}[{key!r}], which was not provided; choose a feature"
            f" extractor whose outputs include {key!r}"
        )
    return mapping[key]


def _required(value: Any, name: str) -> Any:
    if value is None:
        raise GenbenchError(f"this metric needs {name}, which the task did not provide")
    return value


def _features(inputs: MetricInputs) -> tuple[Any, Any]:
    return _get(inputs.real, "features", "real"), _get(inputs.fake, "features", "fake")


def _point_replicates(
    inputs: MetricInputs, points: Mapping[str, tuple[str, Any]], *, medians: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``<column>_replicates`` of metrics that are means (or ``medians``) of per-point values
    of the samples' or the reference's set (``genbench.metrics.manifold.SAMPLE``/``REFERENCE``)."""
    from genbench.metrics import bootstrap, manifold

    resampling = inputs.resampling
    if resampling is None:
        return {}
    replicates = {}
    for column, (side, values) in points.items():
        draws = resampling.sample_counts if side == manifold.SAMPLE else resampling.reference_counts
        statistic = bootstrap.median_replicates if column in medians else bootstrap.mean_replicates
        replicates[f"{column}_replicates"] = statistic(values, draws(len(values)))
    return replicates


def _fid(inputs: MetricInputs) -> dict[str, Any]:
    from genbench.metrics import bootstrap, fid_from_features

    real, fake = _features(inputs)
    values: dict[str, Any] = {"fid": fid_from_features(real, fake)}
    if inputs.resampling is not None:
        values["fid_replicates"] = bootstrap.fid_replicates(real, fake, inputs.resampling)
    return values


def _kid(inputs: MetricInputs) -> dict[str, Any]:
    from genbench.metrics import bootstrap, kernels, kid

    real, fake = _features(inputs)
    size = min(KID_SUBSET_SIZE, len(real), len(fake))
    mean, std = kid(real, fake, subsets=KID_SUBSETS, subset_size=size, seed=inputs.seed)
    values: dict[str, Any] = {"kid": mean, "kid_std": std}
    if inputs.resampling is not None:
        # The replicates are those of the full sets' U-statistic, which the subsets estimate.
        dim = real.shape[1]
        kernel = kernels.polynomial(dim)
        values["kid_replicates"] = bootstrap.mmd_with_replicates(
            real, fake, kernel, ("kid", dim), inputs.resampling, unbiased=True
        )[1]
    return values


def _mmd(inputs: MetricInputs) -> dict[str, Any]:
    from genbench.metrics import bootstrap, kernels
    from genbench.metrics.mmd import CMMD_SCALE, median_bandwidth

    real, fake = _features(inputs)
    sigma = median_bandwidth(real)
    value, replicates = bootstrap.mmd_with_replicates(
        real, fake, kernels.gaussian(sigma), ("rbf", sigma), inputs.resampling, unbiased=False
    )
    values: dict[str, Any] = {"mmd": CMMD_SCALE * value}
    if replicates is not None:
        values["mmd_replicates"] = CMMD_SCALE * replicates
    return values


def _vendi(inputs: MetricInputs) -> dict[str, float]:
    from genbench.metrics import vendi_score

    return {"vendi": vendi_score(_get(inputs.fake, "features", "fake"))}


def _prdc(inputs: MetricInputs) -> dict[str, Any]:
    from genbench.metrics.manifold import prdc_points

    values, points = prdc_points(*_features(inputs), k=5)
    return {**values, **_point_replicates(inputs, points)}


def _pr(inputs: MetricInputs) -> dict[str, Any]:
    from genbench.metrics.manifold import precision_recall_points

    values, points = precision_recall_points(*_features(inputs), k=3)
    renamed = {f"pr_{name}": value for name, value in values.items()}
    return {**renamed, **_point_replicates(inputs, {f"pr_{n}": p for n, p in points.items()})}


def _inception_score(inputs: MetricInputs) -> dict[str, float]:
    from genbench.metrics import inception_score

    mean, std = inception_score(_get(inputs.fake, "logits", "fake"), seed=inputs.seed)
    return {"is": mean, "is_std": std}


def _accuracy(inputs: MetricInputs) -> dict[str, Any]:
    import numpy as np

    from genbench.metrics.accuracy import correct_labels
    from genbench.metrics.manifold import SAMPLE

    logits = _get(inputs.fake, "logits", "fake")
    correct = correct_labels(logits, _required(inputs.labels, "labels"))
    points = {"accuracy": (SAMPLE, correct)}
    return {"accuracy": float(np.mean(correct)), **_point_replicates(inputs, points)}


def _memorization(inputs: MetricInputs) -> dict[str, Any]:
    import numpy as np

    from genbench.metrics.authenticity import memorization_points
    from genbench.metrics.manifold import SAMPLE

    train = _get(inputs.train, "features", "train")
    ratio, authentic = memorization_points(train, _get(inputs.fake, "features", "fake"))
    values = {"memorization": float(np.median(ratio)), "authenticity": float(np.mean(authentic))}
    points = {"memorization": (SAMPLE, ratio), "authenticity": (SAMPLE, authentic)}
    return {**values, **_point_replicates(inputs, points, medians=("memorization",))}


def _lpips_missing() -> str | None:
    """Why LPIPS cannot run offline (its trunk weights are not in the store), or None."""
    from genbench import weights

    trunk = weights.LPIPS_ALEXNET
    state, _ = weights.status(trunk)
    if state in ("ok", "override"):
        return None
    return (
        f"SKIPPED: the LPIPS trunk weights {trunk.name!r} are {state} in the store; provide"
        f" them with `genbench weights fetch {trunk.name}` or `genbench weights import"
        f" {trunk.name} PATH`"
    )


def _skipped(columns: tuple[str, ...], reason: str) -> dict[str, float]:
    """A metric that cannot be computed here: no value, and the reason in the row's
    warnings (never an error row, never a stand-in)."""
    import warnings

    warnings.warn(reason, stacklevel=2)
    return dict.fromkeys(columns, math.nan)


def _paired(score: str) -> Callable[[MetricInputs], dict[str, float]]:
    def compute(inputs: MetricInputs) -> dict[str, float]:
        import warnings

        from genbench import metrics
        from genbench.weights import LPIPS_ALEXNET, non_reference

        images = _required(inputs.images, "generated images")
        targets = _required(inputs.targets, "target images")
        if score == "lpips" and (reason := _lpips_missing()):
            return _skipped((score,), reason)
        if score == "lpips" and (marker := non_reference(LPIPS_ALEXNET)):
            warnings.warn(marker, stacklevel=2)  # the row's warnings: not the reference LPIPS
        function = {
            "lpips": metrics.lpips_distance,
            "ssim": metrics.ssim,
            "psnr": metrics.psnr,
            "l1": metrics.l1_distance,
        }
        return {score: function[score](images, targets)}

    compute.__doc__ = f"{score} between each generated image and its target."
    return compute


def _lpips_diversity(inputs: MetricInputs) -> dict[str, float]:
    from genbench.metrics import lpips_diversity

    images = _required(inputs.images, "generated images")
    labels = _required(inputs.labels, "labels")
    value = lpips_diversity(images, labels, pairs_per_group=DIVERSITY_PAIRS, seed=inputs.seed)
    return {"lpips_diversity": value}


def _variations(inputs: MetricInputs, key: str) -> Any:
    if key not in inputs.variations:
        raise GenbenchError(
            f"this metric needs several outputs per input (variations[{key!r}]), which the"
            " harness draws for translation models only"
        )
    return inputs.variations[key]


def _seed_diversity(inputs: MetricInputs) -> dict[str, float]:
    from genbench.metrics import seed_diversity

    return {"seed_diversity": seed_diversity(_variations(inputs, "features"))}


def _lpips_seed_diversity(inputs: MetricInputs) -> dict[str, float]:
    from genbench.metrics import lpips_diversity, variation_groups

    if reason := _lpips_missing():
        return _skipped(("lpips_seed_diversity",), reason)
    images, groups = variation_groups(_variations(inputs, "images"))
    return {"lpips_seed_diversity": lpips_diversity(images, groups.tolist())}


def _fid_inf(inputs: MetricInputs) -> dict[str, float]:
    from genbench.metrics import fd_infinity

    real = _get(inputs.real, "features", "real")
    fake = _get(inputs.fake, "features", "fake")
    return {"fid_inf": fd_infinity(real, fake, seed=inputs.seed)["fd_inf"]}


METRICS = (
    genbench.MetricSpec(
        name="fid",
        columns=("fid",),
        compute=_fid,
        consumes=("features",),
        description="Fréchet distance of Gaussians fitted to real and fake features (float64)",
    ),
    genbench.MetricSpec(
        name="kid",
        columns=("kid", "kid_std"),
        compute=_kid,
        consumes=("features",),
        description="Kernel distance: unbiased cubic-kernel MMD² over 100 seeded subsets",
    ),
    genbench.MetricSpec(
        name="prdc",
        columns=("precision", "recall", "density", "coverage"),
        compute=_prdc,
        consumes=("features",),
        higher_is_better=True,
        description="Naeem et al. 2020 precision, recall, density, coverage (k=5, as prdc)",
    ),
    genbench.MetricSpec(
        name="pr",
        columns=("pr_precision", "pr_recall"),
        compute=_pr,
        consumes=("features",),
        higher_is_better=True,
        description="Kynkäänniemi et al. 2019 precision and recall (k=3, as torch-fidelity)",
    ),
    genbench.MetricSpec(
        name="is",
        columns=("is", "is_std"),
        compute=_inception_score,
        consumes=("logits",),
        tasks=GENERATION,
        higher_is_better=True,
        description="Inception score from the extractor's logits (10 splits, torch-fidelity)",
    ),
    genbench.MetricSpec(
        name="accuracy",
        columns=("accuracy",),
        compute=_accuracy,
        consumes=("logits", "labels"),
        tasks=("class-conditional", *TRANSLATION),
        higher_is_better=True,
        description="Fraction of samples the classifier assigns the requested label (for"
        " translation: the label of the output's ground truth)",
    ),
    genbench.MetricSpec(
        name="memorization",
        columns=("memorization", "authenticity"),
        compute=_memorization,
        consumes=("features", "train_features"),
        tasks=GENERATION,
        higher_is_better=True,
        description="Median nearest-train distance ratio (0: replays training data) and"
        " authenticity (Alaa et al. 2022)",
    ),
    genbench.MetricSpec(
        name="lpips",
        columns=("lpips",),
        compute=_paired("lpips"),
        consumes=("images", "targets"),
        tasks=TRANSLATION,
        description="Mean LPIPS (AlexNet) between each output and its target; skipped"
        " without the LPIPS trunk weights",
    ),
    genbench.MetricSpec(
        name="ssim",
        columns=("ssim",),
        compute=_paired("ssim"),
        consumes=("images", "targets"),
        tasks=TRANSLATION,
        higher_is_better=True,
        description="Mean SSIM (scikit-image, data_range 255) between outputs and targets",
    ),
    genbench.MetricSpec(
        name="psnr",
        columns=("psnr",),
        compute=_paired("psnr"),
        consumes=("images", "targets"),
        tasks=TRANSLATION,
        higher_is_better=True,
        description="Mean PSNR in dB (scikit-image, data_range 255) between outputs and targets",
    ),
    genbench.MetricSpec(
        name="l1",
        columns=("l1",),
        compute=_paired("l1"),
        consumes=("images", "targets"),
        tasks=TRANSLATION,
        description="Mean absolute difference between outputs and targets, as a fraction of 0..255",
    ),
    genbench.MetricSpec(
        name="seed-diversity",
        columns=("seed_diversity",),
        compute=_seed_diversity,
        consumes=("variations",),
        tasks=TRANSLATION,
        higher_is_better=True,
        description="Mean feature distance between outputs of one input drawn with other"
        " seeds (4 outputs of each of 50 inputs); 0 for a deterministic model",
    ),
    genbench.MetricSpec(
        name="lpips-seed-diversity",
        columns=("lpips_seed_diversity",),
        compute=_lpips_seed_diversity,
        consumes=("variations",),
        tasks=TRANSLATION,
        higher_is_better=True,
        description="Mean LPIPS between outputs of one input drawn with other seeds (4 of"
        " each of 50 inputs); skipped without the LPIPS trunk weights",
    ),
    genbench.MetricSpec(
        name="lpips-diversity",
        columns=("lpips_diversity",),
        compute=_lpips_diversity,
        consumes=("images", "labels"),
        tasks=("class-conditional",),
        higher_is_better=True,
        description="Mean LPIPS between samples of the same class (200 seeded pairs per"
        " class): low when a conditional model collapses",
    ),
    genbench.MetricSpec(
        name="vendi",
        columns=("vendi",),
        compute=_vendi,
        consumes=("features",),
        higher_is_better=True,
        description="Vendi score (Friedman & Dieng 2023): effective number of distinct samples"
        " under the cosine kernel; no reference set",
    ),
    genbench.MetricSpec(
        name="mmd",
        columns=("mmd",),
        compute=_mmd,
        consumes=("features",),
        description="1000 · MMD² with a Gaussian RBF kernel, CMMD's estimator (Jayasumana et al."
        " 2024); σ = median distance between reference features",
    ),
    genbench.MetricSpec(
        name="fid-inf",
        columns=("fid_inf",),
        compute=_fid_inf,
        consumes=("features",),
        description="FD∞ (Chong & Forsyth 2020): FD at 15 subset sizes extrapolated to 1/N → 0",
    ),
)


@genbench.hookimpl
def genbench_register_metrics(register: Callable[[genbench.MetricSpec], None]) -> None:
    for spec in METRICS:
        register(spec)
