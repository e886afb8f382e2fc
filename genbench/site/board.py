"""A published leaderboard as the site reads it: its rows, protocol, plots and grids.

Everything comes from the published folder: ``<dataset>/<task>.csv``, the plots beside it
(``<task>-*.png``) and the grids its rows name. Nothing is recomputed, so a page shows
exactly what was published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.bench.columns import column, companion, recorded
from genbench.bench.grids import real_grid_name
from genbench.bench.leaderboard import published_csvs, read_csv
from genbench.bench.plots import is_baseline, plotted_models
from genbench.bench.store import META_COLUMNS
from genbench.errors import GenbenchError

if TYPE_CHECKING:
    import pandas as pd

# Protocol facts of a table: everything that changes its numbers (DESIGN.md, "a row's
# protocol"), as (label, columns) where the columns' values are shown together.
PROTOCOL = (
    ("feature space", ("features",)),
    ("feature weights sha256", ("features_sha256",)),
    ("resize", ("resize",)),
    ("reference", ("split", "n_reference")),
    ("samples per model", ("n_samples",)),
    ("seeds", ("seeds", "seed")),
    ("genbench", ("genbench_version",)),
)


@dataclass
class Board:
    """One published table: ``folder`` is its dataset folder (grids are relative to it)."""

    dataset: str
    task: str
    csv: Path
    frame: pd.DataFrame
    plots: dict[str, Path] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    real_grid: Path | None = None

    @property
    def folder(self) -> Path:
        return self.csv.parent

    @property
    def page(self) -> str:
        """The page's path under the site root."""
        return f"{self.dataset}/{self.task}.html"

    @property
    def primary(self) -> str | None:
        found = self.frame["primary_metric"].dropna()
        return str(found.mode().iloc[0]) if len(found) else None

    def grid(self, row: pd.Series) -> Path | None:
        """The published grid of ``row``, when its file exists."""
        name = row.get("grid")
        path = self.folder / name if isinstance(name, str) and name else None
        return path if path is not None and path.is_file() else None

    def href(self, path: Path) -> str:
        """The address of a file of this board from its page (both in the dataset folder)."""
        return path.relative_to(self.folder).as_posix()

    def protocol(self) -> list[tuple[str, str]]:
        """(label, value) of each protocol fact; a fact the rows disagree on lists each."""
        facts = []
        for label, names in PROTOCOL:
            present = [n for n in names if n in self.frame.columns]
            if not present:
                continue
            if label == "seeds":  # a multi-seed column, when rows have it, says more
                present = present[:1]
            shown: dict[str, None] = {}
            for values in self.frame[present].itertuples(index=False):
                if all(recorded(v) for v in values):
                    text = [_text(v) for v in values]
                    shown[_reference(*text) if label == "reference" else " · ".join(text)] = None
            facts.append((label, ", ".join(shown) or "not recorded"))
        return facts

    def best(self, baselines: bool) -> pd.Series | None:
        """The first successful row (the table is sorted by its primary metric) among the
        baselines or among the models."""
        ok = self.frame[(self.frame["status"] == "ok") & (is_baseline(self.frame) == baselines)]
        return ok.iloc[0] if len(ok) else None

    def shown_columns(self) -> list[str]:
        """The table's columns: rank, model, family, the metrics (their companions fold
        into them), throughput, then the settings and other numbers; status last."""
        numbers = [
            c
            for c in self.frame.columns
            if c not in META_COLUMNS and c != "rank" and _numeric(self.frame[c])
        ]
        numbers = [c for c in numbers if not _folded(c, self.frame.columns)]
        metrics = [c for c in numbers if column(c).kind == "metric"]
        primary = self.primary
        if primary in metrics:
            metrics.remove(primary)
            metrics.insert(0, primary)
        settings = [c for c in self.frame.columns if c not in META_COLUMNS and c not in numbers]
        settings = [c for c in settings if c != "rank" and not _folded(c, self.frame.columns)]
        rest = [c for c in numbers if column(c).kind != "metric"]
        leading = ["rank"] if "rank" in self.frame.columns else []
        speed = ["images_per_s"] if "images_per_s" in self.frame.columns else []
        return [*leading, "model", "family", *metrics, *speed, *rest, *settings, "status"]


def _folded(name: str, columns: Iterable[str]) -> bool:
    """Whether ``name`` is a companion (interval, spread) of a column that is present."""
    pair = companion(name)
    return pair is not None and pair[0] in set(columns)


def _numeric(values: pd.Series) -> bool:
    import pandas as pd

    present = values.dropna()
    return bool(len(present)) and bool(pd.to_numeric(present, errors="coerce").notna().all())


def _text(value: Any) -> str:
    """A cell as text; whole floats (integer columns with gaps) without their ``.0``."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _reference(split: str, size: str) -> str:
    return f"{split} split, {size} images"


def load_boards(folders: Iterable[Path]) -> list[Board]:
    """Every published table under ``folders`` (leaderboard roots, dataset folders or CSVs),
    sorted by dataset and task."""
    import pandas as pd

    folders = list(folders)
    boards: dict[tuple[str, str], Board] = {}
    for path in published_csvs(folders):
        rows: list[dict[str, Any]] = read_csv(path)
        if not rows:
            continue
        frame = pd.DataFrame(rows)
        key = (str(frame["dataset"].iloc[0]), str(frame["task"].iloc[0]))
        if key in boards:
            raise GenbenchError(
                f"{boards[key].csv} and {path} both hold {key[0]} · {key[1]}: merge them with "
                "`genbench leaderboard publish` first, then build the site from the result"
            )
        boards[key] = _with_pictures(Board(dataset=key[0], task=key[1], csv=path, frame=frame))
    if not boards:
        names = ", ".join(str(f) for f in folders)
        raise GenbenchError(
            f"no published leaderboard CSV under {names}; publish one with "
            "`genbench leaderboard publish RUN_DIR --to FOLDER`"
        )
    return [boards[key] for key in sorted(boards)]


def _with_pictures(board: Board) -> Board:
    """Attach the plots beside the CSV, which models each shows, and the real-data grid."""
    prefix = f"{board.task}-"
    for path in sorted(board.folder.glob(f"{prefix}*.png")):
        board.plots[path.name[len(prefix) :]] = path
    board.members = plotted_models(board.frame)
    split = board.frame["split"].dropna()
    if len(split):
        real = board.folder / "grids" / real_grid_name(str(split.iloc[0]), board.task)
        board.real_grid = real if real.is_file() else None
    return board
