"""Why the adapter calls a pipeline once per sample: what batching would change, and cost.

For each tiny pipeline of the tests, draws N samples twice with the same per-sample
generators: in one batched pipeline call, and in N calls of one sample. Prints the time of
each, their ratio, the largest float difference between the two, and how many uint8 pixels
differ after rounding. Run: ``python plugins/genbench-diffusers/benchmarks/bench_batching.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
import tiny_pipelines  # the test suite's builders

N, STEPS, THREADS = 16, 10, 1


def _generators(seeds: list[int]) -> list[torch.Generator]:
    return [torch.Generator().manual_seed(s) for s in seeds]


def _draw(pipeline: object, condition: dict[str, list[object]], seeds: list[int]) -> np.ndarray:
    output = pipeline(  # type: ignore[operator]
        **condition, generator=_generators(seeds), num_inference_steps=STEPS, output_type="np"
    )
    return np.asarray(output.images)


def main() -> None:
    import diffusers
    import transformers
    from diffusers import DiffusionPipeline

    for library in (diffusers, transformers):
        library.utils.logging.set_verbosity_error()
        library.utils.logging.disable_progress_bar()
    torch.set_num_threads(THREADS)
    seeds = list(range(1000, 1000 + N))
    prompts = [f"a shape number {i}" for i in range(N)]
    print(f"{N} samples, {STEPS} steps, torch threads {THREADS}")
    header = ("pipeline", "batched s", "1-by-1 s", "ratio", "max |diff|", "pixels")
    print("{:<24} {:>9} {:>9} {:>6} {:>11} {:>7}".format(*header))
    with tempfile.TemporaryDirectory() as folder:
        builders = {
            "DDPMPipeline": (tiny_pipelines.build_ddpm, lambda k: {"batch_size": k}),
            "DiTPipeline": (tiny_pipelines.build_dit, lambda k: {"class_labels": list(range(k))}),
            "StableDiffusionPipeline": (
                tiny_pipelines.build_stable_diffusion,
                lambda k: {"prompt": prompts[:k]},
            ),
        }
        for name, (build, condition) in builders.items():
            pipeline = DiffusionPipeline.from_pretrained(build(Path(folder) / name))
            pipeline.set_progress_bar_config(disable=True)
            start = time.perf_counter()
            batched = _draw(pipeline, condition(N), seeds)
            batched_s = time.perf_counter() - start
            start = time.perf_counter()
            singles = []
            for i, seed in enumerate(seeds):
                one = {
                    k: v[i : i + 1] if isinstance(v, list) else 1 for k, v in condition(N).items()
                }
                singles.append(_draw(pipeline, one, [seed]))
            single_s = time.perf_counter() - start
            alone = np.concatenate(singles)
            pixels = int(((batched * 255).round() != (alone * 255).round()).sum())
            print(
                f"{name:<24} {batched_s:>9.2f} {single_s:>9.2f} {single_s / batched_s:>6.2f}"
                f" {np.abs(batched - alone).max():>11.2e} {pixels:>7}"
            )


if __name__ == "__main__":
    main()
