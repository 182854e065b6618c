"""Arrivals from a ticket log: the days chosen, opening hours, rates per interval with their
confidence intervals, and those rates grouped into load levels (peak / mid / low)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .hours import Hours, minute_of_day

DAY_CHOICES = ("all", "weekday", "weekend")
LEVEL_NAMES = {1: ("mid",), 2: ("low", "peak"), 3: ("low", "mid", "peak")}


def select_days(tickets: pd.DataFrame, days: str) -> pd.DataFrame:
    """The tickets issued on the chosen kind of day (Monday-Friday, Saturday-Sunday, or all)."""
    if days == "all":
        return tickets
    weekday = tickets["issued"].dt.day_of_week.to_numpy() < 5
    return tickets[weekday if days == "weekday" else ~weekday]


@dataclass(frozen=True)
class Arrivals:
    """Arrival rates per interval of the day, averaged over the days in the log."""

    hours: Hours               # open and close on the day clock, stray tickets
    interval: int
    days: list[str]            # ISO dates used (the date each day starts on)
    counts: np.ndarray         # days x intervals: tickets issued
    rates: np.ndarray          # mean customers per hour in each interval
    ci95: np.ndarray           # half-width of the 95% CI over days (NaN with one day)

    @property
    def open(self) -> int:
        return self.hours.open

    @property
    def close(self) -> int:
        return self.hours.close

    @property
    def starts(self) -> np.ndarray:
        return self.open + self.interval * np.arange(len(self.rates))


def arrival_rates(tickets: pd.DataFrame, interval: int, hours: Hours) -> Arrivals:
    """Tickets per interval and day, and their mean rate per hour with a Student-t 95% CI
    (``tickets``: those issued within ``hours``, on the day clock)."""
    open_, close = hours.open, hours.close
    n = (close - open_) // interval
    day_codes, day_values = pd.factorize(tickets["issued"].dt.normalize(), sort=True)
    slot = np.clip(((minute_of_day(tickets["issued"]) - open_) // interval).astype(np.int64), 0, n - 1)
    counts = np.bincount(day_codes * n + slot, minlength=len(day_values) * n).reshape(-1, n)
    per_hour = counts * (60.0 / interval)
    rates = per_hour.mean(axis=0)
    d = len(day_values)
    if d > 1:
        ci = stats.t.ppf(0.975, d - 1) * per_hour.std(axis=0, ddof=1) / np.sqrt(d)
    else:
        ci = np.full(n, np.nan)
    days = [pd.Timestamp(v).strftime("%Y-%m-%d") for v in day_values]
    return Arrivals(hours, interval, days, counts, rates, ci)


def kmeans_1d(values: np.ndarray, k: int) -> np.ndarray:
    """Optimal 1-D k-means (Jenks natural breaks): cluster index per value, 0 = lowest.

    Dynamic programming over the sorted values: cost[j][i] is the least within-cluster
    sum of squares of the first i values in j clusters, each cluster a contiguous run.
    """
    x = np.asarray(values, dtype=float)
    order = np.argsort(x, kind="stable")
    s = x[order]
    n = len(s)
    k = max(1, min(k, len(np.unique(s))))
    c1 = np.concatenate(([0.0], np.cumsum(s)))
    c2 = np.concatenate(([0.0], np.cumsum(s * s)))

    def sse(a: int, b: int) -> float:   # values a..b-1
        m = b - a
        return c2[b] - c2[a] - (c1[b] - c1[a]) ** 2 / m

    cost = np.full((k + 1, n + 1), np.inf)
    back = np.zeros((k + 1, n + 1), dtype=np.int64)
    cost[0, 0] = 0.0
    for j in range(1, k + 1):
        for i in range(j, n + 1):
            best, arg = np.inf, j - 1
            for a in range(j - 1, i):
                c = cost[j - 1, a] + sse(a, i)
                if c < best - 1e-12:
                    best, arg = c, a
            cost[j, i], back[j, i] = best, arg
    labels_sorted = np.zeros(n, dtype=np.int64)
    i = n
    for j in range(k, 0, -1):
        a = back[j, i]
        labels_sorted[a:i] = j - 1
        i = a
    labels = np.empty(n, dtype=np.int64)
    labels[order] = labels_sorted
    return labels


def load_levels(rates: np.ndarray, k: int = 3) -> tuple[dict[str, float], list[str]]:
    """Group interval rates into levels: ``{level: mean rate}`` and each interval's level."""
    labels = kmeans_1d(rates, k)
    used = int(labels.max()) + 1
    names = LEVEL_NAMES[used]
    loads = {names[j]: round(float(rates[labels == j].mean()), 3) for j in range(used)}
    return loads, [names[j] for j in labels]
