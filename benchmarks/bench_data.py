"""How fast the embedded datasets are made and read back (one process, numpy only).

Prints images/s of each stage of ``shapes`` generation, then the cached paths against
the generation they replace, measured in the same run:

    python benchmarks/bench_data.py [--items 1000]

NumPy's element-wise kernels run on one thread; nothing here uses torch. Timings are CPU
time of this process (``time.process_time``), so other jobs on the machine distort them
less than wall time; wall time is printed too.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from typing import Any


def timed(work: Callable[[], Any], repeat: int = 1) -> tuple[float, float, Any]:
    """(CPU seconds, wall seconds) of the best of ``repeat`` runs, and the last result."""
    best_cpu = best_wall = float("inf")
    result = None
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        result = work()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    n = parser.parse_args().items
    os.environ["GENBENCH_HOME"] = tempfile.mkdtemp(prefix="genbench-bench-")

    from genbench.data import digits, shapes
    from genbench.data import shapes_render as render
    from genbench.data.store import cache_path, save_arrays_atomic

    shapes.generate("test", range(8))  # imports scikit-image outside the timings
    print(f"shapes: {n} items of test, 1 thread (numpy element-wise), CPU seconds")
    seeds = shapes.scene_seeds("test", range(n))
    draw_cpu, _, scenes = timed(lambda: render.draw_scenes(seeds))
    day_cpu, _, (day, _) = timed(lambda: render.render(scenes))
    night_cpu, _, _ = timed(lambda: render.render(scenes, night=True))
    edges_cpu, _, _ = timed(lambda: render.edges(render.gray(day)))
    total_cpu, total_wall, _ = timed(lambda: shapes.generate("test", range(n)))
    for stage, cpu in (
        ("draw scenes (per-item PCG64)", draw_cpu),
        ("render day (vectorised)", day_cpu),
        ("render night (vectorised)", night_cpu),
        ("canny edges (per image)", edges_cpu),
        ("generate test items, all fields", total_cpu),
    ):
        print(f"  {stage:34s} {n / cpu:9.0f} images/s")
    print(f"  (wall: {n / total_wall:.0f} images/s; train items also draw domain B scenes)")
    print(f"  canny / vectorised day render time: {edges_cpu / day_cpu:.1f}x")

    split = shapes.load("test")
    build_cpu, build_wall, _ = timed(lambda: split.read("image", range(shapes.CHUNK)))
    load_cpu, load_wall, _ = timed(
        lambda: shapes.load("test").read("image", range(shapes.CHUNK)), repeat=3
    )
    print(
        f"shapes chunk of {shapes.CHUNK}: generate+save {build_wall:.2f} s wall, load from "
        f"store {load_wall * 1000:.1f} ms wall: {build_cpu / load_cpu:.0f}x less CPU"
    )

    import sklearn.datasets  # noqa: F401  # imported outside the timing

    build_cpu, _, arrays = timed(digits.build_arrays)
    save_arrays_atomic(cache_path(f"digits-v{digits.VERSION}.npz"), arrays)
    load_cpu, load_wall, _ = timed(lambda: digits.load("train"), repeat=3)
    print(
        f"digits: build from scikit-learn {build_cpu:.3f} s CPU (import excluded), load from "
        f"store {load_wall * 1000:.1f} ms wall: {build_cpu / load_cpu:.0f}x less CPU"
    )

    user_sets(n)


def user_sets(n: int) -> None:
    """Reading the same n shapes images exported as a PNG folder, a zip of it and an npz."""
    import zipfile
    from pathlib import Path

    from genbench.data import open_images
    from genbench.data.export import export_npz, export_png_folder

    root = Path(os.environ["GENBENCH_HOME"])
    split = open_images("shapes:test")
    export_png_folder(split, root / "png", limit=n)
    export_npz(split, root / "set.npz", limit=n)
    with zipfile.ZipFile(root / "set.zip", "w") as archive:
        for path in sorted((root / "png").glob("*.png")):
            archive.write(path, f"set/{path.name}")
    print(f"user sets: read {n} 32×32 RGB images")
    times = {}
    for name in ("png", "set.zip", "set.npz"):
        cpu, wall, _ = timed(lambda name=name: open_images(root / name).read("image", range(n)))
        times[name] = cpu
        print(f"  {name:8s} {n / cpu:9.0f} images/s ({wall:.2f} s wall)")
    print(
        f"  zip / folder time: {times['set.zip'] / times['png']:.2f}x, "
        f"npz is {times['png'] / times['set.npz']:.0f}x faster than decoding PNGs"
    )


if __name__ == "__main__":
    main()
