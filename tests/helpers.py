"""Builders shared by the tests: small scenarios and hand-made customer populations."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np

from hallsim import Scenario
from hallsim.model.hall import Hall
from hallsim.model.population import Population
from hallsim.results.records import DayRecords, record_day


def mmc(rate_per_hour: float, mean_service: float, servers: int, patience: float | None = None,
        hours: tuple[str, str] = ("00:00", "24:00"), warmup: float = 120.0) -> Scenario:
    """An M/M/c(+M) hall: one exponential service, no triage, no kiosks, constant staff."""
    data: dict[str, Any] = {
        "name": "mmc",
        "hours": {"open": hours[0], "close": hours[1]},
        "warmup_minutes": warmup,
        "profile": [{"from": hours[0], "to": hours[1], "rate": rate_per_hour}],
        "services": [{"name": "any", "share": 1.0,
                      "counter_minutes": {"dist": "exponential", "mean": mean_service}}],
        "counters": {"windows": servers},
        "detractor": {"target_wait_minutes": 0},
        "shifts": [{"name": "all", "role": "counter", "start": hours[0], "end": hours[1],
                    "count": servers}],
    }
    if patience is not None:
        data["patience"] = {"dist": "exponential", "mean": patience}
    return Scenario.from_dict(data)


def tiny(**changes: Any) -> Scenario:
    """A small deterministic hall open 09:00-12:00 (override any top-level field)."""
    data: dict[str, Any] = {
        "name": "tiny",
        "hours": {"open": "09:00", "close": "12:00"},
        "profile": [{"from": "09:00", "to": "12:00", "rate": 10}],
        "services": [
            {"name": "a", "share": 0.5, "counter_minutes": {"dist": "constant", "value": 5},
             "self_service": {"eligible": 1.0, "minutes": {"dist": "constant", "value": 2},
                              "fail": 0.0},
             "preprocess": {"eligible": 1.0, "minutes": {"dist": "constant", "value": 3},
                            "saves": 0.4}},
            {"name": "vip", "share": 0.5, "counter_minutes": {"dist": "constant", "value": 5},
             "priority": 0},
        ],
        "triage": {"minutes": {"dist": "constant", "value": 1}, "divert_online": 1.0,
                   "divert_self_service": 1.0, "self_select": 0.0},
        "counters": {"windows": 1},
        "shifts": [{"name": "c", "role": "counter", "start": "09:00", "end": "12:00",
                    "count": 1}],
    }
    data.update(copy.deepcopy(changes))
    return Scenario.from_dict(data)


def population(arrival: list[float], **columns: Any) -> Population:
    """Customers at the given minutes after opening; every other draw defaults to 'plain'."""
    n = len(arrival)
    defaults: dict[str, Any] = {
        "service": 0, "priority": 1, "triage_minutes_drawn": 1.0, "goes_online": False,
        "kiosk_eligible": False, "kiosk_draw": 0.5, "kiosk_minutes_drawn": 2.0,
        "kiosk_fails": False, "pre_eligible": False, "pre_minutes_drawn": 3.0, "pre_saves": 0.0,
        "counter_minutes_drawn": 5.0, "patience": math.inf,
    }
    arrays = {}
    for name in ("booked", "slot"):   # bookings: given together, or nobody booked
        if name in columns:
            arrays[name] = np.asarray(columns.pop(name), dtype=bool if name == "booked" else float)
    for name, default in defaults.items():
        value = columns.pop(name, default)
        arrays[name] = np.asarray(value if isinstance(value, list) else [value] * n)
    assert not columns, f"unknown columns {sorted(columns)}"
    return Population(arrival=np.asarray(arrival, dtype=float), **arrays)


def run(sc: Scenario, pop: Population) -> DayRecords:
    """Simulate a hand-made population in a scenario's hall."""
    return record_day(sc, Hall(sc, pop).run())
