"""``genbench sanity``: the metrics move as their papers claim on digits' held-out images.

These assert the directions that hold on digits (``leaderboards/sanity`` lists every check,
the failures included, on both datasets): a metric that regresses fails here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from genbench.sanity import checks, table
from genbench.sanity.checks import Result, Settings

# One thread: on 2 shared cores, more threads only contend.
torch.set_num_threads(1)

SMALL = Settings(
    n=120, drops=3, blurs=(0.0, 1.5, 2.5), noises=(0.0, 32.0, 64.0), shrinks=(1.0, 0.5)
)


@pytest.fixture(scope="module")
def digits():  # type: ignore[no-untyped-def]
    from genbench.sanity.data import load

    return load("digits")


def _verdicts(results: list[Result]) -> dict[str, bool | None]:
    return {r.metric: r.passed for r in results}


def test_trend_judges_allow_noise_but_not_a_reversal() -> None:
    rises, falls, holds = checks.RISES[1], checks.FALLS[1], checks.HOLDS[1]

    def series(*values: float) -> list[dict[str, float]]:
        return [{"m": v} for v in values]

    assert rises(series(1, 2, 1.96, 3), "m")  # a step back of 2 % of the rise is noise
    assert not rises(series(1, 2, 1.8, 3), "m") and not rises(series(3, 2), "m")
    assert falls(series(0.9, 0.5, 0.1), "m") and not falls(series(0.9, 0.9), "m")
    assert holds(series(0.95, 0.9, 0.97), "m") and not holds(series(0.95, 0.8), "m")


@pytest.mark.slow
def test_identical_sets_copies_and_truncation(digits) -> None:  # type: ignore[no-untyped-def]
    identical = _verdicts(checks.identical(digits, SMALL))
    assert all(v for v in identical.values() if v is not None)
    assert {m for m, v in identical.items() if v} >= {"fid", "precision", "recall", "coverage"}
    copies = _verdicts(checks.copies(digits, SMALL))
    assert copies["fid"] and copies["memorization"] and copies["authenticity"]
    truncated = _verdicts(checks.truncation(digits, SMALL))
    assert truncated["precision"] and truncated["recall"] and truncated["pr_recall"]
    assert truncated["vendi"]


@pytest.mark.slow
def test_dropped_classes_and_degraded_images(digits) -> None:  # type: ignore[no-untyped-def]
    dropped = _verdicts(checks.dropped_classes(digits, SMALL))
    # (coverage and KID follow at the published size; with 120 samples their steps are noise)
    for metric in ("recall", "pr_recall", "fid", "mmd", "precision"):
        assert dropped[metric], metric
    for check in (checks.noise, checks.blur):
        degraded = _verdicts(check(digits, SMALL))
        for metric in ("fid", "kid", "mmd", "density", "pr_precision"):
            assert degraded[metric], (check.__name__, metric)


def test_the_table_shows_verdicts_values_and_failures(tmp_path: Path) -> None:
    results = [
        Result("toy", "blur", "fid", ("0", "2"), (3.0, 90.0), "rises", True),
        Result("toy", "blur", "precision", ("0", "2"), (0.9, 0.95), "falls", False),
        Result("toy", "blur", "vendi", ("0", "2"), (5.0, 4.0)),
    ]
    paths = table.write(results, tmp_path, "genbench sanity --datasets toy")
    page = paths[1].read_text()
    assert "| blur | pass: 3 → 90 |" in page and "FAIL: 0.9 → 0.95" in page
    assert "1 of 2 expectations hold" in page
    assert "- blur: `precision` expected: falls; measured 0.9, 0.95" in page
    csv = paths[0].read_text()
    assert "no claim" in csv and "3 | 90" in csv


@pytest.mark.slow
def test_the_command_prints_and_writes_the_table(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from genbench.cli import build_cli

    out = tmp_path / "sanity"
    args = ["sanity", "--datasets", "digits", "--n", "60", "--out", str(out)]
    result = CliRunner().invoke(build_cli(), args)
    assert result.exit_code == 0, result.output
    assert "## digits" in result.output and (out / "sanity.csv").is_file()
    assert "identical sets" in (out / "README.md").read_text()


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.5])
def test_blur_is_scipys_gaussian_filter(sigma: float) -> None:
    ndimage = pytest.importorskip("scipy.ndimage")  # a test-only reference
    images = np.random.default_rng(0).integers(0, 256, (3, 3, 20, 20)).astype(np.uint8)
    smooth = ndimage.gaussian_filter(images.astype(np.float64), sigma=(0, 0, sigma, sigma))
    expected = np.clip(np.rint(smooth), 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(checks.gaussian_blur(images, sigma), expected)
