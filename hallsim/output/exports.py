"""A run's results as files a manager can forward: the summary and the interval table as CSV
and as one XLSX workbook.

The CSV files keep the column names of ``summary.json`` and ``intervals.csv`` (for programs);
the workbook has headings in the reader's language, numbers as numbers, shares formatted as
percentages, a bold frozen header row and sized columns. User text is data: a text cell that
a spreadsheet would run as a formula is written as text (``textsafe``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pandas as pd

from ..i18n import N_, _, translate
from .labels import is_share, label
from .textsafe import csv_cell, csv_text


def interval_means(intervals: pd.DataFrame) -> pd.DataFrame:
    """Means over simulated days, one row per interval (by arrival time), in time order."""
    mean = intervals.groupby(["start", "end"], sort=False).mean(numeric_only=True).reset_index()
    if "start_min" in mean:
        mean = mean.sort_values("start_min", kind="stable").reset_index(drop=True)
    return mean.drop(columns=[c for c in ("replication", "start_min") if c in mean])


def summary_frame(summary: dict) -> pd.DataFrame:
    """One row per metric of a run's summary: its name, mean and 95% half-width."""
    rows = [{"metric": name, "mean": cell.get("mean"), "ci95": cell.get("ci95")}
            for name, cell in summary["metrics"].items() if isinstance(cell, dict) and "mean" in cell]
    return pd.DataFrame(rows, columns=["metric", "mean", "ci95"])


def summary_csv(summary: dict) -> str:
    return csv_text(summary_frame(summary))


def intervals_csv(intervals: pd.DataFrame) -> str:
    return csv_text(interval_means(intervals))


_INTERVAL_HEADINGS = {
    "start": N_("start"), "end": N_("end"), "arrivals": N_("arrivals"),
    "arrival_rate_per_hour": N_("arrivals per hour"), "mean_wait_min": N_("mean wait (min)"),
    "p90_wait_min": N_("p90 wait (min)"), "abandoned": N_("abandoned"),
    "abandon_rate": N_("abandon rate"), "turned_away": N_("turned away"),
    "service_level": N_("service level"), "detractor_rate": N_("detractors"),
    "staff_counter": N_("counter staff"), "staff_triage": N_("greeters"),
    "staff_preprocess": N_("floor staff"), "busy_windows": N_("busy windows"),
    "queue_counter": N_("counter queue"), "queue_triage": N_("greeter queue"),
    "queue_kiosk": N_("kiosk queue"), "queue_preprocess": N_("pre-processing queue"),
    "kiosks_busy": N_("kiosks busy")}


def _heading(column: str) -> str:
    return translate(_INTERVAL_HEADINGS[column]) if column in _INTERVAL_HEADINGS else column


def results_xlsx(summary: dict, intervals: pd.DataFrame) -> bytes:
    """A workbook of two sheets: the summary (metric, mean, ± 95%) and the interval means."""
    table = summary_frame(summary)
    head = [_("metric"), _("mean"), _("± 95% CI")]
    rows = [[label(r.metric), r.mean, r.ci95] for r in table.itertuples(index=False)]
    shares = [is_share(m) for m in table["metric"]]
    means = interval_means(intervals)
    interval_rows = [list(r) for r in means.itertuples(index=False)]
    interval_shares = [is_share(c) for c in means.columns]
    return _workbook([
        (_("Summary"), head, rows, lambda i, j: j > 0 and shares[i]),
        (_("Intervals"), [_heading(c) for c in means.columns], interval_rows,
         lambda _i, j: interval_shares[j]),
    ])


def _workbook(sheets: Sequence[tuple[str, list[str], list[list], Callable[[int, int], bool]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = True
    for title, head, rows, is_percent in sheets:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title[:31]
        for j, text in enumerate(head, start=1):
            cell = sheet.cell(row=1, column=j, value=csv_cell(text))
            cell.font = Font(bold=True)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cell = sheet.cell(row=i + 2, column=j + 1, value=_value(value))
                if isinstance(value, str):
                    cell.data_type = "s"            # never a formula
                elif is_percent(i, j):
                    cell.number_format = "0.0%"
                elif isinstance(cell.value, float):
                    cell.number_format = "0.00"
        for column in sheet.columns:
            width = max(len(str(c.value if c.value is not None else "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 30)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _value(value: object) -> object:
    """Cells hold plain Python values; NaN (an interval nobody arrived in) is left empty."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value
