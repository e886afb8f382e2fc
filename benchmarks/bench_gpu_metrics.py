"""The k-NN metrics on a CUDA device: prdc at 5000/5000 and precision/recall at 50k/50k.

    python benchmarks/bench_gpu_metrics.py [--large]

Same features as ``bench_metrics.py`` (Gaussian, d = 2048). prdc runs on the GPU and on the
CPU (all cores), and the ``prdc`` package on the CPU; the values must be identical. With
``--large``, precision/recall at N = 50 000 vs 50 000 on the GPU, with its peak GPU memory.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import torch


def _features(n: int, d: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, d), dtype=np.float32)


def _timed(call: Callable[[], Any], *, cuda: bool) -> tuple[Any, float]:
    if cuda:
        torch.cuda.synchronize()
    start = time.perf_counter()
    value = call()
    if cuda:
        torch.cuda.synchronize()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true")
    args = parser.parse_args()
    from genbench.metrics import prdc, precision_recall

    print(
        torch.cuda.get_device_name(),
        f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads",
    )
    real, fake = _features(5000, 2048, 0), _features(5000, 2048, 1) * 1.05
    gpu_real, gpu_fake = torch.from_numpy(real).cuda(), torch.from_numpy(fake).cuda()
    prdc(gpu_real[:500], gpu_fake[:500])  # warm-up: CUDA context, kernels
    ours_gpu, gpu_s = min(
        (_timed(lambda: prdc(gpu_real, gpu_fake), cuda=True) for _ in range(3)), key=lambda r: r[1]
    )
    ours_cpu, cpu_s = _timed(lambda: prdc(real, fake), cuda=False)
    from prdc import compute_prdc

    theirs, prdc_s = _timed(
        lambda: compute_prdc(real_features=real, fake_features=fake, nearest_k=5), cuda=False
    )
    same = ours_gpu == ours_cpu == {key: float(value) for key, value in theirs.items()}
    print(
        f"prdc 5000/5000 d=2048: genbench cuda {gpu_s:.3f} s, genbench cpu {cpu_s:.2f} s, "
        f"prdc package cpu {prdc_s:.2f} s ({prdc_s / gpu_s:.0f}x); identical values: {same}"
    )
    print(f"  genbench cuda {ours_gpu}\n  genbench cpu {ours_cpu}\n  prdc package {theirs}")
    if args.large:
        big_real, big_fake = _features(50_000, 2048, 2), _features(50_000, 2048, 3) * 1.05
        gpu_real, gpu_fake = torch.from_numpy(big_real).cuda(), torch.from_numpy(big_fake).cuda()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        values, seconds = _timed(lambda: precision_recall(gpu_real, gpu_fake), cuda=True)
        extra = (torch.cuda.max_memory_allocated() - base) / 2**30
        print(
            f"precision_recall 50k/50k d=2048 on cuda: {seconds:.1f} s, "
            f"peak extra GPU memory {extra:.2f} GiB, {values}"
        )


if __name__ == "__main__":
    main()
