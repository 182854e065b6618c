"""Counter windows and counter shifts from a ticket log.

``counters.windows`` is the number of distinct windows in the log (without a window
column: the most services ever in progress at once). The number of windows at work in
an interval of a day is the number of distinct windows serving someone during it (without
a window column: the most services in progress at once); its mean over days, rounded,
at least 1 while the hall is open, is the staffing the shifts reproduce.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..scenario.clock import format_clock
from .arrivals import Arrivals
from .hours import minute_of_day


@dataclass(frozen=True)
class Staffing:
    windows: int
    busy: np.ndarray           # mean windows at work per interval
    staff: np.ndarray          # the counter staff the shifts put on duty per interval
    shifts: list[dict]
    from_window_column: bool


def _served_spans(tickets: pd.DataFrame, arr: Arrivals) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    served = tickets[tickets["served"]]
    day_index = {pd.Timestamp(d): i for i, d in enumerate(arr.days)}
    day = served["called"].dt.normalize().map(day_index).to_numpy()
    start = minute_of_day(served["called"])
    end = start + ((served["finished"] - served["called"]).dt.total_seconds() / 60.0).to_numpy()
    keep = ~pd.isna(day)
    return day[keep].astype(np.int64), start[keep], end[keep]


def _distinct_windows(tickets: pd.DataFrame, arr: Arrivals) -> np.ndarray:
    """Days x intervals: distinct windows serving someone."""
    served = tickets[tickets["served"]]
    day_index = {pd.Timestamp(d): i for i, d in enumerate(arr.days)}
    day = served["called"].dt.normalize().map(day_index).to_numpy()
    keep = ~pd.isna(day)
    window = pd.factorize(served["window"].to_numpy())[0][keep]
    day = day[keep].astype(np.int64)
    start = minute_of_day(served["called"])[keep]
    end = start + ((served["finished"] - served["called"]).dt.total_seconds() / 60.0).to_numpy()[keep]
    n = len(arr.rates)
    first = np.floor((start - arr.open) / arr.interval).astype(np.int64)
    last = np.floor((np.maximum(end - 1e-9, start) - arr.open) / arr.interval).astype(np.int64)
    first, last = np.clip(first, 0, n - 1), np.clip(last, 0, n - 1)
    spans = np.maximum(last - first + 1, 0)
    rows = np.repeat(np.arange(len(first)), spans)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(spans) - spans, spans)
    slot = first[rows] + offset
    w_count = int(window.max()) + 1 if len(window) else 1
    key = np.unique((day[rows] * n + slot) * w_count + window[rows])
    cells = key // w_count
    return np.bincount(cells, minlength=len(arr.days) * n).reshape(len(arr.days), n)


def _concurrency(tickets: pd.DataFrame, arr: Arrivals) -> np.ndarray:
    """Days x intervals: the most services in progress at once."""
    day, start, end = _served_spans(tickets, arr)
    n, d = len(arr.rates), len(arr.days)
    grid = arr.open + arr.interval * np.arange(n)
    times = np.concatenate((start, end, np.tile(grid, d)))
    days = np.concatenate((day, day, np.repeat(np.arange(d), n)))
    delta = np.concatenate((np.ones(len(start)), -np.ones(len(end)), np.zeros(d * n)))
    order = np.lexsort((delta, times, days))     # ends before starts at the same instant
    times, days, delta = times[order], days[order], delta[order]
    level = np.cumsum(delta)      # each day's starts and ends cancel: no carry between days
    slot = np.clip(np.floor((times - arr.open) / arr.interval).astype(np.int64), 0, n - 1)
    out = np.zeros(d * n)
    np.maximum.at(out, days * n + slot, level)
    return out.reshape(d, n)


def shifts_for(staff: np.ndarray, starts: np.ndarray, interval: int,
               clock: Callable[[float], str] = format_clock) -> list[dict]:
    """Counter shifts whose staff on duty equal ``staff`` in every interval: the k-th
    person works each run of intervals needing at least k; equal runs are merged.
    ``clock`` shows a time of the day clock as "HH:MM"."""
    blocks: dict[tuple[int, int], int] = {}
    for level in range(1, int(staff.max(initial=0)) + 1):
        on = np.concatenate(([False], staff >= level, [False]))
        edges = np.flatnonzero(on[1:] != on[:-1])
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            span = (int(starts[a]), int(starts[b - 1] + interval))
            blocks[span] = blocks.get(span, 0) + 1
    shifts = []
    for (start, end), count in sorted(blocks.items()):
        name = f"counter_{clock(start).replace(':', '')}_{clock(end).replace(':', '')}"
        shifts.append({"name": name, "role": "counter", "start": clock(start),
                       "end": clock(end), "count": count})
    return shifts


def staffing(tickets: pd.DataFrame, arr: Arrivals) -> Staffing:
    """Windows and the counter shifts matching the windows at work through the day."""
    has_windows = bool((tickets["window"] != "").any())
    if has_windows:
        windows = int(tickets.loc[tickets["window"] != "", "window"].nunique())
        per_day = _distinct_windows(tickets[tickets["window"] != ""], arr)
    else:
        per_day = _concurrency(tickets, arr)
        windows = int(max(per_day.max(initial=0), 1))
    busy = per_day.mean(axis=0)
    staff = np.clip(np.floor(busy + 0.5).astype(np.int64), 1, max(windows, 1))
    shifts = shifts_for(staff, arr.starts, arr.interval, arr.hours.clock)
    return Staffing(max(windows, 1), busy, staff, shifts, has_windows)
