"""CUDA paths: the metrics give the CPU's answers on GPU tensors, and a run on the GPU does not
depend on the batch size. Skipped without CUDA (CI has none); ``benchmarks/gpu_check.sh``
runs them on a GPU machine."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import cli, install_tiny, rows, values

from genbench.metrics import fid_from_features, kid, memorization, prdc, precision_recall
from genbench.metrics.neighbours import kth_neighbour_sq

METRICS = "tiny-mean,tiny-acc,tiny-pixel,tiny-nn"  # no weights to fetch

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
]


def _features(n: int, d: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)).astype(np.float32)
    x[: n // 10] = x[n // 10 : 2 * (n // 10)]  # copies: distances exactly 0, ties
    return x


@pytest.fixture
def tf32_allowed():  # type: ignore[no-untyped-def]
    """TF32 matmuls allowed, as many training scripts leave them: the float32 screen's error
    bound must not depend on that global setting."""
    previous = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("high")
    yield
    torch.set_float32_matmul_precision(previous)


def test_neighbour_metrics_on_cuda_equal_the_cpu(tf32_allowed) -> None:  # type: ignore[no-untyped-def]
    real, fake = _features(1500, 512, 0), _features(1300, 512, 1) * 1.1
    gpu_real, gpu_fake = torch.from_numpy(real).cuda(), torch.from_numpy(fake).cuda()
    small = 1 << 20  # many tiles, partial ones at the edges
    cpu_radii = kth_neighbour_sq(torch.from_numpy(real), 5, block_bytes=small)
    gpu_radii = kth_neighbour_sq(gpu_real, 5, block_bytes=small)
    assert gpu_radii.is_cuda
    assert torch.equal(gpu_radii.cpu(), cpu_radii)
    assert prdc(gpu_real, gpu_fake, block_bytes=small) == prdc(real, fake, block_bytes=small)
    assert precision_recall(gpu_real, gpu_fake) == precision_recall(real, fake)
    assert memorization(gpu_real, gpu_fake) == pytest.approx(memorization(real, fake), rel=1e-12)


def test_statistics_metrics_on_cuda_match_the_cpu(tf32_allowed) -> None:  # type: ignore[no-untyped-def]
    real, fake = _features(3000, 256, 2), _features(2500, 256, 3) + 0.1
    gpu_real, gpu_fake = torch.from_numpy(real).cuda(), torch.from_numpy(fake).cuda()
    assert fid_from_features(gpu_real, gpu_fake) == pytest.approx(
        fid_from_features(real, fake), rel=1e-9
    )
    gpu_kid = kid(gpu_real, gpu_fake, subsets=20, subset_size=500)
    assert gpu_kid == pytest.approx(kid(real, fake, subsets=20, subset_size=500), rel=1e-9)


@pytest.fixture
def env(install_plugin, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    return install_tiny(install_plugin, monkeypatch, tmp_path)


def test_a_cuda_run_does_not_depend_on_the_batch_size(env, tmp_path: Path) -> None:
    def run(batch_size: int) -> dict[str, dict]:
        out = tmp_path / f"b{batch_size}"
        args = (
            "--models",
            "tiny.good,tiny.cond,tiny.pix",
            "--n-samples",
            "163",
            "--metrics",
            METRICS,
        )
        result = cli(
            "run", *args, "--device", "cuda", "--batch-size", str(batch_size), "--out", str(out)
        )
        assert result.exit_code == 0, result.output
        found = rows(out)
        assert {row["device"] for row in found.values()} == {"cuda"}
        return {model: values(row) for model, row in found.items()}

    assert run(1) == run(64)
