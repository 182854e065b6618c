"""A week file from a ticket log (``fit tickets --by-weekday``): weekdays grouped by volume.

Each weekday's volume is its mean tickets per day over the log's days of that weekday. The
weekdays are grouped into at most three day types by optimal 1-D k-means of those volumes
(the load levels' method), named ``quiet``, ``regular`` and ``busy``; a type's
``load_factor`` is its days' mean volume over the mean volume of every day in the log (what
the hall's fitted rates are averaged over). A weekday with no ticket in the log is closed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import yaml

from ..week.schema import WEEKDAYS
from .arrivals import Arrivals, kmeans_1d

TYPE_NAMES = {1: ("regular",), 2: ("regular", "busy"), 3: ("quiet", "regular", "busy")}


@dataclass(frozen=True)
class WeekdayFit:
    """Day types learnt from the log's daily volumes."""

    days: dict[str, int]            # weekday -> days of it in the log
    volumes: dict[str, float]       # weekday -> mean tickets per day (open weekdays)
    types: dict[str, str]           # weekday -> its day type
    factors: dict[str, float]       # day type -> load factor

    @property
    def closed(self) -> list[str]:
        return [d for d in WEEKDAYS if d not in self.volumes]


def weekday_fit(arrivals: Arrivals) -> WeekdayFit:
    """Group the weekdays of ``arrivals`` (rates over every day of the log) by volume."""
    volumes = arrivals.counts.sum(axis=1).astype(float)
    weekday = np.array([pd.Timestamp(d).day_of_week for d in arrivals.days])
    overall = float(volumes.mean()) if len(volumes) else 0.0
    days = {WEEKDAYS[w]: int((weekday == w).sum()) for w in range(7) if (weekday == w).any()}
    means = {d: float(volumes[weekday == WEEKDAYS.index(d)].mean()) for d in days}
    open_days = [d for d in WEEKDAYS if d in means]
    labels = kmeans_1d(np.array([means[d] for d in open_days]), 3)
    used = sorted(set(labels.tolist()))
    names = dict(zip(used, TYPE_NAMES[len(used)], strict=True))
    types = {d: names[int(label)] for d, label in zip(open_days, labels, strict=True)}
    factors = {}
    for name in names.values():
        members = [WEEKDAYS.index(d) for d, t in types.items() if t == name]
        mask = np.isin(weekday, members)
        factors[name] = round(float(volumes[mask].mean()) / overall, 3) if overall else 1.0
    return WeekdayFit(days, means, types, factors)


def week_yaml(fit: WeekdayFit, name: str, hall: str, header: list[str]) -> str:
    """The week file: the hall, the day types with their load factors, the calendar."""
    days: dict[str, dict] = {t: {"load_factor": f} for t, f in fit.factors.items()}
    days.update({d: {"closed": True} for d in fit.closed})
    data = {"name": name, "hall": hall, "days": days,
            "calendar": {d: fit.types[d] for d in WEEKDAYS if d in fit.types}}
    comments = "".join(f"# {line}\n" for line in header)
    return comments + yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                     default_flow_style=None, width=100)
