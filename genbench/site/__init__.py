"""A static site of published leaderboards: ``genbench leaderboard site FOLDERS --out DIR``.

Built from the published folders alone (CSV, plots, grids; the model card facts are
columns of the rows), it writes ``DIR/index.html`` and ``DIR/<dataset>/<task>.html`` with
the images copied beside them, plus the stylesheet and script shipped in this package. The
pages fetch nothing from the network, so they work from ``file://`` and any static host.
Building into the published folder itself writes the pages beside the CSVs and copies
nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from genbench.bench.store import atomic_write
from genbench.site.board import Board, load_boards
from genbench.site.pages import board_body, crumbs, index_body, layout, page_title

__all__ = ["build_site"]

STATIC = ("site.css", "site.js")


def build_site(folders: Iterable[Path | str], out: Path | str) -> list[Path]:
    """Write the site of the leaderboards under ``folders`` into ``out``; the pages written."""
    from genbench import __version__

    out = Path(out)
    boards = load_boards([Path(f) for f in folders])
    for name in STATIC:
        atomic_write(out / name, (files("genbench.site") / "static" / name).read_bytes())
    pages = []
    for board in boards:
        _copy_files(board, out / board.dataset)
        html = layout(
            page_title(board),
            board_body(board),
            root="../",
            crumbs=crumbs(board),
            version=__version__,
        )
        pages.append(_write(out / board.page, html))
    index = layout(
        page_title(None), index_body(boards), root="", crumbs=crumbs(None), version=__version__
    )
    return [_write(out / "index.html", index), *pages]


def _write(path: Path, html: str) -> Path:
    atomic_write(path, html.encode("utf-8"))
    return path


def _copy_files(board: Board, folder: Path) -> None:
    """The CSV, plots and grids of ``board`` under the page's ``folder`` (nothing to do
    when the site is built in the published folder itself)."""
    sources = [board.csv, *board.plots.values()]
    sources += [grid for _, row in board.frame.iterrows() if (grid := board.grid(row))]
    if board.real_grid is not None:
        sources.append(board.real_grid)
    for source in sources:
        target = folder / source.relative_to(board.folder)
        if target.resolve() != source.resolve():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
