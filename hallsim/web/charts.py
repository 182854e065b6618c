"""A run's charts on the planner's page: the interval table's means over the simulated days
(waits, arrivals, counter staff, windows in use, the counter queue), with each service's and
each counter group's mean wait where the hall has more than one, as JSON-ready lists (None
for an interval nobody arrived in). ``GET /api/runs/{id}/charts`` (bench_api) serves it."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..i18n import display
from ..output.exports import interval_means
from ..results.intervals import interval_edges
from ..runs.simulation import Day, Replications
from ..scenario.clock import parse_clock

# The interval table's columns the charts draw.
COLUMNS = ("mean_wait_min", "p90_wait_min", "arrival_rate_per_hour", "staff_counter",
           "busy_windows", "queue_counter")


def _values(column: Iterable) -> list[float | None]:
    return [round(float(v), 3) if v is not None and math.isfinite(float(v)) else None
            for v in column]


def service_waits(days: list[Day], edges: np.ndarray) -> dict[str, list[float | None]]:
    """Each service's mean wait per interval (customers by arrival time): each day's mean,
    then the mean over the days with such customers in that interval, as the interval table
    averages its days."""
    services = days[0].scenario.services
    k_count, s_count = len(edges) - 1, len(services)
    total = np.zeros((k_count, s_count))
    have = np.zeros((k_count, s_count))
    for day in days:
        c = day.records.customers
        k = np.searchsorted(edges, c.arrival, side="right") - 1
        inside = (k >= 0) & (k < k_count)
        cell = k[inside] * s_count + c.service[inside]
        sums = np.bincount(cell, weights=c.wait[inside], minlength=k_count * s_count)
        counts = np.bincount(cell, minlength=k_count * s_count)
        seen = counts > 0
        daily = np.divide(sums, counts, out=np.zeros_like(sums), where=seen)
        total += daily.reshape(k_count, s_count)
        have += seen.reshape(k_count, s_count)
    mean = np.divide(total, have, out=np.full_like(total, np.nan), where=have > 0)
    return {s.name: _values(mean[:, j]) for j, s in enumerate(services)}


def _labels(items) -> dict[str, object]:
    """Each service's or group's display names by language (``i18n.display`` picks one)."""
    return {item.name: item.label for item in items or [] if getattr(item, "label", None)}


def names(doc: dict) -> dict:
    """``doc`` with ``names``: each service's and group's name in the current language."""
    labels = doc.get("labels", {})
    return {**doc, "names": {name: display(labels.get(name), name)
                             for name in [*doc["services"], *doc["groups"]]}}


def _document(means: pd.DataFrame, services: dict, days: int) -> dict:
    starts = [parse_clock(s) for s in means["start"]]
    ends = [parse_clock(s) for s in means["end"]]
    groups = {column.split(".", 1)[1]: _values(means[column])
              for column in means.columns if column.startswith("mean_wait_min.")}
    return {"starts": starts, "ends": ends, "days": days,
            **{name: _values(means[name]) for name in COLUMNS},
            "services": services if len(services) > 1 else {},
            "groups": groups if len(groups) > 1 else {}}


def chart_document(result: Replications) -> dict:
    """The charts of a finished run (its days kept their records)."""
    sc = result.scenario
    services = service_waits(result.days, interval_edges(sc))
    doc = _document(interval_means(result.intervals), services, len(result.days))
    return {**doc, "labels": {**_labels(sc.services), **_labels(sc.counters.groups)}}


def from_intervals(intervals: pd.DataFrame, days: int) -> dict:
    """The charts from an interval table alone (a run from before the server restarted, read
    from its report folder): no split by service."""
    return _document(interval_means(intervals), {}, days)
