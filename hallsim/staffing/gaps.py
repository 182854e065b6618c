"""Where the rules leave the requirement uncovered, and which rule is to blame.

The cap on staff at once (the windows, or ``max_on_duty.counter`` when lower) binds wherever
the requirement is above it. For the rest of an uncovered stretch, each shift rule is lifted
in turn and the program solved again: a rule binds in an interval when lifting it alone
covers more of that interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..i18n import _
from ..planning.rules import PlanningRules
from ..scenario.clock import format_clock
from ..scenario.schema import ScenarioModel
from . import milp
from .candidates import RELAXABLE, counter_cap, generate


@dataclass(frozen=True)
class Gap:
    first: int                 # interval indices, inclusive
    last: int
    start: str                 # clock times
    end: str
    uncovered: float           # the most staff missing in any of its intervals
    rule: str                  # the binding field, e.g. "counters.windows"
    message: str

    def document(self) -> dict:
        return {"start": self.start, "end": self.end, "uncovered": round(self.uncovered, 2),
                "rule": self.rule, "message": self.message}


def find(cover: milp.Cover, sc: ScenarioModel, rules: PlanningRules, edges: np.ndarray,
         only: np.ndarray | None = None, group: str | None = None) -> list[Gap]:
    """Each stretch of consecutive uncovered intervals with the same binding rule
    (``only``: a mask of the intervals that may be named; ``group``: ``sc`` is that counter
    group's own hall, and its windows are ``counters.groups.GROUP.windows``)."""
    short = cover.shortfall
    if only is not None:
        short = np.where(np.asarray(only, dtype=bool), short, 0.0)
    if not (short > 1e-6).any():
        return []
    cap, cap_field = counter_cap(sc, rules)
    if group is not None and cap_field == "counters.windows":
        cap_field = f"counters.groups.{group}.windows"
    blame = [""] * len(short)
    gross = scheduled_need(cover.need, rules)
    for k in np.nonzero(short > 1e-6)[0].tolist():
        if gross[k] > cap + 1e-9:
            blame[k] = cap_field
    rest = [k for k in np.nonzero(short > 1e-6)[0].tolist() if not blame[k]]
    if rest:
        for name, lifted_value in RELAXABLE.items():
            if getattr(rules, name) == lifted_value:
                continue                       # nothing to lift
            relaxed = rules.model_copy(update={name: lifted_value})
            lifted = milp.solve(generate(sc, relaxed), sc, cover.need, cap, relaxed).shortfall
            for k in rest:
                if not blame[k] and lifted[k] < short[k] - 1e-6:
                    blame[k] = f"rules.{name}"
        for k in rest:
            blame[k] = blame[k] or "rules"
    gaps: list[Gap] = []
    k = 0
    while k < len(short):
        if not blame[k]:
            k += 1
            continue
        last = k
        while last + 1 < len(short) and blame[last + 1] == blame[k]:
            last += 1
        start = format_clock(sc.hours.open + edges[k])
        end = format_clock(sc.hours.open + edges[last + 1])
        missing = float(short[k:last + 1].max())
        most = int(math.ceil(float(gross[k:last + 1].max()) - 1e-9))
        gaps.append(Gap(k, last, start, end, missing, blame[k],
                        _message(blame[k], start, end, missing, cap, most)))
        k = last + 1
    return gaps


def scheduled_need(need: np.ndarray, rules: PlanningRules) -> np.ndarray:
    """Staff to schedule for ``need`` available, shrinkage covered."""
    return np.asarray(need, dtype=float) / (1.0 - rules.shrinkage)


def _message(rule: str, start: str, end: str, missing: float, cap: int, need: int) -> str:
    if rule == "counters.windows":
        return _("{start}-{end}: the target needs up to {need} counter staff but the hall has "
                 "{cap} windows; up to {missing:.1f} short (counters.windows)").format(
            start=start, end=end, need=need, cap=cap, missing=missing)
    if rule.startswith("counters.groups."):
        return _("{start}-{end}: the target needs up to {need} counter staff but the group has "
                 "{cap} windows; up to {missing:.1f} short ({field})").format(
            start=start, end=end, need=need, cap=cap, missing=missing, field=rule)
    if rule == "rules.max_on_duty.counter":
        return _("{start}-{end}: the target needs up to {need} counter staff but the rules allow "
                 "{cap} on duty at once (rules.max_on_duty.counter); up to {missing:.1f} short"
                 ).format(start=start, end=end, need=need, cap=cap, missing=missing)
    if rule == "rules":
        return _("{start}-{end}: up to {missing:.1f} counter staff short; no single rule is to "
                 "blame, the rules together cannot cover it").format(
            start=start, end=end, missing=missing)
    return _("{start}-{end}: up to {missing:.1f} counter staff short; the binding rule is "
             "{rule}").format(start=start, end=end, missing=missing, rule=rule)
