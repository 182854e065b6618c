"""Arrival times: a non-homogeneous Poisson process with a piecewise-constant rate."""

from __future__ import annotations

import numpy as np

from ..scenario.schema import ScenarioModel


def rate_schedule(sc: ScenarioModel) -> tuple[np.ndarray, np.ndarray]:
    """Breakpoints (minutes after opening) and the rate in customers/minute within each period.

    ``load_factor`` scales every rate, direct ``rate`` values included.
    """
    edges = [float(sc.profile[0].start - sc.hours.open)]
    rates = []
    for period in sc.profile:
        per_hour = sc.loads[period.load] if period.load is not None else period.rate
        assert per_hour is not None  # exactly one of load and rate, checked by the schema
        rates.append(float(per_hour) * sc.load_factor / 60.0)
        edges.append(float(period.end - sc.hours.open))
    return np.asarray(edges), np.asarray(rates)


def arrival_times(edges: np.ndarray, rates: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Exact NHPP arrival times by inversion of the cumulative rate (Çinlar's method).

    The points of a unit-rate Poisson process, S_1 < S_2 < ..., mapped through the
    inverse of the cumulative rate Λ(t), are the arrival times. Inside a period
    Λ is linear, so the inverse is exact; a period with rate 0 gets no arrivals.
    Using one unit-rate stream makes a busier day the same customers, compressed:
    good common random numbers across load changes.
    """
    cumulative = np.concatenate(([0.0], np.cumsum(rates * np.diff(edges))))
    total = cumulative[-1]
    if total <= 0:
        return np.empty(0)
    # One block is nearly always enough; extend deterministically if not.
    points = np.cumsum(rng.exponential(1.0, int(total + 6 * np.sqrt(total) + 20)))
    while points[-1] < total:
        extra = np.cumsum(rng.exponential(1.0, int(np.sqrt(total) + 20))) + points[-1]
        points = np.concatenate((points, extra))
    points = points[points < total]
    period = np.searchsorted(cumulative, points, side="right") - 1
    return edges[period] + (points - cumulative[period]) / rates[period]
