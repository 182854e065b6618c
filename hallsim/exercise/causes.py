"""Why one plan waited longer than another at some time of day: the stretch of its schedule
with fewer staff of a role on duty than the other plan (and whether they were on break),
or, when its schedule was never short, the stage where its customers waited longer.

Schedules are read minute by minute from the plans' shifts, so a stretch is named exactly
as the plan wrote it (12:00–12:45), not rounded to the hour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario.schema import ScenarioModel
from .hourly import STAGES, Hours

# How much a missing staff member of each role weighs when choosing the stretch to name.
ROLE_WEIGHT = {"counter": 1.0, "triage": 0.5, "preprocess": 0.5}
LOOK_BACK = 60.0     # a queue built in the hour before still delays the customers of this one


@dataclass(frozen=True)
class Shortfall:
    """From ``start`` to ``end`` (minutes after midnight) the plan had ``on_duty`` staff of
    ``role`` on duty, ``on_shift`` of them at work that day (the rest on break), where the
    other plan had ``other``."""

    role: str
    start: float
    end: float
    on_duty: int
    on_shift: int
    other: int

    @property
    def on_break(self) -> int:
        return self.on_shift - self.on_duty


@dataclass(frozen=True)
class StageGap:
    """In the decisive hours the plan's customers waited ``minutes`` at ``stage`` per
    customer, where the other plan's waited ``other``."""

    stage: str
    minutes: float
    other: float


Cause = Shortfall | StageGap


def schedule(sc: ScenarioModel, role: str, breaks: bool = True) -> np.ndarray:
    """Staff of a role on duty in each minute from opening to closing (breaks taken out
    unless ``breaks`` is False: then everyone on shift)."""
    opens, closes = int(sc.hours.open), int(np.ceil(sc.hours.close))
    minutes = np.zeros(closes - opens, dtype=int)

    def add(start: float, end: float, n: int) -> None:
        lo, hi = max(int(round(start)) - opens, 0), min(int(round(end)) - opens, len(minutes))
        if hi > lo:
            minutes[lo:hi] += n

    for shift in sc.shifts:
        if shift.role != role or shift.count == 0:
            continue
        add(shift.start, shift.end, shift.count)
        if breaks:
            for brk in shift.breaks:
                add(brk.at, brk.at + brk.minutes, -shift.count)
    return minutes


def shortfall(plan: ScenarioModel, other: ScenarioModel, start: float,
              end: float) -> Shortfall | None:
    """The stretch, touching ``[start - LOOK_BACK, end)``, where ``plan`` was most short of
    ``other``'s staff (missing staff × minutes in that window, counters weighing most)."""
    opens = int(plan.hours.open)
    lo, hi = int(start - LOOK_BACK) - opens, int(end) - opens
    best: tuple[float, Shortfall] | None = None
    for role, weight in ROLE_WEIGHT.items():
        mine, theirs = schedule(plan, role), schedule(other, role)
        shift = schedule(plan, role, breaks=False)
        size = min(len(mine), len(theirs))
        short = mine[:size] < theirs[:size]
        k = 0
        while k < size:
            if not short[k]:
                k += 1
                continue
            j = k
            while j < size and short[j] and mine[j] == mine[k] and theirs[j] == theirs[k]:
                j += 1
            overlap = max(0, min(j, hi) - max(k, lo))
            weighed = weight * (theirs[k] - mine[k]) * overlap
            if overlap and (best is None or weighed > best[0]):
                best = (weighed, Shortfall(role, float(opens + k), float(opens + j),
                                           int(mine[k]), int(shift[k]), int(theirs[k])))
            k = j
    return best[1] if best else None


def stage_gap(mine: Hours, other: Hours, hours: list[int]) -> StageGap:
    """The stage where the plan's customers waited longest beyond the other plan's, over the
    given hours (weighted by the customers arriving in each)."""
    weights = mine.arrivals[hours]
    total = max(float(weights.sum()), 1e-9)

    def pooled(h: Hours, stage: str) -> float:
        return float((h.wait[stage][hours] * weights).sum() / total)

    stage = max(STAGES, key=lambda s: abs(pooled(mine, s) - pooled(other, s)))
    return StageGap(stage, pooled(mine, stage), pooled(other, stage))


def cause(plan: ScenarioModel, other: ScenarioModel, mine: Hours, theirs: Hours,
          hours: list[int]) -> Cause:
    """Why ``plan`` did worse than ``other`` in the given hours: its staffing, or else the
    stage where its customers waited."""
    start, end = float(mine.start[hours[0]]), float(mine.end[hours[-1]])
    found = shortfall(plan, other, start, end)
    return found if found is not None else stage_gap(mine, theirs, hours)


__all__ = ["Cause", "Shortfall", "StageGap", "cause", "schedule", "shortfall", "stage_gap"]
