"""Where a model's sampling time goes: images/s by batch size, and one profiled batch.

    python benchmarks/bench_sampling.py --model ddpm.digits-ddim50 --device cuda
    python benchmarks/bench_sampling.py --model ddpm.digits-ddim50 --micro-batch 64,256

Loads the model as the harness does and times ``sample`` on ``--n`` seeds at each
``--batch-sizes``. ``--micro-batch`` (DDPM models only) also times other values of
``genbench_ddpm.sampler.MICRO_BATCH``, the fixed row count the UNet sees: on a GPU a step at
batch 256 makes 256 / MICRO_BATCH launch-bound calls. The last line profiles one batch
with ``torch.profiler`` and prints its ten most expensive operators.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="ddpm.digits-ddim50")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--batch-sizes", default="64,256")
    parser.add_argument("--micro-batch", default="", help="comma-separated MICRO_BATCH values")
    args = parser.parse_args()

    import torch
    from torch.profiler import ProfilerActivity, profile

    from genbench.plugins import get_registry
    from genbench.seeding import sample_seeds
    from genbench.spec import SampleRequest

    spec = get_registry().models.get(args.model)
    generator = spec.load(args.device)
    cuda = args.device.startswith("cuda")
    labels = list(range(args.n)) if spec.task == "class-conditional" else None

    def request(start: int, size: int) -> SampleRequest:
        seeds = sample_seeds(0, range(start, start + size))
        return SampleRequest(seeds=seeds, labels=None if labels is None else labels[:size])

    def timed(batch: int) -> float:
        generator.sample(request(0, min(batch, args.n)))  # warm-up
        if cuda:
            torch.cuda.synchronize()
        start = time.perf_counter()
        for first in range(0, args.n, batch):
            generator.sample(request(first, min(batch, args.n - first)))
        if cuda:
            torch.cuda.synchronize()
        return args.n / (time.perf_counter() - start)

    micro = [int(m) for m in args.micro_batch.split(",") if m]
    sampler = None
    if micro:
        from genbench_ddpm import sampler
    for value in micro or [None]:
        if value is not None and sampler is not None:
            sampler.MICRO_BATCH = value
        for batch in (int(b) for b in args.batch_sizes.split(",")):
            label = "" if value is None else f" micro-batch {value}"
            print(f"{args.model} on {args.device}{label}: batch {batch}: {timed(batch):.1f} img/s")
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
    with profile(activities=activities) as trace:
        generator.sample(request(0, min(64, args.n)))
        if cuda:
            torch.cuda.synchronize()
    sort = "cuda_time_total" if cuda else "cpu_time_total"
    print(trace.key_averages().table(sort_by=sort, row_limit=10))


if __name__ == "__main__":
    main()
