"""Overtime: what the plan's cost expects of it, and what the fresh days measured.

A counter member whose shift ends while serving finishes the customer in hand (contract
section 1), so a shift's expected overtime is the chance they are serving at its end times
the mean remaining counter time of a customer in service, ``E[S²] / (2 E[S])``. The chance is
the interval's offered load over the staff it needs (at most 1); at closing everybody still
inside is served, so shifts ending then also clear the mean queue left at the door.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..results.intervals import interval_edges
from ..runs.simulation import Replications
from ..scenario.scenario import Scenario
from .candidates import Candidate

_DRAWS = 20_000


def residual_minutes(sc: Scenario) -> float:
    """Mean remaining counter time of a customer in service, ``E[S²] / (2 E[S])``, over the
    services by share (from a fixed-seed sample: the same scenario, the same number)."""
    rng = np.random.default_rng(0)
    first = second = 0.0
    for service in sc.services:
        sample = np.asarray(service.counter_minutes.sample(rng, _DRAWS), dtype=float)
        first += service.share * float(sample.mean())
        second += service.share * float((sample ** 2).mean())
    return second / (2 * first) if first > 0 else 0.0


def expected_hours(cands: list[Candidate], sc: Scenario, frame: pd.DataFrame,
                   need: np.ndarray) -> np.ndarray:
    """Expected overtime (hours) of one member of each candidate shift."""
    edges = sc.hours.open + interval_edges(sc)
    busy = np.minimum(frame["offered_load"].to_numpy(dtype=float)
                      / np.maximum(np.asarray(need, dtype=float), 1.0), 1.0)
    remaining = residual_minutes(sc)
    out = np.empty(len(cands))
    for i, c in enumerate(cands):
        k = int(np.clip(np.searchsorted(edges, c.end, side="left") - 1, 0, len(busy) - 1))
        out[i] = busy[k] * remaining / 60.0
    return out


def measured_minutes(runs: Replications) -> float:
    """Counter staff overtime per day, minutes, on the simulated days (mean over days)."""
    totals = []
    for day in runs.days:
        staff = day.staff
        totals.append(float(staff.loc[staff["role"] == "counter", "overtime_min"].sum()))
    return float(np.mean(totals)) if totals else 0.0
