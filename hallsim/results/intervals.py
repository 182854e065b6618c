"""The day in intervals (default 30 minutes): demand, waiting, abandonment, staffing, queues."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.codes import Level, Outcome
from ..scenario.clock import format_clock
from ..scenario.schema import ROLES, ScenarioModel
from .records import DayRecords
from .timeweighted import integrate
from .zones import group_intervals, has_zones

_LEVELS = {
    "busy_windows": Level.BUSY_WINDOWS,
    "queue_counter": Level.QUEUE_COUNTER,
    "queue_triage": Level.QUEUE_TRIAGE,
    "queue_kiosk": Level.QUEUE_KIOSK,
    "queue_preprocess": Level.QUEUE_PRE,
    "kiosks_busy": Level.KIOSKS_BUSY,
}


def interval_edges(sc: ScenarioModel) -> np.ndarray:
    """Interval boundaries in minutes after opening, from open to close."""
    length = float(sc.hours.close - sc.hours.open)
    edges = np.arange(0.0, length, float(sc.interval_minutes))
    return np.append(edges, length)


def day_intervals(day: DayRecords, sc: ScenarioModel) -> pd.DataFrame:
    """One row per interval: customer statistics by arrival time, time-averaged levels."""
    edges = interval_edges(sc)
    c = day.customers
    which = np.searchsorted(edges, c.arrival, side="right") - 1
    abandoned = c.outcome == Outcome.ABANDONED
    turned_away = c.outcome == Outcome.TURNED_AWAY
    unserved = abandoned | turned_away
    target = sc.detractor.target_wait_minutes
    rows = []
    for k in range(len(edges) - 1):
        mine = which == k
        n = int(mine.sum())
        wait = c.wait[mine]
        rows.append({
            "arrivals": n,
            "mean_wait_min": float(wait.mean()) if n else np.nan,
            "p90_wait_min": float(np.percentile(wait, 90)) if n else np.nan,
            "abandoned": int(abandoned[mine].sum()),
            "abandon_rate": float(abandoned[mine].mean()) if n else np.nan,
            "turned_away": int(turned_away[mine].sum()),
            "service_level": float(((wait <= target) & ~unserved[mine]).mean()) if n else np.nan,
            "detractor_rate": float(c.detractor_p[mine].mean()) if n else np.nan,
        })
    frame = pd.DataFrame(rows)
    width = np.diff(edges)
    open_ = sc.hours.open
    frame.insert(0, "start", [format_clock(open_ + t) for t in edges[:-1]])
    frame.insert(1, "end", [format_clock(open_ + t) for t in edges[1:]])
    frame.insert(2, "start_min", edges[:-1])
    frame.insert(4, "arrival_rate_per_hour", frame["arrivals"] / width * 60.0)
    for role_index, role in enumerate(ROLES):
        frame[f"staff_{role}"] = integrate(*day.level(role_index), edges) / width
    for column, key in _LEVELS.items():
        frame[column] = integrate(*day.level(key), edges) / width
    if has_zones(sc):  # split by counter group: served, mean wait, windows in use
        for column, values in group_intervals(day, sc, edges).items():
            frame[column] = values
    return frame
