"""`genbench score` vs pytorch-fid end to end: same folders, same weights file, same run.

    nice python benchmarks/bench_score.py [--images 200] [--threads 1] [--repeats 2]
    python benchmarks/bench_score.py --extract-only --device cuda --images 10000

End to end: two folders of ``--images`` 32×32 PNGs each and a random calibrated FID-Inception
file in pytorch-fid's format (no real weights can be downloaded here; the work done is
the same). pytorch-fid runs as its command line does (`calculate_fid_given_paths`, its
default batch size 50 and data-loader workers); genbench runs `genbench score A B`. The
two alternate ``--repeats`` times; the best time of each is compared, and both FIDs are
printed. Target: genbench >= 1.3× faster.

``--extract-only`` measures images/s of feature extraction alone (uint8 CIFAR-sized images
already in memory), genbench and pytorch-fid's network, on ``--device``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
# The random calibrated Inception weights are test support, kept beside the tests.
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))


def _set_threads(threads: int) -> None:
    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(threads)
    import torch

    torch.set_num_threads(threads)


def _write_folder(path: Path, n: int, seed: int) -> Path:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:32, 0:32]
    path.mkdir(parents=True)
    for i in range(n):
        scale = rng.uniform(2, 7, (3, 1, 1))
        waves = 127.5 + 100 * np.sin(xx / scale + yy / (scale + 1) + rng.uniform(0, 6, (3, 1, 1)))
        image = np.clip(waves + rng.normal(0, 12 + 10 * seed, waves.shape), 0, 255)
        Image.fromarray(image.astype(np.uint8).transpose(1, 2, 0)).save(path / f"{i:05d}.png")
    return path


def _time(run):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def end_to_end(args: argparse.Namespace, work: Path) -> None:
    from calibration import install_random_inception
    from click.testing import CliRunner
    from pytorch_fid.fid_score import calculate_fid_given_paths

    from genbench.cli import build_cli

    weights = install_random_inception(work / "torch-home")
    os.environ["TORCH_HOME"] = str(work / "torch-home")
    os.environ["GENBENCH_HOME"] = str(work / "genbench-home")
    a = _write_folder(work / "a", args.images, 0)
    b = _write_folder(work / "b", args.images, 1)
    workers = min(len(os.sched_getaffinity(0)), 8)  # pytorch-fid's command-line default
    cli = build_cli()

    def ours() -> float:
        command = ["score", str(a), str(b), "--json", "--no-progress", "--device", args.device]
        command += ["--weights", f"inception-v3-fid={weights}", "--workers", str(workers)]
        result = CliRunner().invoke(cli, command)
        if result.exit_code != 0:
            raise SystemExit(result.output)
        return float(json.loads(result.stdout.strip().splitlines()[-1])["fid"])

    def theirs() -> float:
        return float(calculate_fid_given_paths([str(a), str(b)], 50, args.device, 2048, workers))

    times: dict[str, list[float]] = {"genbench": [], "pytorch-fid": []}
    values: dict[str, float] = {}
    for _ in range(args.repeats):
        for name, run in (("genbench", ours), ("pytorch-fid", theirs)):
            seconds, values[name] = _time(run)
            times[name].append(seconds)
            print(f"{name:12s} {seconds:8.2f} s  fid {values[name]:.6f}", flush=True)
    best = {name: min(t) for name, t in times.items()}
    relative = abs(values["genbench"] - values["pytorch-fid"]) / abs(values["pytorch-fid"])
    print(
        f"\nthreads={args.threads} images={args.images}+{args.images} device={args.device}"
        f" loader workers={workers}"
    )
    print(f"best genbench {best['genbench']:.2f} s, pytorch-fid {best['pytorch-fid']:.2f} s")
    print(f"speed ratio (pytorch-fid / genbench): {best['pytorch-fid'] / best['genbench']:.2f}x")
    print(f"FID relative difference: {relative:.2e}")


def extract_only(args: argparse.Namespace, work: Path) -> None:
    import torch
    from calibration import install_random_inception
    from pytorch_fid.inception import InceptionV3

    from genbench import weights as store
    from genbench.features import load_extractor

    weights = install_random_inception(work / "torch-home")
    os.environ["TORCH_HOME"] = str(work / "torch-home")
    store.set_overrides([f"inception-v3-fid={weights}"])
    images = torch.randint(0, 256, (args.images, 3, 32, 32), dtype=torch.uint8)
    extractor = load_extractor("inception-v3-fid", device=args.device)
    peer = InceptionV3([3]).to(args.device).eval()

    def sync() -> None:
        if args.device.startswith("cuda"):
            torch.cuda.synchronize()

    def run_ours() -> None:
        for start in range(0, len(images), args.batch_size):
            extractor(images[start : start + args.batch_size])
        sync()

    def run_theirs() -> None:
        with torch.no_grad():
            for start in range(0, len(images), args.batch_size):
                batch = images[start : start + args.batch_size].to(args.device).float() / 255
                peer(batch)
        sync()

    extractor(images[: args.batch_size])  # warm-up (cuDNN autotuning, lazy init)
    for name, run in (("genbench", run_ours), ("pytorch-fid net", run_theirs)):
        seconds, _ = _time(run)
        print(f"{name:16s} {args.images / seconds:10.1f} images/s ({seconds:.1f} s)", flush=True)
    print(f"threads={args.threads} device={args.device} batch={args.batch_size}")
    if args.device.startswith("cuda"):
        print(torch.cuda.get_device_name())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--extract-only", action="store_true")
    args = parser.parse_args()
    _set_threads(args.threads)
    with tempfile.TemporaryDirectory(prefix="bench-score-") as tmp:
        (extract_only if args.extract_only else end_to_end)(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
