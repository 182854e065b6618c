"""Where the people cannot cover the target, and which rule binds.

A gap is a stretch of one day where the roster leaves fewer people on duty than the
requirement, or where the verified target is missed with every window staffed. Which rule
binds is found by lifting each family of rules in turn (weekly hours, days off, days in a
row, rest, fair weekends, the windows) and solving again: a rule binds when lifting it alone
covers more of the requirement.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..i18n import _
from ..scenario.clock import format_clock
from ..week.people import Member, Roster
from ..week.schema import WEEKDAYS, day_name
from . import problem

if TYPE_CHECKING:  # annotations only: draft imports this module
    from .draft import DayResult

DIAGNOSIS_TIME_S = 10.0


def rule_name(rule: str) -> str:
    """A rule family as the planner knows it: the field, or the rule in words."""
    names = {"weekly_hours": "staff.weekly_hours", "days_off": "staff.days_off",
             "max_consecutive_days": "staff.max_consecutive_days",
             "rest": _("11 h rest between shifts"), "weekend": _("fair weekends"),
             "windows": "counters.windows"}
    return names.get(rule, rule)


@dataclass(frozen=True)
class Gap:
    day: str
    role: str
    start: int                  # minutes since midnight
    end: int
    short: float                # most staff missing in the stretch
    binds: tuple[str, ...]      # rule families that, lifted, would cover more
    reason: str                 # "people" (too few on the roster) or "windows" (all staffed)

    @property
    def message(self) -> str:
        rules = ", ".join(rule_name(b) for b in self.binds) if self.binds else _(
            "the number of people")
        if self.reason == "windows":
            return _("{day} {start}-{end}: the target is missed with every counter window "
                     "staffed; binding: counters.windows").format(
                day=day_name(self.day), start=format_clock(self.start), end=format_clock(self.end))
        return _("{day} {start}-{end}: up to {short:g} {role} staff short of the requirement; "
                 "binding: {rules}").format(day=day_name(self.day), start=format_clock(self.start),
                                             end=format_clock(self.end), short=self.short,
                                             role=self.role, rules=rules)

    def document(self) -> dict:
        return {"day": self.day, "role": self.role, "from": format_clock(self.start),
                "to": format_clock(self.end), "short": self.short, "binds": list(self.binds),
                "reason": self.reason, "message": self.message}


def total_short(solution: problem.Solution, days: Sequence[problem.DayInput]) -> float:
    """Uncovered staff-hours of a solution."""
    return sum(float(solution.shortfall[d.day] @ d.width) for d in days)


def binding(group: Sequence[Member], days: Sequence[problem.DayInput], short: float) -> list[str]:
    """The rule families whose lifting alone covers more than ``short`` staff-hours."""
    out = []
    for rule in problem.active(group, days):
        lifted = problem.solve(group, days, relax=(rule,), time_limit=DIAGNOSIS_TIME_S)
        if lifted.feasible and total_short(lifted, days) < short - 1e-6:
            out.append(rule)
    return out


def _stretches(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True as (first, last + 1) index pairs."""
    on = np.concatenate(([False], mask, [False]))
    starts = np.nonzero(on[1:] & ~on[:-1])[0]
    ends = np.nonzero(~on[1:] & on[:-1])[0]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def find(people: Sequence[Member], roles: Sequence[str],
         inputs: dict[str, dict[str, problem.DayInput]], roster: Roster,
         results: dict[str, DayResult]) -> list[Gap]:
    """Every gap of the drafted roster, day by day, with the rules that bind."""
    gaps: list[Gap] = []
    for role in roles:
        days = list(inputs[role].values())
        group = [p for p in people if p.role == role]
        missing = {d.day: np.maximum(d.need - problem.scheduled(roster[d.day], d), 0.0)
                   for d in days}
        short = sum(float(missing[d.day] @ d.width) for d in days)
        binds = tuple(binding(group, days, short)) if short > 1e-6 else ()
        for d in days:
            for a, b in _stretches(missing[d.day] > 1e-6):
                gaps.append(Gap(d.day, role, int(d.edges[a]), int(d.edges[b]),
                                math.ceil(float(missing[d.day][a:b].max()) - 1e-9), binds,
                                "people"))
            if role != "counter":
                continue
            on = problem.scheduled(roster[d.day], d)
            missed = ~results[d.day].metric["meets"].to_numpy(dtype=bool)
            full = missed & (np.ceil(on - 1e-9) >= d.cap) & (missing[d.day] <= 1e-6)
            for a, b in _stretches(full):
                gaps.append(Gap(d.day, role, int(d.edges[a]), int(d.edges[b]), 0.0,
                                ("windows",), "windows"))
    return sorted(gaps, key=lambda g: (WEEKDAYS.index(g.day), g.start, g.role))


def infeasible_message(group: Sequence[Member], days: Sequence[problem.DayInput], role: str,
                       origin: str) -> str:
    """Why no roster keeps every contract of ``role``: the first rule whose lifting helps."""
    for rule in problem.active(group, days):
        if problem.solve(group, days, relax=(rule,), time_limit=DIAGNOSIS_TIME_S).feasible:
            return _("{origin}: staff: no roster keeps every contract of the {role} staff "
                     "together; {rule} binds (lifted, a roster exists)").format(
                origin=origin, role=role, rule=rule_name(rule))
    return _("{origin}: staff: no roster keeps every contract of the {role} staff together, "
             "even with any one rule lifted").format(origin=origin, role=role)
