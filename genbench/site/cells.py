"""HTML fragments of the site: escaped text, numbers, table headers and cells."""

from __future__ import annotations

import math
import re
from html import escape
from typing import Any

from genbench.bench.columns import column, recorded

_URL = re.compile(r"https?://[^\s;,)]+")


def number(value: float) -> str:
    """Four significant digits; thousands grouped, without decimals."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4g}"


def as_float(value: Any) -> float | None:
    """``value`` as a float, or None when it is empty or not a number."""
    if not recorded(value) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def text(value: Any, missing: str = "—") -> str:
    """A cell as escaped text (numbers formatted; an empty one says ``missing``)."""
    if not recorded(value):
        return missing
    found = as_float(value)
    if found is not None and not isinstance(value, str):
        return number(found)
    return escape(str(value))


def linked(value: str) -> str:
    """Escaped text whose URLs are links (a paper field holds a URL or a citation)."""
    parts, last = [], 0
    for match in _URL.finditer(value):
        parts.append(escape(value[last : match.start()]))
        url = escape(match.group(0))
        parts.append(f'<a href="{url}" rel="noopener">{url}</a>')
        last = match.end()
    parts.append(escape(value[last:]))
    return "".join(parts)


def header(name: str, numeric: bool) -> str:
    """A sortable column header: label, direction arrow and unit; the explanation on hover."""
    described = column(name)
    unit = f"<small>{escape(described.unit)}</small>" if described.unit else ""
    return (
        f'<th scope="col" data-column="{escape(name)}" '
        f'data-direction="{described.direction or ""}" '
        f'data-type="{"number" if numeric else "text"}" title="{escape(described.describe())}">'
        f'<button type="button">{escape(described.header())}{unit}</button></th>'
    )


def cell(row: Any, name: str, companions: dict[str, str]) -> str:
    """A table cell: its value (sort key in ``data-value``), and the metric's interval
    (``low``/``high`` companions) and spread (``std``) under it."""
    value = row.get(name)
    found = as_float(value)
    if found is None or isinstance(value, str):
        sort = escape(str(value)) if recorded(value) else ""
        return f'<td data-value="{sort}">{text(value)}</td>'
    extra, title = [], [repr(found)]
    low, high = (as_float(row.get(companions.get(role, ""))) for role in ("low", "high"))
    if low is not None and high is not None:
        extra.append(f'<span class="interval">{number(low)}–{number(high)}</span>')
        title.append(f"interval {low!r} – {high!r}")
    spread = as_float(row.get(companions.get("std", "")))
    if spread is not None:
        extra.append(f'<span class="spread">± {number(spread)}</span>')
        title.append(f"± {spread!r}")
    return (
        f'<td data-value="{found!r}" title="{escape(", ".join(title))}">'
        f"{number(found)}{''.join(extra)}</td>"
    )
