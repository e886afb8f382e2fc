"""Loss logs: one JSON object per line and the same rows as CSV, for pandas or a plot.

``wall_s`` and ``cpu_s`` are the wall-clock and CPU seconds the run has spent so far
(summed over resumed sessions), for the model card.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

LOG_COLUMNS = ("step", "d_loss", "g_loss", "real_score", "fake_score", "val_fid", "wall_s", "cpu_s")


class LossLog:
    """Appends rows to ``log.jsonl`` and ``log.csv`` (``columns``) in ``folder``.

    A run resumed at ``resume_from`` first drops the rows logged after that step (written
    before an interruption but not covered by the checkpoint), so the log has no repeats.
    ``columns`` are the CSV's (a family with other losses names its own; ``wall_s`` and
    ``cpu_s`` are added).
    """

    def __init__(
        self, folder: Path, resume_from: int = 0, columns: tuple[str, ...] = LOG_COLUMNS
    ) -> None:
        self.jsonl, self.csv = folder / "log.jsonl", folder / "log.csv"
        self.columns = tuple(dict.fromkeys((*columns, "wall_s", "cpu_s")))
        kept = [row for row in self.rows() if row["step"] <= resume_from]
        spent = kept[-1] if kept else {}
        self._wall = time.perf_counter() - spent.get("wall_s", 0.0)
        self._cpu = time.process_time() - spent.get("cpu_s", 0.0)
        self.jsonl.write_text("".join(json.dumps(row) + "\n" for row in kept))
        with open(self.csv, "w", newline="") as handle:
            writer = csv.DictWriter(handle, self.columns)
            writer.writeheader()
            writer.writerows(kept)

    def rows(self) -> list[dict[str, Any]]:
        if not self.jsonl.is_file():
            return []
        return [json.loads(line) for line in self.jsonl.read_text().splitlines() if line]

    def write(self, row: dict[str, Any]) -> None:
        row = {
            **row,
            "wall_s": round(time.perf_counter() - self._wall, 2),
            "cpu_s": round(time.process_time() - self._cpu, 2),
        }
        with open(self.jsonl, "a") as handle:
            handle.write(json.dumps(row) + "\n")
        with open(self.csv, "a", newline="") as handle:
            csv.DictWriter(handle, self.columns).writerow(row)
