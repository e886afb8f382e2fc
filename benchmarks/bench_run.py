"""Time `genbench run --models all` stage by stage, with a warm reference cache.

Prints the seconds spent planning, on reference features, loading, sampling, extracting
features, computing metrics and writing, per model and in total, and the harness overhead
(planning + writing + the per-model bookkeeping around sampling: conditions, output
checks, buffering, gathering) as a percentage of sampling + feature extraction. Targets:
the whole run under 10 minutes on 2 CPU cores, overhead under 10%.

    python benchmarks/bench_run.py                      # every installed model, 1 thread
    python benchmarks/bench_run.py --models 'baseline.*' --threads 2
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="all")
    parser.add_argument("--exclude", default="")
    parser.add_argument("--n-samples", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default=None, help="run folder (default: a temporary one)")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    from genbench.bench.config import RunConfig
    from genbench.bench.execute import load_reference
    from genbench.bench.plan import make_plan
    from genbench.bench.runner import run
    from genbench.distributed import World
    from genbench.plugins import get_registry

    out = Path(args.out or tempfile.mkdtemp(prefix="genbench-bench-"))
    config = RunConfig(
        models=args.models,
        exclude=args.exclude,
        n_samples=args.n_samples,
        batch_size=args.batch_size,
        device="cpu",
        out=str(out),
        progress=False,
    )
    start = time.perf_counter()
    for jobs in make_plan(config, get_registry()).groups().values():
        load_reference(jobs[0].group, jobs, "cpu", World())
    print(f"warmed the reference cache in {time.perf_counter() - start:.1f} s (not counted)\n")

    summary = run(config, echo=lambda line: None)
    seconds, rows = summary.seconds, summary.rows
    stages = ("load", "sampling", "features", "metrics")
    print(
        f"{'model':<28}{'status':>7}"
        + "".join(f"{s:>10}" for s in (*stages, "other", "wall"))
        + f"{'img/s':>10}"
    )
    bookkeeping = 0.0
    for row in rows:
        spent = [row.get(f"{s}_s") or 0.0 for s in stages]
        other = max((row.get("wall_s") or 0.0) - sum(spent), 0.0)
        bookkeeping += other
        cells = "".join(f"{v:>10.2f}" for v in (*spent, other, row.get("wall_s") or 0.0))
        print(f"{row['model']:<28}{row['status']:>7}{cells}{row.get('images_per_s') or 0:>10.1f}")
    print("\nstage totals (s):")
    for stage in ("planning", "reference", *stages, "writing"):
        print(f"  {stage:<10}{seconds.get(stage, 0.0):>10.2f}")
    print(f"  {'total':<10}{seconds['total']:>10.2f}")
    work = seconds.get("sampling", 0.0) + seconds.get("features", 0.0)
    overhead = seconds.get("planning", 0.0) + seconds.get("writing", 0.0) + bookkeeping
    print(
        f"\nthreads: {torch.get_num_threads()}, models: {len(rows)} "
        f"({len(summary.failed)} failed), out: {out}"
    )
    print(
        f"harness overhead: {overhead:.2f} s = {100 * overhead / max(work, 1e-9):.1f}% of "
        f"sampling + features ({work:.2f} s); target < 10%"
    )
    print(f"whole run: {seconds['total'] / 60:.2f} min; target < 10 min on 2 cores")


if __name__ == "__main__":
    main()
