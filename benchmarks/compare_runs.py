"""FID and throughput of the same models across run folders and published leaderboards.

    python benchmarks/compare_runs.py LABEL=RUN_FOLDER ... [--published leaderboards]

One line per model: its FID in each run (and in the published CSVs, when given), the
largest relative difference from the first column, and images/s in each run. Used to
compare devices, precisions and batch sizes (``benchmarks/gpu_check.sh``).
"""

from __future__ import annotations

import argparse

from genbench.bench.leaderboard import collect


def _rows(source: str) -> dict[str, dict]:
    """The rows of a run folder or a leaderboards folder, by model."""
    return {row["model"]: row for row in collect([source])}


def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="LABEL=FOLDER, or FOLDER (its own label)")
    parser.add_argument("--published", help="a leaderboards folder (CSV per task)")
    args = parser.parse_args()
    columns = {}
    if args.published:
        columns["published"] = _rows(args.published)
    for item in args.runs:
        label, _, folder = item.rpartition("=")
        columns[label or folder] = _rows(folder)
    runs = [label for label in columns if label != "published"]
    header = [
        "model",
        *(f"fid:{c}" for c in columns),
        "max rel diff",
        *(f"img/s:{r}" for r in runs),
    ]
    print(" | ".join(header))
    failed = []
    for model in sorted(set().union(*(columns[r] for r in runs))):
        fids = [_number(columns[c].get(model, {}).get("fid")) for c in columns]
        present = [f for f in fids if f is not None]
        spread = max(abs(f - present[0]) / abs(present[0]) for f in present) if present else None
        speeds = [_number(columns[r].get(model, {}).get("images_per_s")) for r in runs]
        cells = [model, *(f"{f:.4f}" if f is not None else "-" for f in fids)]
        cells.append(f"{spread:.2e}" if spread is not None else "-")
        cells += [f"{s:.0f}" if s is not None else "-" for s in speeds]
        print(" | ".join(cells))
        failed += [
            f"{model} in {r}: {columns[r][model].get('error')}"
            for r in runs
            if model in columns[r] and columns[r][model].get("status") != "ok"
        ]
    for line in failed:
        print("FAILED", line)


if __name__ == "__main__":
    main()
