"""Simulated days written as the queue-ticket system would have logged them (contract §7).

What a ticket machine sees of a simulated day:

* a **served** ticket for each customer served at a counter: issued when they joined the
  counter queue, called when their service began, finished when it ended;
* a **no_show** ticket for each customer who gave up in the counter queue. The system
  does not know they left: it calls their number when a counter would have taken them,
  i.e. at the first call of a customer ranked after them (priority, then ticket order),
  or the first moment a counter is released with nobody else to call, after they left.
  Several no-shows called together share that instant. A number never called before the
  last counter closed has an empty ``called_at``.

Customers diverted online, served at a kiosk, who gave up before taking a ticket (at the
greeter's desk or a kiosk queue), or who were turned away never take a ticket. Windows are
numbered 1, 2, ...: in a hall with counter groups, the window that served the customer
(numbered group by group, as ``customers.csv``); otherwise each call takes the window freed
most recently, as a clerk who has just finished calls the next number.

Replication k becomes the k-th weekday (Monday to Friday) from Monday 2 March 2026, so
several replications make one log of distinct dates.
"""

from __future__ import annotations

import heapq
from pathlib import Path

import numpy as np
import pandas as pd

from ..output.outfiles import write_atomic
from ..output.textsafe import csv_text

COLUMNS = ("ticket_id", "service", "issued_at", "called_at", "finished_at", "outcome", "window")
FIRST_DAY = "2026-03-02"


def day_date(replication: int) -> np.datetime64:
    """The date a replication is logged under: the ``replication``-th weekday from 2 March 2026."""
    return np.busday_offset(np.datetime64(FIRST_DAY, "D"), int(replication), roll="forward")


def _assign_windows(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Window numbers (1, 2, ...) for services [start, end).

    A clerk stays at one window, and a clerk who has just finished calls the next number:
    each call goes to the window freed most recently (the lowest number among equals). A
    new window opens only when every window is busy, so windows idle since a shift ended
    stay idle, and the windows in the log are the most ever serving at once.
    """
    window = np.zeros(len(start), dtype=np.int64)
    free: list[tuple[float, int]] = []          # (-free since, window)
    busy: list[tuple[float, int]] = []          # (busy until, window)
    opened = 0
    for i in np.lexsort((end, start)):
        while busy and busy[0][0] <= start[i]:
            until, w = heapq.heappop(busy)
            heapq.heappush(free, (-until, w))
        if free:
            w = heapq.heappop(free)[1]
        else:
            opened += 1
            w = opened
        window[i] = w
        heapq.heappush(busy, (float(end[i]), w))
    return window


def _call_no_shows(served: pd.DataFrame, ghosts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """When each no-show's number is called, and at which window (NaN / 0: never)."""
    called = np.full(len(ghosts), np.nan)
    window = np.zeros(len(ghosts), dtype=np.int64)
    if len(ghosts) == 0:
        return called, window
    events: list[tuple[float, int, tuple, int]] = []   # time, kind, rank, row
    for row, (t, rank) in enumerate(zip(ghosts["left"], ghosts["rank"], strict=True)):
        events.append((t, 0, rank, row))
    for row, (t, rank) in enumerate(zip(served["called"], served["rank"], strict=True)):
        events.append((t, 1, rank, row))
    for row, t in enumerate(served["finished"]):
        events.append((t, 2, (), row))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    pending: list[tuple[tuple, int]] = []
    served_window = served["window"].to_numpy()
    i = 0
    while i < len(events):
        t = events[i][0]
        calls, releases = [], []
        while i < len(events) and events[i][0] == t:
            _t, kind, rank, row = events[i]
            if kind == 0:
                heapq.heappush(pending, (rank, row))
            elif kind == 1:
                calls.append((rank, row))
            else:
                releases.append(row)
            i += 1
        for rank, row in calls:
            while pending and pending[0][0] < rank:
                g = heapq.heappop(pending)[1]
                called[g], window[g] = t, served_window[row]
        if len(releases) > len(calls) and pending:
            taken = {served_window[row] for _rank, row in calls}
            idle = [served_window[r] for r in releases if served_window[r] not in taken]
            w = idle[0] if idle else served_window[releases[0]]
            while pending:
                g = heapq.heappop(pending)[1]
                called[g], window[g] = t, w
    return called, window


def day_tickets(customers: pd.DataFrame, open_minute: float, date: np.datetime64,
                ticket_prefix: str) -> pd.DataFrame:
    """One simulated day's customers (the ``.customers`` table) as ticket-log rows."""
    c = customers
    outcome = c["outcome"].to_numpy()
    abandoned_in = c["abandoned_in"].to_numpy() if "abandoned_in" in c else np.full(len(c), "")
    served_mask = outcome == "counter"
    ghost_mask = (outcome == "abandoned") & (abandoned_in == "counter")
    s, g = c[served_mask], c[ghost_mask]
    served = pd.DataFrame({
        "service": s["service"].to_numpy(),
        "called": s["counter_start_min"].to_numpy(dtype=float),
        "finished": (s["counter_start_min"] + s["counter_service_min"]).to_numpy(dtype=float),
        "issued": (s["counter_start_min"] - s["wait_counter_min"]).to_numpy(dtype=float),
        "priority": s["priority"].to_numpy()})
    if "window" in c:     # a hall with counter groups: the window that really served them
        served["window"] = s["window"].to_numpy(dtype=np.int64)
    else:
        served["window"] = _assign_windows(served["called"].to_numpy(),
                                           served["finished"].to_numpy())
    ghosts = pd.DataFrame({
        "service": g["service"].to_numpy(),
        "left": g["departure_min"].to_numpy(dtype=float),
        "issued": (g["departure_min"] - g["wait_counter_min"]).to_numpy(dtype=float),
        "priority": g["priority"].to_numpy()})
    served["rank"] = list(zip(served["priority"], served["issued"], strict=True))
    ghosts["rank"] = list(zip(ghosts["priority"], ghosts["issued"], strict=True))
    ghost_called, ghost_window = _call_no_shows(served, ghosts)

    issued = np.concatenate((served["issued"], ghosts["issued"]))
    called = np.concatenate((served["called"], ghost_called))
    finished = np.concatenate((served["finished"], np.full(len(ghosts), np.nan)))
    windows = np.concatenate((served["window"], ghost_window))
    order = np.argsort(issued, kind="stable")
    base = pd.Timestamp(date) + pd.Timedelta(minutes=open_minute)

    def stamp(minutes: np.ndarray) -> pd.Series:
        seconds = pd.to_timedelta(np.round(minutes[order] * 60.0), unit="s")
        return (base + seconds).strftime("%Y-%m-%d %H:%M:%S").fillna("")

    n = len(order)
    window_text = np.where(windows[order] > 0, windows[order].astype(str), "")
    return pd.DataFrame({
        "ticket_id": [f"{ticket_prefix}{k + 1:04d}" for k in range(n)],
        "service": np.concatenate((served["service"], ghosts["service"]))[order],
        "issued_at": stamp(issued).to_numpy(),
        "called_at": stamp(called).to_numpy(),
        "finished_at": stamp(finished).to_numpy(),
        "outcome": np.array(["served"] * len(served) + ["no_show"] * len(ghosts), dtype=object)[order],
        "window": window_text,
    }, columns=list(COLUMNS))


def ticket_log(customers: pd.DataFrame, open_minute: float) -> pd.DataFrame:
    """Every replication in a ``.customers`` table (with or without a ``replication``
    column) as one ticket log, replication k dated the k-th weekday from 2 March 2026."""
    if "replication" not in customers:
        customers = customers.assign(replication=0)
    parts = []
    for replication, day in customers.groupby("replication", sort=True):
        date = day_date(int(replication))
        prefix = pd.Timestamp(date).strftime("%Y%m%d") + "-"
        parts.append(day_tickets(day, open_minute, date, prefix))
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.concat(parts, ignore_index=True)


def write_ticket_log(customers: pd.DataFrame, open_minute: float, path: Path) -> int:
    """Write the ticket log of ``customers`` to ``path`` (CSV, UTF-8); return its row count."""
    log = ticket_log(customers, open_minute)
    write_atomic(Path(path), csv_text(log).encode("utf-8"))
    return len(log)
