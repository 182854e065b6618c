"""User text is data: CSV cells that a spreadsheet would run, strict JSON, console markup.

CSV: following OWASP's CSV-injection guidance, a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading single quote, so spreadsheet
programs show it as text instead of running it as a formula. Numbers stay numbers.

JSON: every document hallsim writes is strict (RFC 8259): NaN and ±Infinity become ``null``
and ``allow_nan=False`` makes sure none slips through.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_LINE_END = "\r\n"


def csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, quoted; anything else unchanged."""
    if isinstance(value, str) and value.startswith(CSV_TRIGGERS):
        return "'" + value
    return value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name made safe for spreadsheets."""
    out = frame.copy()
    out.columns = [csv_cell(c) for c in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out.isetitem(i, column.map(csv_cell))
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index), safe to open in a spreadsheet.

    Lines end in CRLF as RFC 4180 says: then a carriage return inside a cell is quoted too.
    """
    return csv_safe(frame).to_csv(index=False, lineterminator=CSV_LINE_END)


def strict(value: Any) -> Any:
    """``value`` with NaN/±Infinity as None and numpy scalars as Python numbers."""
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict(v) for v in value]
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(value: Any, **options: Any) -> str:
    """Strict JSON text of ``value`` (``json.dumps`` options such as ``indent`` pass through)."""
    return json.dumps(strict(value), allow_nan=False, **options)


def console_text(text: Any) -> str:
    """Text for a rich table or title, shown literally (``[red]`` is not markup)."""
    from rich.markup import escape

    return escape(str(text))
