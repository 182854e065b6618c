"""Metrics by counter group and by service (busy zones, 忙区), as pure functions of the
records. They exist only for halls with ``counters.groups``: a hall without them keeps
its summary exactly as before.

Keys are flat, ``groups.NAME.METRIC`` and ``services.NAME.METRIC``, so a day's metrics stay
one dict of numbers (sweeps and ``runs`` tables take them as columns); the summary
document nests them.
"""

from __future__ import annotations

import numpy as np

from ..model.codes import Outcome
from ..model.counters import specs
from ..scenario.schema import ScenarioModel
from .percentile import percentile
from .records import DayRecords, _steps
from .timeweighted import integrate

# ``window_utilisation``: busy window-minutes over the group's window-minutes (opening to the
# later of closing and the last leaving); ``utilisation`` is its first name, kept for
# scripts that read it. Neither is comparable with ``counter_utilisation`` (busy minutes
# over counter staff-minutes on duty).
GROUP_METRICS = ("served", "mean_wait_min", "p90_wait_min", "service_level", "utilisation",
                 "window_utilisation")
SERVICE_METRICS = ("served", "mean_wait_min", "p90_wait_min", "service_level", "abandon_rate")
BOOKED_METRICS = ("booked", "came", "mean_wait_after_slot_min", "on_time_share")
PREFIXES = ("groups", "services", "booked")


def has_zones(sc: ScenarioModel) -> bool:
    return bool(sc.counters.groups)


def window_groups(sc: ScenarioModel) -> np.ndarray:
    """The group index of each window (windows numbered from 0, group by group)."""
    return np.repeat(np.arange(len(specs(sc))), [g.windows for g in specs(sc)])


def group_of(sc: ScenarioModel, window: np.ndarray) -> np.ndarray:
    """Each customer's group index (-1: not served at a counter)."""
    groups = window_groups(sc)
    return np.where(window >= 0, groups[np.maximum(window, 0)], -1)


def _waits(wait: np.ndarray, within: np.ndarray) -> dict[str, float]:
    n = len(wait)
    return {"mean_wait_min": float(wait.mean()) if n else 0.0,
            "p90_wait_min": percentile(wait, 90) if n else 0.0,
            "service_level": float(within.mean()) if n else 0.0}


def zone_metrics(day: DayRecords, sc: ScenarioModel, keep: np.ndarray) -> dict[str, float]:
    """Per group: customers served at its windows, their waits, the share of its
    window-minutes in use over the day, opening to the later of closing and the last
    leaving (``window_utilisation``, and under its first name ``utilisation``). Per service:
    served (counter, kiosk or online), waits, service level and abandonment of the counted
    customers who came for it."""
    c = day.customers
    out: dict[str, float] = {}
    target = sc.detractor.target_wait_minutes
    unserved = (c.outcome == Outcome.ABANDONED) | (c.outcome == Outcome.TURNED_AWAY)
    within = (c.wait <= target) & ~unserved
    group = group_of(sc, c.window)
    busy = c.counter_minutes
    # The day: opening to the later of closing and the last customer's leaving (not to the
    # last event, which may be a patience timer of someone served long before).
    end = max(float(sc.hours.close - sc.hours.open), float(c.departure.max(initial=0.0)))
    for g, spec in enumerate(specs(sc)):
        mine = (group == g) & keep
        stats = {"served": float(mine.sum()), **_waits(c.wait[mine], within[mine])}
        span = spec.windows * end
        stats["window_utilisation"] = float(busy[group == g].sum() / span) if span > 0 else 0.0
        stats["utilisation"] = stats["window_utilisation"]
        for name in GROUP_METRICS:
            out[f"groups.{spec.name}.{name}"] = stats[name]
    served = np.isin(c.outcome, (Outcome.SERVED_COUNTER, Outcome.SERVED_KIOSK, Outcome.ONLINE))
    for s, service in enumerate(sc.services):
        mine = (c.service == s) & keep
        n = int(mine.sum())
        stats = {"served": float((served & mine).sum()), **_waits(c.wait[mine], within[mine]),
                 "abandon_rate": float((c.outcome[mine] == Outcome.ABANDONED).mean()) if n
                 else 0.0}
        for name in SERVICE_METRICS:
            out[f"services.{service.name}.{name}"] = stats[name]
    return out


def booking_metrics(day: DayRecords, sc: ScenarioModel, keep: np.ndarray) -> dict[str, float]:
    """Bookings of the day (every slot), those who came (counted customers), their mean
    wait from the later of slot and ticket until called (or until leaving unserved), and
    the share who came at or before their slot."""
    c = day.customers
    booked = float(sum(len(a.slots.times()) * a.slots.per_slot for a in sc.appointments))
    came = c.booked & keep
    n = int(came.sum())
    start = np.maximum(c.slot[came], c.counter_enter[came])
    end = np.where(np.isnan(c.counter_start[came]), c.departure[came], c.counter_start[came])
    after = np.maximum(end - start, 0.0)
    return {"booked.booked": booked, "booked.came": float(n),
            "booked.mean_wait_after_slot_min": float(after.mean()) if n else 0.0,
            "booked.on_time_share": float((c.arrival[came] <= c.slot[came]).mean()) if n
            else 0.0}


def group_intervals(day: DayRecords, sc: ScenarioModel, edges: np.ndarray) -> dict[str, np.ndarray]:
    """Per group and interval (by arrival time): customers served at its windows and their
    mean wait; and the time-averaged number of its windows in use."""
    c = day.customers
    which = np.searchsorted(edges, c.arrival, side="right") - 1
    group = group_of(sc, c.window)
    width = np.diff(edges)
    out: dict[str, np.ndarray] = {}
    for g, spec in enumerate(specs(sc)):
        mine = group == g
        served = np.bincount(which[mine], minlength=len(edges) - 1)[:len(edges) - 1]
        waited = np.bincount(which[mine], weights=c.wait[mine],
                             minlength=len(edges) - 1)[:len(edges) - 1]
        out[f"served.{spec.name}"] = served
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"mean_wait_min.{spec.name}"] = np.where(served > 0, waited / served, np.nan)
        start = np.where(mine, c.counter_start, np.nan)
        out[f"busy_windows.{spec.name}"] = integrate(*_steps(start, start + c.counter_minutes),
                                                     edges) / width
    return out
