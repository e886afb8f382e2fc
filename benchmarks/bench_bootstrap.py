"""What the leaderboards' bootstrap costs: each default metric with and without replicates.

    nice python benchmarks/bench_bootstrap.py [--resamples 200] [--rows 3] [--threads 1]

For digits and shapes, the held-out features stand for a model's samples (360 and 1000, as
the leaderboards draw) against the reference features (1437 and 5000). Each metric is
computed ``--rows`` times, as for that many rows of one run: the reference side of the
replicates is computed for the first row and reused by the others, as in a run. Prints the
seconds per row without and with the bootstrap, the extra seconds, and the ratio; multiply
the extra seconds per row by the rows of a run and compare with its wall time.
"""

from __future__ import annotations

import argparse
import dataclasses
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--rows", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    import genbench
    from genbench.bench.plan import DEFAULT_METRICS
    from genbench.features import load_extractor
    from genbench.features.reference import reference_features
    from genbench.metrics.bootstrap import Resampling

    registry = genbench.get_registry()
    print(f"threads {args.threads}, {args.resamples} resamples, {args.rows} rows per dataset")
    print("dataset  metric        plain s/row  bootstrap s/row  extra s/row  ratio")
    for name in ("digits", "shapes"):
        spec = registry.datasets.get(name)
        extractor = load_extractor(spec.default_features)
        real = reference_features(spec, "train", extractor, n=spec.n_reference)
        fake = reference_features(spec, "test", extractor, n=spec.n_samples)
        inputs = genbench.MetricInputs(
            real=real, fake=fake, train=real, labels=fake["logits"].argmax(1), seed=0
        )
        totals = [0.0, 0.0]
        for metric in DEFAULT_METRICS["class-conditional"]:
            spec_metric = registry.metrics.get(metric)
            seconds = []
            for resampling in (None, Resampling(args.resamples)):
                timed = dataclasses.replace(inputs, resampling=resampling)
                start = time.perf_counter()
                for _ in range(args.rows):
                    spec_metric.compute(timed)
                seconds.append((time.perf_counter() - start) / args.rows)
            totals = [totals[0] + seconds[0], totals[1] + seconds[1]]
            print(
                f"{name:8s} {metric:13s} {seconds[0]:11.3f}  {seconds[1]:15.3f}"
                f"  {seconds[1] - seconds[0]:11.3f}  {seconds[1] / seconds[0]:5.2f}"
            )
        print(
            f"{name:8s} {'all':13s} {totals[0]:11.3f}  {totals[1]:15.3f}"
            f"  {totals[1] - totals[0]:11.3f}  {totals[1] / totals[0]:5.2f}"
        )


if __name__ == "__main__":
    main()
