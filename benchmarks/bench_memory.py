"""Peak memory of `genbench score` (many small images, a few very large ones) and of
`genbench run` as --n-samples grows.

    nice python benchmarks/bench_memory.py [--images 50000] [--side 8000] [--large 3]
    python benchmarks/bench_memory.py --genbench-path /tmp/old   # another checkout
    python benchmarks/bench_memory.py --cases run --n-samples 1000,10000,50000

Each measurement is one `genbench score` process; its peak resident memory (ru_maxrss) is
read from ``os.wait4``. Cases:

- ``floor``: two 32×32 images, Inception: the cost of Python, torch and the net alone.
- ``large``: ``--large`` RGB images of ``--side``² pixels (a PNG folder) scored against
  themselves with the FID Inception (random weights in pytorch-fid's format: no real
  weights can be downloaded here, the work is the same), at batch sizes 1, 2 and 64.
- ``many``: a folder of ``--images`` 32×32 PNGs against an .npy of as many, in the
  ``shapes-cnn`` space (a real net), and in a stand-in space of Inception's output width
  (2048 features + 1008 logits from a fixed random projection, so that 2 × 50,000 rows cost
  what they cost with Inception without hours of CPU Inception; labelled ``wide``).
- ``run``: `genbench run` of ``baseline.noise-shapes`` (cheap samples) in the ``wide``
  space with FID and no bootstrap, at each ``--n-samples``: what grows with n is the
  features the run must keep (3056 float32 per sample, 12 KB) and what the harness adds.

``--genbench-path`` puts another genbench checkout first on the child's PYTHONPATH, to
measure the code before a change the same way. One thread per process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# Runs in the child: registers the stand-in feature space, then the `genbench` command.
CHILD = """
import sys, torch
torch.set_num_threads(1)
import genbench
from genbench.cli import main

class Wide(torch.nn.Module):
    def __init__(self):
        super().__init__()
        generator = torch.Generator().manual_seed(0)
        self.projection = torch.randn(3 * 8 * 8, 2048 + 1008, generator=generator)

    def prepare(self, images):
        grey = images if images.shape[1] == 3 else images.expand(-1, 3, -1, -1)
        return torch.nn.functional.adaptive_avg_pool2d(grey.float(), 8).flatten(1)

    def embed(self, x):
        out = x @ self.projection
        return {"features": out[:, :2048], "logits": out[:, 2048:]}

    def forward(self, images):
        return self.embed(self.prepare(images))

from genbench.registry import PluginRecord
spec = genbench.FeatureExtractorSpec(
    name="wide", outputs={"features": 2048, "logits": 1008}, load=lambda device, **_: Wide(),
    resize_modes=("none",))
genbench.get_registry().add("feature_extractor", spec, PluginRecord("bench", "0", "bench"))
main(sys.argv[1:])
"""


def peak_mib(args: list[str], env: dict[str, str]) -> float:
    """Run ``genbench ARGS`` in a child process; its peak resident memory in MiB."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], env=env)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"genbench {' '.join(args)} exited with {child.returncode}")
    return usage.ru_maxrss / 1024  # KiB on Linux


def write_large(folder: Path, count: int, side: int) -> Path:
    """``count`` smooth RGB images (PNG compresses them quickly) with some noise."""
    import numpy as np
    from PIL import Image

    folder.mkdir(parents=True)
    ramp = np.linspace(0, 255, side, dtype=np.float32)
    for i in range(count):
        rng = np.random.default_rng(i)
        image = np.empty((side, side, 3), np.uint8)
        for c in range(3):
            plane = (ramp[:, None] * (0.3 + 0.2 * c) + ramp[None, :] * 0.5 + 20 * i) % 256
            image[..., c] = plane.astype(np.uint8)
        image[::97, ::89] = rng.integers(0, 256, image[::97, ::89].shape, dtype=np.uint8)
        Image.fromarray(image).save(folder / f"{i}.png", compress_level=1)
    return folder


def write_many(folder: Path, array: Path, count: int) -> None:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (count, 32, 32, 3), dtype=np.uint8)
    images[:, 8:24, 8:24] //= 2  # some structure, so features differ between images
    folder.mkdir(parents=True)
    for i, image in enumerate(images):
        Image.fromarray(image).save(folder / f"{i:05d}.png", compress_level=1)
    np.save(array, rng.permutation(images))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=50000)
    parser.add_argument("--large", type=int, default=3)
    parser.add_argument("--side", type=int, default=8000)
    parser.add_argument("--cases", default="floor,large,many")
    parser.add_argument("--n-samples", default="1000,10000,50000", help="for the run case")
    parser.add_argument("--genbench-path", default=None)
    args = parser.parse_args()
    cases = set(args.cases.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, GENBENCH_HOME=str(work / "home"), GENBENCH_OFFLINE="1")
        env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        if args.genbench_path:
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [args.genbench_path, env.get("PYTHONPATH")])
            )
        common = ["--no-progress", "--device", "cpu", "--workers", "2"]
        if cases & {"floor", "large"}:
            sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
            from calibration import install_random_inception

            inception = install_random_inception(work / "torch-home")
            fid = ["--features", "inception-v3-fid", "--weights", f"inception-v3-fid={inception}"]
        results = []
        if "floor" in cases:
            small = write_large(work / "floor", 2, 32)
            results.append(
                (
                    "floor: 2 images 32², inception",
                    peak_mib(["score", str(small), str(small), *fid, *common], env),
                )
            )
        if "large" in cases:
            big = write_large(work / "large", args.large, args.side)
            for batch in (1, 2, 64):
                label = f"large: {args.large} images {args.side}², inception, --batch-size {batch}"
                command = ["score", str(big), str(big), *fid, *common, "--batch-size", str(batch)]
                results.append((label, peak_mib(command, env)))
                print(f"{label:60s} {results[-1][1]:8.0f} MiB", flush=True)
        if "many" in cases:
            folder, array = work / "many", work / "many.npy"
            write_many(folder, array, args.images)
            for features in ("shapes-cnn", "wide"):
                label = f"many: {args.images} + {args.images} images 32², {features}"
                command = ["score", str(folder), str(array), "--features", features, *common]
                results.append((label, peak_mib(command, env)))
                print(f"{label:60s} {results[-1][1]:8.0f} MiB", flush=True)
        if "run" in cases:
            for n in map(int, args.n_samples.split(",")):
                label = f"run: --n-samples {n}, baseline.noise-shapes, wide"
                command = [
                    *("run", "--models", "baseline.noise-shapes", "--features", "wide"),
                    *("--metrics", "fid", "--bootstrap", "0", "--n-samples", str(n)),
                    *("--out", str(work / f"run-{n}"), "--device", "cpu", "--no-progress"),
                ]
                results.append((label, peak_mib(command, env)))
                kept = n * (2048 + 1008) * 4 / 2**20
                print(f"{label:60s} {results[-1][1]:8.0f} MiB (features {kept:.0f} MiB)")
    print(f"\ngenbench from: {args.genbench_path or 'the installed checkout'}; 1 thread")
    for label, mib in results:
        print(f"{label:60s} {mib:8.0f} MiB")


if __name__ == "__main__":
    main()
