"""CSV cells a spreadsheet shows as text, never runs as a formula.

Text from outside genbench reaches CSV cells (a plugin's distribution name and version, an
error message, a caption). A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is a formula to Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)``
can leak data when the file is opened); such text is written behind a ``'``, which they
show as text. Numbers, and text that reads as a number (``-1.5``), are left alone.
Applying it twice changes nothing, so republished CSVs keep their cells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def safe_cell(value: Any) -> Any:
    """``value``, with text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV (no index), every text cell passed through :func:`safe_cell`."""
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    safe = frame.assign(**{str(c): frame[c].map(safe_cell) for c in text_columns})
    return safe.to_csv(index=False).encode()
