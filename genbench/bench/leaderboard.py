"""Leaderboard tables: result rows merged across runs, one wide CSV per dataset and task.

A row is identified by its model and configuration (``config_id``); when several runs hold
the same one, the latest timestamp wins. Each table is sorted by its primary metric
(failed rows last) and carries the schema version in a column.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.bench.store import META_COLUMNS, ResultStore, atomic_write, check_schema
from genbench.csv_cells import csv_bytes
from genbench.errors import GenbenchError

if TYPE_CHECKING:
    import pandas as pd

INTEGER_COLUMNS = ("n_samples", "n_reference", "seed", "world_size", "batch_size")


def merge_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest row of every (model, configuration)."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["model"], row["config_id"])
        if key not in latest or str(row["timestamp"]) >= str(latest[key]["timestamp"]):
            latest[key] = row
    return list(latest.values())


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One wide table: metadata columns first, then metrics and model info, sorted."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    for column in INTEGER_COLUMNS:  # failed rows leave gaps; keep the others integers
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    meta = [c for c in META_COLUMNS if c in frame.columns]
    frame = frame[meta + [c for c in frame.columns if c not in meta]]
    primary = (
        frame["primary_metric"].mode().iloc[0] if frame["primary_metric"].notna().any() else None
    )
    ascending = not bool(frame.loc[frame["primary_metric"] == primary, "higher_is_better"].any())
    frame["failed"] = frame["status"] != "ok"
    order = [("failed", True), (primary, ascending), ("model", True)]
    order = [(column, up) for column, up in order if column in frame.columns]
    frame = frame.sort_values(
        [c for c, _ in order], ascending=[up for _, up in order], na_position="last"
    )
    return frame.drop(columns="failed").reset_index(drop=True)


def tables(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], pd.DataFrame]:
    """A table per (dataset, task) from merged rows."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in merge_rows(rows):
        groups.setdefault((row["dataset"], row["task"]), []).append(row)
    return {key: table(group) for key, group in sorted(groups.items())}


def csv_path(root: Path, dataset: str, task: str) -> Path:
    return root / dataset / f"{task}.csv"


def write_tables(rows: Iterable[dict[str, Any]], root: Path) -> list[Path]:
    """Write ``root/<dataset>/<task>.csv`` for every table (atomically)."""
    written = []
    for (dataset, task), frame in tables(rows).items():
        path = csv_path(root, dataset, task)
        atomic_write(path, csv_bytes(frame))
        written.append(path)
    return written


def read_csv(path: Path) -> list[dict[str, Any]]:
    """Rows of a published leaderboard CSV (schema checked)."""
    import pandas as pd

    text = (
        "plugin_version",
        "genbench_version",
        "weights_sha256",
        "features_sha256",
        "config_id",
        "error",
        "warnings",
        "grid",
        "timestamp",
    )
    try:
        frame = pd.read_csv(path, dtype={column: str for column in text})
    except (OSError, ValueError) as error:  # pandas' parse errors are ValueErrors
        reason = " ".join(str(error).split())
        raise GenbenchError(
            f"{path}: not a readable leaderboard CSV ({reason}); restore it (e.g. from version"
            " control) or delete it and publish its runs again"
        ) from error
    if "schema" not in frame.columns:
        raise GenbenchError(f"{path}: not a genbench leaderboard (no 'schema' column)")
    for schema in frame["schema"].unique():
        check_schema(schema, path)
    frame = frame.astype(object).where(frame.notna(), None)
    rows = frame.to_dict("records")
    for row in rows:
        row["error"] = row.get("error") or ""
        row["warnings"] = row.get("warnings") or ""
    return rows


def collect(sources: Iterable[Path | str]) -> list[dict[str, Any]]:
    """Rows from run folders (``results/*.json``) and leaderboard folders or CSV files."""
    rows: list[dict[str, Any]] = []
    for source in map(Path, sources):
        if source.is_file() and source.suffix == ".csv":
            rows += read_csv(source)
        elif (source / "results").is_dir():
            rows += ResultStore(source).rows()
        elif source.is_dir():
            rows += [r for p in sorted(source.rglob("*.csv")) for r in read_csv(p)]
        else:
            raise GenbenchError(f"{source}: no run folder, leaderboard folder or CSV file there")
    return rows
