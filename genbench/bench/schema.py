"""What a result row holds: its schema version, its metadata columns, its timestamp."""

from __future__ import annotations

import datetime

# Bump the number when columns change meaning; readers refuse other major versions.
SCHEMA = "genbench-leaderboard/1"

# Metadata columns of every row, in leaderboard order; metric and info columns follow.
META_COLUMNS = (
    "model", "family", "plugin", "plugin_version", "genbench_version", "weights_sha256",
    "dataset", "split", "task", "features", "features_sha256", "resize", "n_samples",
    "n_reference", "seed", "seeds", "sampling_precision", "device", "world_size", "batch_size",
    "images_per_s", "wall_s", "load_s", "sampling_s", "features_s", "metrics_s", "status",
    "error", "warnings", "timestamp", "config_id", "primary_metric", "higher_is_better",
    "schema", "grid", "reproduce", "bootstrap", "paper", "license", "description", "train_command",
    "recipe",
)  # fmt: skip


def timestamp() -> str:
    """Now, in UTC, to the second: the ``timestamp`` of a row (ISO 8601, sorts as text)."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
