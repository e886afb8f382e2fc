"""Durable results: one JSON file per finished row, written atomically.

Every file is written through :func:`genbench.files.atomic_path`, so a run killed at any
moment (even with SIGKILL) leaves each file either complete or absent. Hidden files (the
temporary ones, or a partial copy left by hand) are ignored by readers.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from genbench.errors import GenbenchError
from genbench.files import atomic_path

# Bump the number when columns change meaning; readers refuse other major versions.
SCHEMA = "genbench-leaderboard/1"

# Metadata columns of every row, in leaderboard order; metric and info columns follow.
META_COLUMNS = (
    "model", "family", "plugin", "plugin_version", "genbench_version", "weights_sha256",
    "dataset", "split", "task", "features", "features_sha256", "resize", "n_samples",
    "n_reference", "seed", "sampling_precision", "device", "world_size", "batch_size",
    "images_per_s", "wall_s", "load_s", "sampling_s", "features_s", "metrics_s", "status",
    "error", "warnings", "timestamp", "config_id", "primary_metric", "higher_is_better",
    "schema", "grid", "reproduce", "paper", "license", "description", "train_command", "recipe",
)  # fmt: skip


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once (see :func:`genbench.files.atomic_path`)."""
    with atomic_path(path) as temp:
        temp.write_bytes(data)


def _plain(value: Any) -> Any:
    """JSON-safe: NaN/inf become null, numpy scalars become Python numbers."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def row_filename(model: str, config_id: str) -> str:
    return f"{re.sub(r'[^A-Za-z0-9._-]', '_', model)}--{config_id}.json"


class ResultStore:
    """The results of a run folder: ``OUT/results/<model>--<config id>.json``."""

    def __init__(self, out: Path | str) -> None:
        self.out = Path(out)
        self.folder = self.out / "results"

    def path(self, model: str, config_id: str) -> Path:
        return self.folder / row_filename(model, config_id)

    def write(self, row: dict[str, Any]) -> Path:
        path = self.path(row["model"], row["config_id"])
        text = json.dumps({k: _plain(v) for k, v in row.items()}, indent=1)
        atomic_write(path, text.encode())
        return path

    def read(self, model: str, config_id: str) -> dict[str, Any] | None:
        path = self.path(model, config_id)
        return _load(path) if path.exists() else None

    def rows(self) -> list[dict[str, Any]]:
        if not self.folder.is_dir():
            return []
        paths = sorted(p for p in self.folder.glob("*.json") if not p.name.startswith("."))
        return [_load(p) for p in paths]

    def finished(self, config_ids: Iterable[str]) -> set[str]:
        """The configurations among ``config_ids`` that already have a successful row."""
        wanted = set(config_ids)
        return {
            r["config_id"] for r in self.rows() if r["config_id"] in wanted and r["status"] == "ok"
        }


def _load(path: Path) -> dict[str, Any]:
    try:
        row = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise GenbenchError(
            f"cannot read result {path}: {error}; delete it and rerun with --resume"
        ) from error
    check_schema(row.get("schema"), path)
    return row


def check_schema(schema: Any, where: Path | str) -> None:
    """Refuse rows written with another major version of the schema."""
    if not isinstance(schema, str) or schema.rsplit("/", 1)[0] != SCHEMA.rsplit("/", 1)[0]:
        raise GenbenchError(
            f"{where}: not a genbench result (schema {schema!r}, expected {SCHEMA})"
        )
    if schema != SCHEMA:
        raise GenbenchError(
            f"{where} was written with schema {schema}; this genbench reads {SCHEMA}. "
            "Rerun the benchmark or use the genbench version that wrote it."
        )
