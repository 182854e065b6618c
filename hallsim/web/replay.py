"""One simulated day as the browser's replay draws it: every customer's stages with their
times (minutes after opening), which greeter and kiosk (the lowest free place) and which
counter window (the one the model used) served them, the counter groups, how many staff
of each role were at work (flexed staff and those finishing a customer included) and on a
break through the day, the counter queue through the day, and the day's own numbers."""

from __future__ import annotations

import math

import numpy as np

from ..model.codes import Level, Role
from ..results.records import OUTCOMES
from ..runs.simulation import Day


def _slots(starts: np.ndarray, ends: np.ndarray) -> list[int | None]:
    """The lowest free place for each visit (a counter window, a kiosk, a greeter's desk)."""
    slot: list[int | None] = [None] * len(starts)
    busy_until: list[float] = []
    for i in np.argsort(starts, kind="stable"):
        if not math.isfinite(starts[i]):
            continue
        free = next((k for k, until in enumerate(busy_until) if until <= starts[i] + 1e-9), None)
        if free is None:
            busy_until.append(0.0)
            free = len(busy_until) - 1
        busy_until[free] = float(ends[i]) if math.isfinite(ends[i]) else float(starts[i])
        slot[i] = free
    return slot


def _column(values: np.ndarray) -> list[float | None]:
    return [round(float(v), 2) if math.isfinite(v) else None for v in values]


def _steps(times: np.ndarray, counts: np.ndarray) -> dict:
    return {"times": [round(float(t), 2) for t in times], "counts": [int(n) for n in counts]}


# The day's own numbers the page shows beside the run's means.
DAY_METRICS = ("customers", "mean_wait_min", "p90_wait_min", "service_level", "abandoned")


def replay_document(day: Day) -> dict:
    """The replay of ``day`` as plain JSON-ready data."""
    sc, c = day.scenario, day.records.customers
    triage_start = c.triage_enter + c.wait_triage
    # The greeter is with the customer until the next stage begins (or they leave, if online).
    nxt = np.where(np.isfinite(c.kiosk_enter), c.kiosk_enter,
                   np.where(np.isfinite(c.counter_enter), c.counter_enter, c.departure))
    triage_end = np.where(np.isfinite(triage_start), np.maximum(nxt, triage_start), np.nan)
    counter_end = c.counter_start + c.counter_minutes
    rec, roles = day.records, {"counter": Role.COUNTER, "triage": Role.TRIAGE,
                                "preprocess": Role.PREPROCESS}
    return {
        "scenario": sc.name, "seed": day.seed, "replication": day.replication,
        "open": int(sc.hours.open), "close": int(sc.hours.close),
        "end": round(float(np.nanmax(c.departure)) if len(c) else 0.0, 2),
        "windows": int(sc.counters.windows), "kiosks": int(sc.self_service.kiosks),
        "groups": [{"name": g.name, "windows": g.windows} for g in sc.counters.groups or []],
        "services": [s.name for s in sc.services],
        "outcomes": [str(o) for o in OUTCOMES],
        "at_work": {name: _steps(*rec.level(int(role))) for name, role in roles.items()},
        "on_break": {name: _steps(*rec.on_break(int(role))) for name, role in roles.items()},
        "queue": _steps(*rec.level(Level.QUEUE_COUNTER)),
        "metrics": {name: round(float(day.metrics[name]), 4) for name in DAY_METRICS},
        "customers": {
            "arrival": _column(c.arrival), "service": [int(s) for s in c.service],
            "outcome": [int(o) for o in c.outcome],
            "triage_queue": _column(c.triage_enter), "triage_start": _column(triage_start),
            "triage_end": _column(triage_end), "greeter": _slots(triage_start, triage_end),
            "kiosk_queue": _column(c.kiosk_enter), "kiosk_start": _column(c.kiosk_start),
            "kiosk_end": _column(c.kiosk_end), "kiosk": _slots(c.kiosk_start, c.kiosk_end),
            "counter_queue": _column(c.counter_enter), "counter_start": _column(c.counter_start),
            "counter_end": _column(counter_end),
            "window": [int(w) if w >= 0 else None for w in c.window],  # the real window
            "pre_start": _column(c.pre_start), "pre_end": _column(c.pre_start + c.pre_minutes),
            "departure": _column(c.departure), "wait": _column(c.wait),
        },
    }
