"""Counter windows and counter shifts from a ticket log.

``counters.windows`` is the number of distinct windows in the log (without a window
column: the most services ever in progress at once).

The clerks at work are counted on a grid of 15 minutes (or finer, to fit the profile's
interval), where breaks and shift changes usually fall. While a number waits, every clerk
at work is serving (a free clerk calls the next number at once), so the services in
progress at those moments count the clerks on duty: breaks, shift ends and floor staff
stepping in all show, and idle clerks are no longer confused with absent ones. Where
nobody waited for long enough to tell, the most services at once (mean over days) stands
in. Rounded, at least 1 while the hall is open, that is the staffing the shifts reproduce.
Clerks at work above a quarter hour's base all through the day are staff who step in when
the queue is long (``flexfit``): what the rounded shifts leave over goes to them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..scenario.clock import format_clock
from .arrivals import Arrivals
from .flexfit import MAX_BUSY, MAX_QUEUE, FlexFit, Waiting, fit_flex

MIN_WAITING_SHARE = 0.05       # of a slot's time over all days, for the count while waiting
STAFF_STEP = 15                # minutes


@dataclass(frozen=True)
class Staffing:
    windows: int
    starts: np.ndarray         # the staffing grid (day clock)
    step: int
    busy: np.ndarray           # clerks at work per slot (estimated, mean over days)
    staff: np.ndarray          # the counter staff the shifts put on duty per slot
    shifts: list[dict]
    from_window_column: bool
    flex: FlexFit | None = None   # floor staff stepping in when the queue is long


@dataclass(frozen=True)
class _Day:
    """The log's times as minutes on each ticket's own day (only the days the fit uses)."""

    day: np.ndarray
    issued: np.ndarray
    called: np.ndarray         # NaN: never called
    finished: np.ndarray       # NaN: not served
    served: np.ndarray
    days: int


def _minutes(tickets: pd.DataFrame, arr: Arrivals) -> _Day:
    """Integer arithmetic on nanoseconds: the day clock's days start at midnight."""
    day_ns = 86_400 * 10**9
    wanted = np.array([np.datetime64(d, "D").astype("datetime64[ns]").view(np.int64) // day_ns
                       for d in arr.days])
    issued = tickets["issued"].to_numpy().astype("datetime64[ns]").view(np.int64)
    number = issued // day_ns
    where = np.clip(np.searchsorted(wanted, number), 0, max(len(wanted) - 1, 0))
    keep = (wanted[where] == number) if len(wanted) else np.zeros(len(issued), dtype=bool)
    base = number[keep] * day_ns

    def minutes(column: str) -> np.ndarray:
        values = tickets[column].to_numpy().astype("datetime64[ns]")[keep]
        out = (values.view(np.int64) - base) / 60e9
        return np.where(np.isnat(values), np.nan, out)

    return _Day(where[keep].astype(np.int64), minutes("issued"), minutes("called"),
                minutes("finished"), tickets["served"].to_numpy()[keep], len(arr.days))


def _groups(t: _Day, size: int = 32) -> Iterator[tuple[int, _Day]]:
    """The days ``size`` at a time (the first day of each group, and its tickets with days
    counted from it): a sweep over a million tickets never holds them all at once."""
    order = np.argsort(t.day, kind="stable")
    day = t.day[order]
    for first in range(0, t.days, size):
        a, b = np.searchsorted(day, [first, first + size])
        rows = order[a:b]
        yield first, _Day(t.day[rows] - first, t.issued[rows], t.called[rows], t.finished[rows],
                          t.served[rows], min(size, t.days - first))


def _sweep(t: _Day, grid: np.ndarray,
           events: list[tuple[np.ndarray, np.ndarray, tuple[float, ...]]]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each day's events in time order with the grid's edges among them: times, days, and
    the running counts after each event (one column per count each event changes)."""
    n = len(grid)
    times = np.concatenate([e[0] for e in events] + [np.tile(grid, t.days)])
    days = np.concatenate([e[1] for e in events] + [np.repeat(np.arange(t.days), n)])
    deltas = np.concatenate([np.tile(np.array(e[2]), (len(e[0]), 1)) for e in events]
                            + [np.zeros((t.days * n, len(events[0][2])))])
    # each day's counts return to 0, so one running sum serves every day; times are within
    # a few days of the day's start, so day * 10**5 + time orders by day, then time
    order = np.argsort(days * 1e5 + times, kind="stable")
    return times[order], days[order], np.cumsum(deltas[order], axis=0)


def clerks_while_waiting(t: _Day, open_: int, step: int, n: int, close: float) -> Waiting:
    """What the waiting shows of the clerks, over all days (see ``Waiting``). A no-show
    waits, as the ticket system sees it, until called (to the day's end if never called)."""
    total = Waiting.empty(n)
    for _first, part in _groups(t):
        total = total.plus(_waiting(part, open_, step, n, close))
    return total


def _waiting(t: _Day, open_: int, step: int, n: int, close: float) -> Waiting:
    day_end = np.full(t.days, float(close))
    np.fmax.at(day_end, t.day, np.fmax(np.fmax(t.issued, t.called), t.finished))
    left_queue = np.where(np.isnan(t.called), day_end[t.day], t.called)
    s = t.served
    grid = open_ + step * np.arange(n + 1, dtype=float)
    # counts: the queue the log shows, services in progress
    times, days, counts = _sweep(t, grid, [
        (t.issued, t.day, (1.0, 0.0)), (left_queue, t.day, (-1.0, 0.0)),
        (t.called[s], t.day[s], (0.0, 1.0)), (t.finished[s], t.day[s], (0.0, -1.0))])
    span = np.zeros(len(times))
    span[:-1] = np.where(days[1:] == days[:-1], times[1:] - times[:-1], 0.0)
    slot = np.floor((times - open_) / step).astype(np.int64)
    inside = (slot >= 0) & (slot < n)
    slot = np.clip(slot, 0, n - 1)
    busy = np.rint(counts[:, 1]).astype(np.int64)
    waiting = np.where(inside & (counts[:, 0] > 0.5), span, 0.0)
    cell = slot * (MAX_BUSY + 1) + np.clip(busy, 0, MAX_BUSY)
    queue = np.clip(np.rint(counts[:, 0]).astype(np.int64), 0, MAX_QUEUE)
    return Waiting(
        np.bincount(slot, weights=waiting, minlength=n),
        np.bincount(slot, weights=waiting * busy, minlength=n),
        np.bincount(cell, weights=waiting, minlength=n * (MAX_BUSY + 1)).reshape(n, -1),
        np.bincount(queue, weights=np.where(inside, span, 0.0), minlength=MAX_QUEUE + 1))


def most_at_once(t: _Day, open_: int, step: int, n: int) -> np.ndarray:
    """Days x slots: the most services in progress at once."""
    out = np.zeros((t.days, n))
    for first, part in _groups(t):
        out[first:first + part.days] = _most(part, open_, step, n)
    return out


def _most(t: _Day, open_: int, step: int, n: int) -> np.ndarray:
    s = t.served
    grid = open_ + step * np.arange(n, dtype=float)
    # ends before starts at the same instant: sorted by day, time, then the change's sign
    times = np.concatenate((t.called[s], t.finished[s], np.tile(grid, t.days)))
    days = np.concatenate((t.day[s], t.day[s], np.repeat(np.arange(t.days), n)))
    delta = np.concatenate((np.ones(int(s.sum())), -np.ones(int(s.sum())), np.zeros(t.days * n)))
    # (whole-second times: a nudge of 1e-7 min puts an end before a start at the same instant)
    order = np.argsort(days * 1e5 + times + delta * 1e-7, kind="stable")
    times, days, level = times[order], days[order], np.cumsum(delta[order])
    slot = np.clip(np.floor((times - open_) / step).astype(np.int64), 0, n - 1)
    out = np.zeros(t.days * n)
    np.maximum.at(out, days * n + slot, level)
    return out.reshape(t.days, n)


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
    """Windows, the counter shifts matching the clerks at work through the day, and the
    floor staff who step in when the queue is long (if the log shows any)."""
    step = math.gcd(arr.interval, STAFF_STEP)
    n = (arr.close - arr.open) // step
    t = _minutes(tickets, arr)
    peak = most_at_once(t, arr.open, step, n)
    has_windows = bool((tickets["window"] != "").any())
    if has_windows:
        windows = int(tickets.loc[tickets["window"] != "", "window"].nunique())
    else:
        windows = int(max(peak.max(initial=0), 1))
    seen = clerks_while_waiting(t, arr.open, step, n, arr.close)
    share = seen.time / (step * t.days)
    told = share >= MIN_WAITING_SHARE
    with np.errstate(invalid="ignore", divide="ignore"):
        busy = np.where(told, seen.clerk_minutes / seen.time, peak.mean(axis=0))
    staff = np.clip(np.floor(busy + 0.5).astype(np.int64), 1, max(windows, 1))
    flex = fit_flex(seen, told, staff, t.days)
    starts = arr.open + step * np.arange(n)
    shifts = shifts_for(staff, starts, step, arr.hours.clock)
    return Staffing(max(windows, 1), starts, step, busy, staff, shifts, has_windows, flex)
