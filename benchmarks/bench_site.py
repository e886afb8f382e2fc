"""Time `genbench leaderboard site` on the published leaderboards, and a larger synthetic
one, against the 10 s goal.

Prints the seconds of each build (best of --repeat, cold start of the Python process not
counted) and their ratio to the goal; the synthetic leaderboard repeats the published rows
--scale times (renamed, sharing their grids) to show how the build grows with rows.

    python benchmarks/bench_site.py
    python benchmarks/bench_site.py --scale 50 --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

GOAL_S = 10.0
PUBLISHED = Path(__file__).parents[1] / "leaderboards"


def _timed(folders: list[Path], out: Path, repeat: int) -> tuple[float, int]:
    from genbench.site import build_site

    best, pages = float("inf"), 0
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        pages = len(build_site(folders, out))
        best = min(best, time.perf_counter() - start)
    return best, pages


def _scaled(work: Path, scale: int) -> Path:
    """A copy of the published folders whose tables repeat every row ``scale`` times."""
    import pandas as pd

    root = work / "scaled"
    shutil.copytree(PUBLISHED, root)
    for csv in root.rglob("*.csv"):
        frame = pd.read_csv(csv)
        copies = []
        for i in range(scale):
            copy = frame.copy()
            copy["model"] = copy["model"] + (f"-copy{i}" if i else "")
            copies.append(copy)
        pd.concat(copies).to_csv(csv, index=False)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import genbench.site  # noqa: F401  (imports are not what a build costs)

    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        rows = sum(len(p.read_text().splitlines()) - 1 for p in PUBLISHED.rglob("*.csv"))
        cases = [("published", PUBLISHED, rows), (f"published ×{args.scale}", None, 0)]
        for name, folder, count in cases:
            if folder is None:
                folder, count = _scaled(work, args.scale), rows * args.scale
            seconds, pages = _timed([folder], work / "site", args.repeat)
            print(
                f"{name:<16} {count:>5} rows  {pages} pages  {seconds:6.2f} s  "
                f"{seconds / GOAL_S:.3f} of the {GOAL_S:.0f} s goal"
            )


if __name__ == "__main__":
    main()
