"""Leaderboard tables: result rows merged across runs, one wide CSV per dataset and task.

A row is identified by its model and configuration (``config_id``); when several runs hold
the same one, the latest timestamp wins. Each table is sorted by its primary metric
(failed rows last), ranked (``genbench.bench.ranks``) and carries the schema version in a
column. A table holds the rows of one protocol (:data:`PROTOCOL`): rows that differ in
anything that changes their numbers are never ranked together.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.bench.store import META_COLUMNS, ResultStore, atomic_write, check_schema
from genbench.csv_cells import csv_bytes
from genbench.errors import GenbenchError

if TYPE_CHECKING:
    import pandas as pd

INTEGER_COLUMNS = ("n_samples", "n_reference", "seed", "world_size", "batch_size", "rank")
# What a row's numbers depend on besides the model: rows that differ in any of these are
# never ranked in one table. (A row's weights are part of its model's name when they are
# not the registered file's, so an override is its own entry, never the official one.)
PROTOCOL = (
    "dataset",
    "split",
    "n_reference",
    "features",
    "features_sha256",
    "resize",
    "n_samples",
    "seeds",
    "sampling_precision",
    "bootstrap",
)


def merge_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest row of every (model, configuration)."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["model"], row["config_id"])
        if key not in latest or str(row["timestamp"]) >= str(latest[key]["timestamp"]):
            latest[key] = row
    return list(latest.values())


def protocol(row: dict[str, Any]) -> dict[str, str | None]:
    """The row's :data:`PROTOCOL` values as text (None: unknown, e.g. a failed row's
    reference size). Rows from before multi-seed runs and the bootstrap have one seed and no
    bootstrap."""
    values = {key: _text(row.get(key)) for key in PROTOCOL}
    values["seeds"] = values["seeds"] or _text(row.get("seed"))
    values["bootstrap"] = values["bootstrap"] or "none"
    return values


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    if isinstance(value, float) and value.is_integer():  # 360.0 from a CSV column with gaps
        value = int(value)
    return str(value)


def protocol_id(values: dict[str, str | None]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:8]


def split_protocols(
    rows: Iterable[dict[str, Any]],
) -> list[tuple[dict[str, str | None], list[dict[str, Any]]]]:
    """The rows grouped by protocol, groups in order of appearance. A failed row may lack
    values its protocol would have had (its reference size is known once it is scored):
    it joins the first group that agrees with every value it has."""
    groups: list[tuple[dict[str, str | None], list[dict[str, Any]]]] = []
    ordered = sorted(rows, key=lambda r: r["status"] != "ok")  # stable: ok rows found groups
    for row in ordered:
        values = protocol(row)
        failed = row["status"] != "ok"
        for known, members in groups:
            if all(
                values[key] == known[key] or (failed and values[key] is None) for key in PROTOCOL
            ):
                members.append(row)
                break
        else:
            groups.append((values, [row]))
    return groups


def describe_mix(
    groups: list[tuple[dict[str, str | None], list[dict[str, Any]]]], where: str
) -> str:
    """Why ``groups`` (two or more protocols of one table) cannot be ranked together."""
    fields = [key for key in PROTOCOL if len({values[key] for values, _ in groups}) > 1]
    parts = []
    for values, members in groups:
        models = sorted({str(row["model"]) for row in members})
        shown = ", ".join(models[:4]) + (f" and {len(models) - 4} more" if len(models) > 4 else "")
        setting = ", ".join(f"{key}={values[key]}" for key in fields)
        parts.append(f"{setting} ({shown})")
    return (
        f"{where}: rows of {len(groups)} protocols, which are never ranked in one table: "
        + "; ".join(parts)
    )


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One wide table: metadata columns first, then metrics and model info, sorted and
    ranked. ``rows`` share one protocol."""
    import pandas as pd

    from genbench.bench.ranks import ranks

    frame = pd.DataFrame(rows).drop(columns="rank", errors="ignore")  # recomputed here
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
    frame = frame.drop(columns="failed").reset_index(drop=True)
    if primary is not None and primary in frame.columns:
        frame.insert(0, "rank", pd.array(ranks(frame, primary, not ascending), dtype="Int64"))
        # "significantly better" is not transitive: a row can have a worse rank than the row
        # below it (FID 28.56 rank 3 above 28.6 rank 2); the table reads top-down by rank
        frame = frame.sort_values("rank", kind="stable", na_position="last")
        frame = frame.reset_index(drop=True)
    return frame


def protocol_tables(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str, str], pd.DataFrame]:
    """A table per (dataset, task, protocol id) from merged rows: protocols kept apart."""
    by_table: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in merge_rows(rows):
        by_table.setdefault((row["dataset"], row["task"]), []).append(row)
    found = {}
    for (dataset, task), group in sorted(by_table.items()):
        for values, members in split_protocols(group):
            found[(dataset, task, protocol_id(values))] = table(members)
    return found


def tables(
    rows: Iterable[dict[str, Any]], *, advice: str = ""
) -> dict[tuple[str, str], pd.DataFrame]:
    """A table per (dataset, task) from merged rows; a GenbenchError names the protocols
    (and gives ``advice``) when a (dataset, task) holds rows of more than one."""
    by_table: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in merge_rows(rows):
        by_table.setdefault((row["dataset"], row["task"]), []).append(row)
    found = {}
    for (dataset, task), group in sorted(by_table.items()):
        groups = split_protocols(group)
        if len(groups) > 1:
            raise GenbenchError(describe_mix(groups, f"{dataset} · {task}") + advice)
        found[(dataset, task)] = table(group)
    return found


def csv_path(root: Path, dataset: str, task: str) -> Path:
    return root / dataset / f"{task}.csv"


def write_tables(rows: Iterable[dict[str, Any]], root: Path) -> list[Path]:
    """Write ``root/<dataset>/<task>.csv`` for every table (atomically); a (dataset, task)
    with rows of several protocols (a run folder reused with other options) gets one
    ``<task>--protocol-<id>.csv`` per protocol instead."""
    found = protocol_tables(rows)
    count: dict[tuple[str, str], int] = {}
    for dataset, task, _ in found:
        count[(dataset, task)] = count.get((dataset, task), 0) + 1
    written = []
    for (dataset, task, pid), frame in found.items():
        name = task if count[(dataset, task)] == 1 else f"{task}--protocol-{pid}"
        path = csv_path(root, dataset, name)
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
        "seeds",
        "bootstrap",
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


# Folders of a leaderboards folder that hold other tables (``genbench sanity``'s).
OTHER_TABLES = ("sanity",)


def leaderboard_csvs(folder: Path) -> list[Path]:
    """The leaderboard CSVs under ``folder`` (``<task>.csv``, ``<task>--protocol-<id>.csv``),
    not those of :data:`OTHER_TABLES` nor other tables published beside them (a study's
    ``stylegan-latent-spaces.csv``)."""
    from genbench.spec import TASKS

    return [
        path
        for path in sorted(folder.rglob("*.csv"))
        if not set(path.relative_to(folder).parts[:-1]) & set(OTHER_TABLES)
        and path.stem.split("--")[0] in TASKS
    ]


def collect(sources: Iterable[Path | str]) -> list[dict[str, Any]]:
    """Rows from run folders (``results/*.json``) and leaderboard folders or CSV files."""
    rows: list[dict[str, Any]] = []
    for source in map(Path, sources):
        if source.is_file() and source.suffix == ".csv":
            rows += read_csv(source)
        elif (source / "results").is_dir():
            rows += ResultStore(source).rows()
        elif source.is_dir():
            rows += [r for p in leaderboard_csvs(source) for r in read_csv(p)]
        else:
            raise GenbenchError(f"{source}: no run folder, leaderboard folder or CSV file there")
    return rows


def published_csvs(sources: Iterable[Path | str]) -> list[Path]:
    """The leaderboard CSVs under ``sources`` (folders or CSV files); a CSV without the
    ``schema`` column (another table published beside them) is left out."""
    paths: list[Path] = []
    for source in map(Path, sources):
        if source.is_file() and source.suffix == ".csv":
            paths.append(source)
        elif source.is_dir():
            paths += leaderboard_csvs(source)
        else:
            raise GenbenchError(f"{source}: no published leaderboard folder or CSV file there")
    return [path for path in paths if _has_schema(path)]


def _has_schema(path: Path) -> bool:
    with path.open(encoding="utf-8") as handle:
        return "schema" in handle.readline().strip().split(",")
