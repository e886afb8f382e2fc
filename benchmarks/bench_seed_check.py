"""What the seed-contract check of `genbench run` costs and finds, model by model.

For each model it samples the first GRID indices in one batch, as a run at
`--batch-size GRID` does, then times the check (`sampling.seed_contract_problem`: up to
four of them drawn again in a batch of their own) and prints the mean absolute difference
it saw, in grey levels, against the tolerance. Printed: seconds of the check beside
seconds of the batch, per model and in total; a model above the tolerance is flagged.

    python benchmarks/bench_seed_check.py                      # every installed model
    python benchmarks/bench_seed_check.py --models 'ddpm.*' --grid 64
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="all")
    parser.add_argument("--grid", type=int, default=16, help="samples of the first batch")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    from genbench.bench.conditions import Conditions
    from genbench.bench.config import RunConfig
    from genbench.bench.plan import make_plan
    from genbench.bench.sampling import SEED_CHECK_TOLERANCE, Shard, draw, redraw_gap
    from genbench.plugins import get_registry

    plan = make_plan(RunConfig(models=args.models, device="cpu"), get_registry())
    print(
        f"{'model':<34}{'batch s':>9}{'check s':>9}{'gap':>8}  (tolerance {SEED_CHECK_TOLERANCE})"
    )
    batch_total = check_total = 0.0
    flagged = []
    for job in plan.jobs:
        conditions = Conditions(job)
        try:
            generator = job.model.load("cpu")
        except Exception as error:  # e.g. weights not shipped yet: not this benchmark's subject
            print(f"{job.model.name:<34}  skipped: {str(error)[:60]}")
            continue
        indices = list(range(min(args.grid, job.n_samples)))
        start = time.perf_counter()
        images = draw(generator, conditions.request(indices), device="cpu", precision="fp32")
        batch_s = time.perf_counter() - start
        shard = Shard(
            grid={i: image.numpy() for i, image in zip(indices, images.cpu(), strict=True)}
        )
        start = time.perf_counter()
        _, gap = redraw_gap(conditions, generator, shard, device="cpu", precision="fp32")
        check_s = time.perf_counter() - start
        batch_total, check_total = batch_total + batch_s, check_total + check_s
        if gap > SEED_CHECK_TOLERANCE:
            flagged.append(job.model.name)
        print(f"{job.model.name:<34}{batch_s:>9.2f}{check_s:>9.2f}{gap:>8.3f}")
    print(
        f"\n{len(plan.jobs)} models, threads {torch.get_num_threads()}: the check took "
        f"{check_total:.1f} s in all, beside {batch_total:.1f} s for one batch of {args.grid} "
        f"per model; flagged: {', '.join(flagged) or 'none'}"
    )


if __name__ == "__main__":
    main()
