"""What a DDPM row costs to sample, and what the fixed micro-batch costs against its peers.

    python plugins/genbench-ddpm/benchmarks/bench_sampling.py [--samples 360] [--steps 10]

One torch thread. Times are CPU seconds of this process (``time.process_time``, less
distorted by other jobs than wall time; wall seconds are printed too), for ``--steps``
network evaluations on ``--samples`` samples with the shipped network, so one step costs
``seconds / steps``. Each row's full cost is that times its NFE; ``--full`` also times the
rows end to end. Peers measured in the same run: the network on one unchunked batch
(NHWC and NCHW) against the sampler's fixed micro-batches of ``MICRO_BATCH`` rows.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import torch
from genbench import SampleRequest
from genbench.seeding import sample_seeds

from genbench_ddpm import sampler
from genbench_ddpm.plugin import ROWS, WEIGHTS, RowLoader
from genbench_ddpm.train import load_model


def timed(work: Callable[[], Any]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``work``."""
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=360)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--full", action="store_true", help="also time every row end to end")
    args = parser.parse_args()
    torch.set_num_threads(1)
    assert WEIGHTS.path is not None
    network, _, _ = load_model(WEIGHTS.path)
    n, steps = args.samples, args.steps
    x = torch.randn(n, 1, 16, 16)
    y = torch.full((n,), 10)
    print(f"threads=1 samples={n} steps={steps} micro_batch={sampler.MICRO_BATCH}")

    def network_steps(batch: torch.Tensor) -> Callable[[], None]:
        t = torch.full((n,), 500)
        return lambda: [network(batch, t, y) for _ in range(steps)]

    with torch.inference_mode():
        network(x[:2].contiguous(memory_format=torch.channels_last), torch.zeros(2).long(), y[:2])
        peers = {
            "micro-batched (sampler)": lambda: [
                sampler._micro_batched(network, x, 500, y) for _ in range(steps)
            ],
            "one batch, NHWC": network_steps(x.contiguous(memory_format=torch.channels_last)),
            "one batch, NCHW": network_steps(x.contiguous()),
        }
        results = {name: timed(work) for name, work in peers.items()}
    base = results["micro-batched (sampler)"][0]
    for name, (cpu, wall) in results.items():
        print(
            f"{name:26s} {cpu / steps * 1000:7.1f} ms/step CPU  {wall / steps * 1000:7.1f} wall"
            f"  ×{cpu / base:.2f} of the sampler"
        )
    per_step = base / steps
    seeds, labels = sample_seeds(0, range(n)), [i % 10 for i in range(n)]
    for name, (config, _) in ROWS.items():
        line = f"{name:22s} NFE {config.nfe:5d}  estimated {config.nfe * per_step:6.1f} s CPU"
        if args.full:
            generator = RowLoader(WEIGHTS, config)("cpu")
            request = SampleRequest(seeds=seeds, labels=labels)
            cpu, wall = timed(
                lambda generator=generator, request=request: generator.sample(request)
            )
            line += f"  measured {cpu:6.1f} s CPU {wall:6.1f} s wall"
        print(line, flush=True)


if __name__ == "__main__":
    main()
