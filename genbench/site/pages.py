"""The site's pages: an index of every leaderboard, and one page per leaderboard with its
table, legend, plots and a card per model."""

from __future__ import annotations

import json
from html import escape
from string import Template
from typing import TYPE_CHECKING

from genbench.bench.columns import column, companions, recorded
from genbench.bench.plots import is_baseline
from genbench.site.board import Board
from genbench.site.cells import as_float, cell, header, linked, number, text

if TYPE_CHECKING:
    import pandas as pd

# Plot file suffixes → captions; other plots beside a CSV are shown under their file name.
PLOT_TITLES = {
    "precision-recall.png": "Precision against recall: fidelity against diversity",
    "quality-throughput.png": "Primary metric against sampling throughput",
    "quality-nfe.png": "Primary metric against network evaluations per sample (NFE)",
}


def layout(title: str, body: str, *, root: str, crumbs: str, version: str) -> str:
    """A whole page: ``root`` is the relative path to the site root ("" or "../")."""
    from importlib.resources import files

    template = Template((files("genbench.site") / "templates" / "layout.html").read_text())
    return template.substitute(
        title=escape(title), body=body, root=root, crumbs=crumbs, version=escape(version)
    )


def index_body(boards: list[Board]) -> str:
    """Every leaderboard with its best model, best baseline and protocol."""
    rows = []
    for board in boards:
        protocol = "".join(
            f"<li><span>{escape(label)}</span> {_short(value)}</li>"
            for label, value in board.protocol()
        )
        rows.append(
            "<tr>"
            f'<td><a href="{escape(board.page)}">{escape(board.dataset)}</a></td>'
            f'<td><a href="{escape(board.page)}">{escape(board.task)}</a></td>'
            f"<td>{len(board.frame)}</td>"
            f"<td>{_best(board, baselines=False)}</td>"
            f"<td>{_best(board, baselines=True)}</td>"
            f'<td><ul class="protocol">{protocol}</ul></td>'
            "</tr>"
        )
    return (
        "<h1>Leaderboards</h1>"
        '<p class="lead">Generative models scored the same way: one feature space, one '
        "reference set and one sample count per table. Open a table to sort and filter "
        "every metric, see each model's samples, plots, model card and the command that "
        "reproduces its row.</p>"
        '<table class="index"><thead><tr><th>dataset</th><th>task</th><th>rows</th>'
        "<th>best model</th><th>best baseline</th><th>protocol</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _short(value: str) -> str:
    """A sha256 shortened to 12 digits (whole on hover); other values as they are."""
    if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return f'<code title="{escape(value)}">{escape(value[:12])}…</code>'
    return escape(value)


def _best(board: Board, baselines: bool) -> str:
    row = board.best(baselines)
    primary = board.primary
    if row is None or primary is None:
        return "—"
    value = as_float(row.get(primary))
    shown = f" {escape(column(primary).header())} {number(value)}" if value is not None else ""
    link = f"{board.page}#model-{row['model']}"
    return f'<a href="{escape(link)}">{escape(str(row["model"]))}</a>{shown}'


def board_body(board: Board) -> str:
    """The page of one leaderboard."""
    return "".join(
        (
            f"<h1>{escape(board.dataset)} · {escape(board.task)}</h1>",
            _protocol(board),
            _table(board),
            _legend(board),
            _plots(board),
            _models(board),
        )
    )


def _protocol(board: Board) -> str:
    facts = "".join(
        f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in board.protocol()
    )
    primary = board.primary
    order = ""
    if primary:
        described = column(primary)
        better = f", {described.direction} is better" if described.direction else ""
        order = f"<p>Sorted by <b>{escape(described.label)}</b>{escape(better)}.</p>"
    csv = escape(board.csv.name)
    return (
        f'<section class="about"><dl class="facts protocol">{facts}</dl>{order}'
        f'<p>Every column of every row: <a href="{csv}" download>{csv}</a>.</p></section>'
    )


def _table(board: Board) -> str:
    frame = board.frame
    shown = board.shown_columns()
    folded = companions(frame.columns)
    numeric = {c: frame[c].map(as_float).notna().any() and c != "model" for c in shown}
    heads = "".join(header(c, bool(numeric[c])) for c in shown)
    baselines = is_baseline(frame)
    body = []
    for index, (_, row) in enumerate(frame.iterrows()):
        cells = []
        for name in shown:
            if name == "model":
                model = escape(str(row["model"]))
                cells.append(
                    f'<td class="model" data-value="{model}">'
                    f'<a href="#model-{model}">{model}</a></td>'
                )
            elif name == "status":
                status = escape(str(row["status"]))
                badge = f'<span class="{status}">{status}</span>'
                cells.append(f'<td data-value="{status}">{badge}</td>')
            else:
                cells.append(cell(row, name, folded.get(name, {})))
        baseline = "true" if baselines.iloc[index] else "false"
        body.append(
            f'<tr data-index="{index}" data-baseline="{baseline}" '
            f'data-search="{escape(_search_text(row))}">{"".join(cells)}</tr>'
        )
    return (
        '<section id="table"><div class="controls">'
        '<input type="search" id="filter" placeholder="Filter: model, family, sampler…" '
        'aria-label="Filter rows">'
        '<label><input type="checkbox" id="hide-baselines"> hide baselines</label>'
        f'<span id="count" aria-live="polite">{len(frame)} rows</span></div>'
        '<p class="hint">Click a column header to sort by it, best first; click again to '
        "reverse. Hover a header for what it measures.</p>"
        '<div class="table-wrap"><table id="board">'
        f"<thead><tr>{heads}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        "</section>"
    )


def _search_text(row: pd.Series) -> str:
    fields = ("model", "family", "description", "sampler", "plugin", "status")
    return " ".join(str(row.get(f)) for f in fields if recorded(row.get(f))).lower()


def _legend(board: Board) -> str:
    shown = [c for c in board.shown_columns() if c not in ("model", "family")]
    items = "".join(
        f"<dt>{escape(column(c).header())}</dt><dd>{escape(column(c).describe())}</dd>"
        for c in shown
    )
    notes = []
    folded = companions(board.frame.columns)
    if any("low" in roles and "high" in roles for roles in folded.values()):
        notes.append(
            "A range a–b under a value is its interval, from the columns "
            "<code>&lt;metric&gt;_low</code> and <code>&lt;metric&gt;_high</code>."
        )
    if any("std" in roles for roles in folded.values()):
        notes.append(
            "± s under a value is its standard deviation over subsets or splits "
            "(<code>&lt;metric&gt;_std</code>)."
        )
    notes.append("Hover a number for all its digits.")
    return (
        '<details class="legend" open><summary>What the columns mean</summary>'
        f"<dl>{items}</dl><p>{' '.join(notes)}</p></details>"
    )


def _plots(board: Board) -> str:
    if not board.plots:
        return ""
    figures = []
    for name, path in board.plots.items():
        caption = PLOT_TITLES.get(name, name)
        figures.append(
            f'<figure id="plot-{escape(name.removesuffix(".png"))}">'
            f'<img class="zoom" src="{escape(board.href(path))}" alt="{escape(caption)}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
        )
    figures_html = "".join(figures)
    return f'<section id="plots"><h2>Plots</h2><div class="plots">{figures_html}</div></section>'


def _models(board: Board) -> str:
    cards = []
    if board.real_grid is not None:
        split = escape(str(board.frame["split"].dropna().iloc[0]))
        cards.append(
            '<article class="model real" id="real-data"><h3>Real data</h3><div class="card">'
            f'<figure><img class="zoom grid" src="{escape(board.href(board.real_grid))}" '
            f'alt="real images of the {split} split">'
            f"<figcaption>The first images of the {split} split, the reference the models "
            "are compared with (laid out as the samples are).</figcaption></figure></div></article>"
        )
    cards += [_card(board, row) for _, row in board.frame.iterrows()]
    return f'<section id="models"><h2>Models</h2>{"".join(cards)}</section>'


def _card(board: Board, row: pd.Series) -> str:
    model = escape(str(row["model"]))
    grid = board.grid(row)
    picture = (
        f'<figure><img class="zoom grid" src="{escape(board.href(grid))}" '
        f'alt="samples of {model}"><figcaption>The first samples '
        f"(seeds from run seed {text(row.get('seed'))}); click to enlarge.</figcaption></figure>"
        if grid is not None
        else '<p class="missing">No sample grid was published for this row.</p>'
    )
    plots = [
        f'<a href="#plot-{escape(name.removesuffix(".png"))}">'
        f"{escape(PLOT_TITLES.get(name, name).split(':')[0].lower())}</a>"
        for name, members in board.members.items()
        if name in board.plots and row["model"] in members
    ]
    appears = f"<p>In the plots: {', '.join(plots)}.</p>" if plots else ""
    command = escape(str(row.get("reproduce") or ""))
    return (
        f'<article class="model" id="model-{model}">'
        f'<h3>{model} <span class="family">{text(row.get("family"))}</span></h3>'
        f'<div class="card">{picture}<div class="about">{_facts(row)}{appears}'
        f'<div class="reproduce"><span>Reproduce this row:</span><pre><code>{command}</code></pre>'
        f'<button type="button" class="copy" data-copy="{command}">copy</button></div>'
        "</div></div></article>"
    )


def _facts(row: pd.Series) -> str:
    """The model card facts recorded in the row; "not recorded" for older rows."""
    facts: list[tuple[str, str]] = []
    if row.get("status") != "ok":
        facts.append(("error", text(row.get("error"))))
    paper, sha = row.get("paper"), row.get("weights_sha256")
    facts += [
        ("what it is", text(row.get("description"), "not recorded")),
        ("family", text(row.get("family"))),
        ("paper", linked(str(paper)) if recorded(paper) else "not recorded"),
        ("licence", text(row.get("license"), "not recorded")),
        ("weights sha256", f"<code>{escape(str(sha))}</code>" if recorded(sha) else "none"),
        ("plugin", f"{text(row.get('plugin'))} {text(row.get('plugin_version'))}"),
        ("how it was trained", _training(row)),
    ]
    if recorded(row.get("warnings")):
        facts.append(("warnings", text(row.get("warnings"))))
    items = "".join(f"<dt>{escape(label)}</dt><dd>{value}</dd>" for label, value in facts)
    return f'<dl class="facts">{items}</dl>'


def _training(row: pd.Series) -> str:
    command, recipe = row.get("train_command"), row.get("recipe")
    if not recorded(command) and not recorded(recipe):
        trained = "train_command" in row.index
        return "not trained (no training recipe)" if trained else "not recorded"
    parts = [f"<code>{escape(str(command))}</code>"] if recorded(command) else []
    if recorded(recipe):
        try:
            pretty = json.dumps(json.loads(str(recipe)), indent=1, sort_keys=True)
        except ValueError:
            pretty = str(recipe)
        parts.append(f"<details><summary>recipe</summary><pre>{escape(pretty)}</pre></details>")
    return " ".join(parts)


def crumbs(board: Board | None) -> str:
    if board is None:
        return ""
    return f" › {escape(board.dataset)} › {escape(board.task)}"


def page_title(board: Board | None) -> str:
    return "genbench leaderboards" if board is None else f"{board.dataset} · {board.task}"
