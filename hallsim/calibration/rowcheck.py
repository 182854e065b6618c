"""The rows of a ticket log checked a batch at a time: each row becomes a ticket, or a
reject with the first reason that applies.

What must be known across the whole log is gathered as the batches go: the UTC offsets
seen (converted with the first one met, which is the one the fit uses unless the log
turns out to carry several, an error at the end), and the statuses nobody mapped, with
their counts and first lines.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import timestamps

REQUIRED = ("service", "issued_at", "outcome")
TIME_FIELDS = ("issued_at", "called_at", "finished_at")
IGNORED = "unknown outcome (ignored)"
# In order of precedence: a row is rejected for the first that applies.
REASONS = ("", *(f"missing {f}" for f in REQUIRED), IGNORED, "missing called_at",
           "missing finished_at", *(f"bad time in {f}" for f in TIME_FIELDS),
           "called before issued", "finished before called")
CODE = {reason: k for k, reason in enumerate(REASONS)}


@dataclass
class LogState:
    """What the batches tell about the whole log."""

    tz: str | None
    hall: dt.tzinfo | None = None                  # the zone offsets are converted to
    offsets: Counter[str] = field(default_factory=Counter)
    # status -> [rows, first line, rows with a finish time]
    unknown: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.tz:
            self.hall = timestamps.zone(self.tz)


def stripped(column: pd.Series) -> pd.Series:
    """The column without surrounding spaces (the column itself when it has none)."""
    out = column.str.strip()
    return column if out.str.len().sum() == column.str.len().sum() else out


def _times(text: dict[str, pd.Series], empty: dict[str, np.ndarray],
           state: LogState) -> dict[str, np.ndarray]:
    values = {}
    for name in TIME_FIELDS:
        column = text[name]
        if "date" in text:            # times of day beside a date column
            short = ~empty[name] & (column.str.len() <= 8).to_numpy(dtype=bool)
            column = column.where(~short, text["date"] + " " + column)
        values[name] = column
    offsets = {name: timestamps.offset_rows(values[name]) for name in TIME_FIELDS}
    for name in TIME_FIELDS:
        state.offsets.update(timestamps.offsets_found(values[name], offsets[name]))
    if state.hall is None and state.offsets:
        state.hall = timestamps.zone(next(iter(state.offsets)))
    return {name: timestamps.parse_times(values[name], offsets[name], state.hall).to_numpy()
            for name in TIME_FIELDS}


def check_batch(raw: pd.DataFrame, line: np.ndarray, found: dict[str, str],
                words: dict[str, str], state: LogState, key) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The batch's tickets and its rejects (line, reason, then the row as read)."""
    n = len(raw)
    text = {f: raw[h] if f == "ticket_id" else stripped(raw[h]) for f, h in found.items()}
    empty = {f: (t == "").to_numpy(dtype=bool) for f, t in text.items()}
    code = np.zeros(n, dtype=np.int16)      # the first reason that applies

    def reject(mask: np.ndarray, why: str) -> None:
        code[mask & (code == 0)] = CODE[why]

    codes, uniques = pd.factorize(text["outcome"])
    meaning = np.array([words.get(key(w), words.get(w, "")) for w in uniques] + [""], dtype=object)
    outcome = meaning[codes]
    unknown = (outcome == "") & ~empty["outcome"]
    if unknown.any():
        statuses = text["outcome"][unknown].to_numpy(dtype=object)
        finished = ~empty["finished_at"][unknown]
        for value, first, has_finish in zip(statuses, line[unknown], finished, strict=True):
            seen = state.unknown.setdefault(str(value), [0, int(first), 0])
            seen[0] += 1
            seen[2] += int(has_finish)
    for name in REQUIRED:
        reject(empty[name], f"missing {name}")
    reject(unknown, IGNORED)
    served = outcome == "served"
    for name in ("called_at", "finished_at"):
        reject(served & empty[name], f"missing {name}")
    times = _times(text, empty, state)
    for name in TIME_FIELDS:
        reject(np.isnat(times[name]) & ~empty[name], f"bad time in {name}")
    reject(times["called_at"] < times["issued_at"], "called before issued")
    reject(served & (times["finished_at"] < times["called_at"]), "finished before called")

    ok = code == 0
    tickets = pd.DataFrame({
        "line": line[ok],
        "ticket_id": text["ticket_id"][ok].reset_index(drop=True) if "ticket_id" in text
        else pd.Series(line[ok].astype(str)),
        "service": text["service"][ok].reset_index(drop=True),
        "issued": times["issued_at"][ok],
        "called": times["called_at"][ok],
        "finished": np.where(served, times["finished_at"], np.datetime64("NaT"))[ok],
        "served": served[ok],
        "window": text["window"][ok].reset_index(drop=True) if "window" in text
        else pd.Series("", index=range(int(ok.sum())), dtype=text["service"].dtype),
    })
    bad = np.flatnonzero(~ok)
    rejects = pd.DataFrame({"line": line[bad], "reason": np.array(REASONS, dtype=object)[code[bad]]})
    original = raw.iloc[bad]        # the whole original row, as read
    for header in raw.columns:
        rejects[header] = original[header].to_numpy(dtype=object)
    return tickets, rejects
