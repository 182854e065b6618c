"""A scored plan's day hour by hour, over its simulated days: demand, staff at work by role,
waiting by stage (greeter, kiosk, counter), and each hour's part of the score.

An hour's part of the score is what the customers arriving in it add to the score's
per-customer terms (mean wait, abandonment, detractors), day by day as the score counts
them, so the hours of a plan add up to those terms of its score exactly, and two plans
scored on the same customers can be compared hour by hour. The p90 wait, staff hours and
overtime belong to the whole day and to no hour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.codes import Outcome
from ..planning.scoring import Weights
from ..results.metrics import counted
from ..results.timeweighted import integrate
from ..runs.simulation import Replications
from ..scenario.schema import ROLES, ScenarioModel

STAGES = ("triage", "kiosk", "counter")
HOUR = 60.0


def hour_edges(sc: ScenarioModel) -> np.ndarray:
    """Hour boundaries in minutes after opening, from open to close (the last may be short)."""
    length = float(sc.hours.close - sc.hours.open)
    return np.append(np.arange(0.0, length, HOUR), length)


@dataclass(frozen=True)
class Hours:
    """One entry per hour of the day in every array; times in minutes after midnight."""

    start: np.ndarray
    end: np.ndarray
    arrivals: np.ndarray                # customers arriving in the hour, per day
    staff: dict[str, np.ndarray]        # role → staff at work, averaged over the hour and days
    wait: dict[str, np.ndarray]         # stage → minutes waited there per arriving customer
    mean_wait: np.ndarray               # all waiting, per arriving customer
    abandon_rate: np.ndarray
    detractor_rate: np.ndarray
    points: np.ndarray                  # the hour's part of the score (per-customer terms)

    def __len__(self) -> int:
        return len(self.start)


def hourly(result: Replications, weights: Weights) -> Hours:
    """The hours of a plan's simulated days (they need their records)."""
    sc = result.scenario
    edges = hour_edges(sc)
    width = np.diff(edges)
    n_hours = len(width)
    customers = np.zeros(n_hours)
    stage_sum = {stage: np.zeros(n_hours) for stage in STAGES}
    abandoned, detractors = np.zeros(n_hours), np.zeros(n_hours)
    staff = {role: np.zeros(n_hours) for role in ROLES}
    points = np.zeros(n_hours)
    for day in result.days:
        records = day.records
        c = records.customers
        keep = counted(records, sc.warmup_minutes)
        which = np.clip(np.searchsorted(edges, c.arrival, side="right") - 1, 0, n_hours - 1)
        which = which[keep]

        def per_hour(values: np.ndarray, which: np.ndarray = which,
                     keep: np.ndarray = keep) -> np.ndarray:
            return np.bincount(which, weights=np.asarray(values, dtype=float)[keep],
                               minlength=n_hours)

        count = np.bincount(which, minlength=n_hours).astype(float)
        waits = {stage: per_hour(getattr(c, f"wait_{stage}")) for stage in STAGES}
        gave_up = per_hour(c.outcome == Outcome.ABANDONED)
        unhappy = per_hour(c.detractor_p)
        customers += count
        for stage in STAGES:
            stage_sum[stage] += waits[stage]
        abandoned += gave_up
        detractors += unhappy
        total = max(float(count.sum()), 1.0)
        points += (weights.mean_wait_min * sum(waits.values())
                   + weights.abandon_rate * 100 * gave_up
                   + weights.detractor_rate * 100 * unhappy) / total
        for index, role in enumerate(ROLES):
            staff[role] += integrate(*records.level(index), edges) / width
    days = max(len(result.days), 1)
    seen = np.maximum(customers, 1.0)     # an hour nobody came in waits 0
    wait = {stage: stage_sum[stage] / seen for stage in STAGES}
    opens = float(sc.hours.open)
    return Hours(start=opens + edges[:-1], end=opens + edges[1:], arrivals=customers / days,
                 staff={role: staff[role] / days for role in ROLES}, wait=wait,
                 mean_wait=np.sum([wait[s] for s in STAGES], axis=0), abandon_rate=abandoned / seen,
                 detractor_rate=detractors / seen, points=points / days)


__all__ = ["HOUR", "STAGES", "Hours", "hour_edges", "hourly"]
