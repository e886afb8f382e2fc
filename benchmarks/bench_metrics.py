"""Metric engine vs the reference implementations, measured side by side in one run.

    nice python benchmarks/bench_metrics.py [--threads 1] [--prdc-threads 1,2] [--repeats 3]
                                            [--quick] [--large]

1. Fréchet distance from statistics at d = 2048: genbench vs pytorch-fid (``sqrtm``) and
   torch-fidelity (``eigvals``). Targets: >= 10× and >= 3× faster, same value.
2. prdc at N = 5000 real / 5000 fake, d = 2048, k = 5: genbench vs the ``prdc`` package.
   Each runs in its own subprocess; peak extra memory is the peak resident set size during
   the call minus the resident size just before it. ``--prdc-threads`` runs the package at
   several BLAS thread counts and compares with its fastest: its scikit-learn distances run
   n_jobs=8 threads on top, so on 2 cores it is fastest at 1. Targets: >= 5× faster,
   identical values, <= 1/4 of prdc's peak extra memory.
3. ``--large``: precision/recall at N = 50 000 vs 50 000, d = 2048 (k = 3) must complete with
   < 4 GiB extra memory (several minutes; prdc would need three 10 GB matrices).

``--quick`` shrinks every size for a smoke run. Thread counts are set for every library
(torch, MKL, OpenBLAS, OpenMP) in this process and in the subprocesses.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def _rss_bytes() -> int:
    """Resident anonymous memory (heap, arrays): library code paged in on first use is
    file-backed and would otherwise count as the metric's memory."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no RssAnon in /proc/self/status")


class PeakMemory:
    """Peak resident anonymous memory above the level at entry, sampled every 2 ms."""

    def __enter__(self) -> PeakMemory:
        self.start = _rss_bytes()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, _rss_bytes())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())
        self.extra = max(0, self.peak - self.start)


def _cpu_seconds() -> float:
    """CPU time of this process, all threads: fairer than wall time on busy shared cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


# ---------------------------------------------------------------- 1. Fréchet distance


def bench_frechet(d: int, n: int) -> None:
    import numpy as np
    import torch
    from pytorch_fid.fid_score import calculate_frechet_distance
    from torch_fidelity.metric_fid import fid_statistics_to_metric

    from genbench.metrics import GaussianStats, frechet_distance

    print(f"\n## Fréchet distance from statistics, d = {d} (statistics of {n} samples each)")
    generator = torch.Generator().manual_seed(0)
    mixing = torch.randn(d, d, generator=generator, dtype=torch.float64) / d**0.5
    scales = torch.linspace(1.0, 0.01, d, dtype=torch.float64)

    def stats(shift: float) -> tuple[np.ndarray, np.ndarray]:
        z = torch.randn(n, d, generator=generator, dtype=torch.float64) * scales
        x = torch.relu(z @ mixing + shift)  # non-negative, like pooled Inception features
        s = GaussianStats.from_features(x)
        return s.mean, s.cov

    mu1, sigma1 = stats(0.0)
    mu2, sigma2 = stats(0.05)
    ours, t_ours = _timed(frechet_distance, mu1, sigma1, mu2, sigma2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # sqrtm(disp=) on SciPy 1.17
        pfid, t_pfid = _timed(calculate_frechet_distance, mu1, sigma1, mu2, sigma2)
    first, second = {"mu": mu1, "sigma": sigma1}, {"mu": mu2, "sigma": sigma2}
    tf, t_tf = _timed(fid_statistics_to_metric, first, second, False)
    tf = tf["frechet_inception_distance"]
    print(f"genbench        {t_ours:8.2f} s   FD = {ours:.10g}")
    gap = abs(ours - pfid) / abs(pfid)
    print(f"pytorch-fid     {t_pfid:8.2f} s   FD = {pfid:.10g}   rel. diff {gap:.1e}")
    print(
        f"torch-fidelity  {t_tf:8.2f} s   FD = {tf:.10g}   rel. diff {abs(ours - tf) / abs(tf):.1e}"
    )
    print(
        f"speed-up: {t_pfid / t_ours:.1f}× vs pytorch-fid (target >= 10×),"
        f" {t_tf / t_ours:.1f}× vs torch-fidelity (target >= 3×)"
    )


# ---------------------------------------------------------------- 2./3. k-NN metrics


def feature_sets(n: int, d: int, latent: int = 32) -> tuple[Any, Any]:
    """float32 features on a low-dimensional manifold, as network features are: fakes come
    from a shifted, narrower latent law, so precision and recall are neither 0 nor 1."""
    import numpy as np

    rng = np.random.default_rng(0)
    embed = rng.standard_normal((latent, d), dtype=np.float32) / latent**0.5
    out = []
    for scale, shift in ((1.0, 0.0), (0.8, 0.3)):
        z = rng.standard_normal((n, latent), dtype=np.float32) * scale + shift
        features = np.maximum(z @ embed, 0)
        features += 0.05 * rng.standard_normal((n, d), dtype=np.float32)
        out.append(features)
    return out[0], out[1]


def _child(task: dict[str, Any]) -> dict[str, Any]:
    """Run one k-NN metric in this (fresh) process; report time, memory and values."""
    import numpy as np
    import torch

    torch.set_num_threads(task["threads"])
    if task["data"] == "random":
        real, fake = feature_sets(task["n"], task["d"])
    else:
        real, fake = np.load(task["data"] + "/real.npy"), np.load(task["data"] + "/fake.npy")
    if task["impl"] == "prdc":
        import contextlib
        import io

        from prdc import compute_prdc

        def run() -> dict[str, float]:
            with contextlib.redirect_stdout(io.StringIO()):
                out = compute_prdc(real, fake, nearest_k=task["k"])
            return {key: float(value) for key, value in out.items()}
    else:
        from genbench import metrics

        function = metrics.prdc if task["impl"] == "genbench-prdc" else metrics.precision_recall

        def run() -> dict[str, float]:
            return function(real, fake, k=task["k"])

    cpu_before = _cpu_seconds()
    with PeakMemory() as memory:
        values, seconds = _timed(run)
    cpu = _cpu_seconds() - cpu_before
    return {"seconds": seconds, "cpu": cpu, "extra_bytes": memory.extra, "values": values}


def _in_subprocess(task: dict[str, Any]) -> dict[str, Any]:
    env = dict(os.environ, **{v: str(task["threads"]) for v in THREAD_VARIABLES})
    out = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(task)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode:
        raise RuntimeError(f"{task['impl']} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# What each run reports, as medians over the runs.
SUMMARY = ("seconds", "cpu", "extra_bytes")


def _mib(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:8.0f} MiB"


def bench_prdc(n: int, d: int, threads: int, repeats: int, prdc_threads: list[int]) -> None:
    """genbench at ``threads`` against the prdc package at each of ``prdc_threads`` BLAS
    threads: the speed-up is taken against prdc's fastest setting."""
    import statistics

    import numpy as np

    print(
        f"\n## prdc, N = {n} real / {n} fake, d = {d}, k = 5 (each run in its own process;"
        f" {repeats} runs each, alternating; medians)"
    )
    settings = {"genbench": ("genbench-prdc", threads)}
    settings.update({f"prdc@{t}": ("prdc", t) for t in prdc_threads})
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in settings}
    with tempfile.TemporaryDirectory() as folder:
        real, fake = feature_sets(n, d)
        np.save(f"{folder}/real.npy", real)
        np.save(f"{folder}/fake.npy", fake)
        del real, fake
        task = {"data": folder, "n": n, "d": d, "k": 5}
        for _ in range(repeats):
            for name, (impl, count) in settings.items():
                runs[name].append(_in_subprocess({**task, "impl": impl, "threads": count}))
    median = {
        name: {key: statistics.median(run[key] for run in results) for key in SUMMARY}
        for name, results in runs.items()
    }
    for name, results in runs.items():
        walls = ", ".join(f"{run['seconds']:.1f}" for run in results)
        label = f"{name} ({settings[name][1]} BLAS thread{'s' * (settings[name][1] > 1)})"
        print(
            f"{label:28s} {median[name]['seconds']:6.2f} s (cpu {median[name]['cpu']:5.1f} s)"
            f"  peak extra {_mib(median[name]['extra_bytes'])}  {results[0]['values']}"
            f"  [wall s: {walls}]"
        )
    values = [run["values"] for results in runs.values() for run in results]
    print(f"identical values: {all(v == values[0] for v in values)}")
    fastest = min((name for name in runs if name != "genbench"), key=lambda k: median[k]["seconds"])
    ours, reference = median["genbench"], median[fastest]
    print(
        f"speed-up against prdc's fastest setting ({fastest}):"
        f" {reference['seconds'] / ours['seconds']:.1f}× wall (target >= 5×),"
        f" {reference['cpu'] / ours['cpu']:.1f}× cpu time;"
        f" memory: {ours['extra_bytes'] / max(reference['extra_bytes'], 1):.3f} of its"
        " peak extra (target <= 0.25)"
    )


def bench_large(n: int, d: int, threads: int) -> None:
    print(f"\n## precision/recall, N = {n} vs {n}, d = {d}, k = 3 (genbench only)")
    result = _in_subprocess(
        {"impl": "genbench-pr", "data": "random", "n": n, "d": d, "k": 3, "threads": threads}
    )
    print(
        f"genbench  {result['seconds']:8.1f} s (cpu {result['cpu']:.0f} s)"
        f"  peak extra {_mib(result['extra_bytes'])} (target < 4096 MiB)  {result['values']}"
    )
    dense = 3 * n * n * 4
    print(f"(prdc's three dense float32 N×N matrices alone: {dense / 2**30:.0f} GiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--prdc-threads",
        default=None,
        help="comma-separated BLAS thread counts for the prdc package (default: --threads);"
        " it also runs n_jobs=8 scikit-learn threads, so 1 is often its fastest",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--large", action="store_true", help="also precision/recall at 50k")
    parser.add_argument("--skip-frechet", action="store_true")
    parser.add_argument("--skip-prdc", action="store_true")
    parser.add_argument("--repeats", type=int, default=3, help="prdc runs per implementation")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(json.loads(args.child))))
        return
    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(args.threads)
    import torch

    print(
        f"threads: {args.threads} for every implementation's BLAS/OpenMP (torch"
        f" {torch.__version__}; cores visible: {os.cpu_count()}; torch's default is one thread"
        " per physical core). The prdc package also runs scikit-learn's pairwise_distances"
        " with n_jobs=8 threads whatever this says: compare its cpu time too."
    )
    torch.set_num_threads(args.threads)
    d = 256 if args.quick else 2048
    if not args.skip_frechet:
        bench_frechet(d, 2 * d + 500)
    if not args.skip_prdc:
        prdc_threads = [int(t) for t in (args.prdc_threads or str(args.threads)).split(",")]
        bench_prdc(1000 if args.quick else 5000, d, args.threads, args.repeats, prdc_threads)
    if args.large:
        bench_large(5000 if args.quick else 50_000, d, args.threads)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
