"""The built-in metrics as the harness sees them: registered specs computed on MetricInputs,
and one clear error for each kind of bad input."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
import torch

import genbench
from genbench import metrics
from genbench.errors import GenbenchError

# One thread: on 2 shared cores, more threads only contend.
torch.set_num_threads(1)

COLUMNS = {
    "fid": ("fid",),
    "kid": ("kid", "kid_std"),
    "prdc": ("precision", "recall", "density", "coverage"),
    "pr": ("pr_precision", "pr_recall"),
    "is": ("is", "is_std"),
    "accuracy": ("accuracy",),
    "memorization": ("memorization", "authenticity"),
    "lpips": ("lpips",),
    "ssim": ("ssim",),
    "psnr": ("psnr",),
    "fid-inf": ("fid_inf",),
    "lpips-diversity": ("lpips_diversity",),
    "vendi": ("vendi",),
    "mmd": ("mmd",),
    "l1": ("l1",),
    "seed-diversity": ("seed_diversity",),
    "lpips-seed-diversity": ("lpips_seed_diversity",),
}
# Columns that come with bootstrap replicates when MetricInputs.resampling asks for them.
BOOTSTRAPPED = [
    "fid",
    "kid",
    "mmd",
    "precision",
    "recall",
    "density",
    "coverage",
    "pr_precision",
    "pr_recall",
    "accuracy",
    "memorization",
    "authenticity",
]


def _registered() -> dict[str, genbench.MetricSpec]:
    registry = genbench.get_registry()
    return {name: registry.metrics.get(name) for name in COLUMNS}


def test_every_metric_is_registered_with_its_columns_and_inputs():
    specs = _registered()
    for name, columns in COLUMNS.items():
        assert specs[name].columns == columns
        assert specs[name].plugin == "genbench"
    assert specs["is"].consumes == ("logits",)
    assert set(specs["accuracy"].consumes) == {"logits", "labels"}
    assert specs["accuracy"].tasks == (
        "class-conditional",
        "paired-translation",
        "unpaired-translation",
    )
    assert set(specs["memorization"].consumes) == {"features", "train_features"}
    for name in ("lpips", "ssim", "psnr", "l1"):
        assert set(specs[name].consumes) == {"images", "targets"}
        assert set(specs[name].tasks) == {"paired-translation", "unpaired-translation"}
    for name in ("seed-diversity", "lpips-seed-diversity"):
        assert specs[name].consumes == ("variations",)
        assert set(specs[name].tasks) == {"paired-translation", "unpaired-translation"}


def test_registering_the_metrics_does_not_import_torch():
    code = (
        "import sys; from genbench.metrics import plugin; specs = [];"
        " plugin.genbench_register_metrics(specs.append);"
        " print(len(specs), 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(COLUMNS)), "False"]


def _inputs(seed: int = 0) -> genbench.MetricInputs:
    """Digits-sized inputs: 360 fakes, fewer than KID's usual subset of 1000."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (24, 1, 16, 16), dtype=np.uint8)
    return genbench.MetricInputs(
        real={"features": rng.standard_normal((400, 12)), "logits": rng.standard_normal((400, 10))},
        fake={
            "features": rng.standard_normal((360, 12)) + 0.2,
            "logits": rng.standard_normal((360, 10)),
        },
        labels=np.arange(360) % 10,
        images=images,
        targets=np.clip(images.astype(int) + 10, 0, 255).astype(np.uint8),
        train={"features": rng.standard_normal((500, 12))},
        seed=seed,
        variations={
            "images": rng.integers(0, 256, (6, 4, 1, 16, 16), dtype=np.uint8),
            "features": rng.standard_normal((6, 4, 12)),
        },
    )


def test_every_metric_computes_its_columns_from_metric_inputs(lpips_weights):
    inputs = _inputs()
    for name, spec in _registered().items():
        # The 24 images stand for 24 class-conditional samples of 3 classes.
        images_labels = dataclasses.replace(inputs, labels=np.arange(24) % 3)
        values = spec.compute(images_labels if name == "lpips-diversity" else inputs)
        assert set(values) == set(spec.columns), name
        assert all(np.isfinite(v) for v in values.values()), (name, values)
    assert _registered()["fid"].compute(inputs)["fid"] == metrics.fid_from_features(
        inputs.real["features"], inputs.fake["features"]
    )
    # KID uses all 360 fakes per subset; the run seed picks the subsets.
    kid = _registered()["kid"]
    assert (
        kid.compute(inputs)["kid"]
        == metrics.kid(inputs.real["features"], inputs.fake["features"], subset_size=360, seed=0)[0]
    )


def test_a_resampling_adds_replicates_to_the_columns_that_have_them(lpips_weights):
    from genbench.metrics.bootstrap import Resampling

    inputs = dataclasses.replace(_inputs(), resampling=Resampling(resamples=20))
    found = {}
    for name, spec in _registered().items():
        images_labels = dataclasses.replace(inputs, labels=np.arange(24) % 3)
        chosen = images_labels if name == "lpips-diversity" else inputs
        values = spec.compute(chosen)
        plain = spec.compute(dataclasses.replace(chosen, resampling=None))
        assert {c: values[c] for c in spec.columns} == plain, name  # the values do not move
        found.update(
            {c: values[f"{c}_replicates"] for c in spec.columns if f"{c}_replicates" in values}
        )
    assert sorted(found) == sorted(BOOTSTRAPPED)
    for column, replicates in found.items():
        assert np.shape(replicates) == (20,) and np.isfinite(replicates).all(), column
        assert np.ptp(replicates) > 0, column  # resamples differ


def test_missing_inputs_name_what_is_missing():
    specs = _registered()
    with pytest.raises(GenbenchError, match=r"fake\['logits'\]"):
        specs["is"].compute(genbench.MetricInputs(fake={"features": np.ones((20, 3))}))
    with pytest.raises(GenbenchError, match="labels"):
        specs["accuracy"].compute(genbench.MetricInputs(fake={"logits": np.ones((20, 3))}))
    with pytest.raises(GenbenchError, match=r"train\['features'\]"):
        specs["memorization"].compute(_inputs().__class__(fake={"features": np.ones((5, 3))}))
    with pytest.raises(
        GenbenchError, match=r"several outputs per input \(variations\['features'\]"
    ):
        specs["seed-diversity"].compute(genbench.MetricInputs(fake={"features": np.ones((5, 3))}))


BAD = {
    "NaN": (np.full((10, 4), np.nan), "NaN or inf"),
    "inf": (np.concatenate([np.ones((9, 4)), np.full((1, 4), np.inf)]), "1 of 10 rows"),
    "empty": (np.ones((0, 4)), "empty"),
    "1-D": (np.ones(10), "2-D"),
    "strings": (np.array([["a", "b"]] * 10), "numbers"),
    "too narrow": (np.ones((10, 3)), "dimensions"),
}
FUNCTIONS = {
    "fid": metrics.fid_from_features,
    "kid": lambda r, f: metrics.kid(r, f, subsets=2, subset_size=5),
    "prdc": metrics.prdc,
    "pr": metrics.precision_recall,
    "memorization": metrics.memorization,
    "fid-inf": metrics.fd_infinity,
    "mmd": metrics.rbf_mmd,
}


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_bad_features_get_a_clear_error(function, bad):
    good = np.random.default_rng(0).standard_normal((10, 4))
    values, message = BAD[bad]
    with pytest.raises(GenbenchError, match=message):
        FUNCTIONS[function](good, values)


def test_nan_logits_and_too_few_for_k():
    with pytest.raises(GenbenchError, match="logits: 1 of 20 rows"):
        metrics.inception_score(np.vstack([np.zeros((19, 3)), [[np.nan, 0, 0]]]))
    few = np.random.default_rng(0).standard_normal((3, 4))
    with pytest.raises(GenbenchError, match="fake: 3 samples, but k=3"):
        metrics.precision_recall(np.ones((10, 4)) + np.arange(10)[:, None], few)


def test_huge_finite_features_are_accepted():
    from genbench.metrics.arrays import features

    # Their float64 sum overflows to inf, yet every entry is finite.
    huge = np.full((10, 4), 1e308)
    assert features(huge).shape == (10, 4)
    huge[3, 1] = np.inf
    with pytest.raises(GenbenchError, match="1 of 10 rows"):
        features(huge)
