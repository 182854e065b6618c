"""Where the roster leaves the target unmet, and the rule that binds there.

A counter gap is a stretch of one day whose intervals are not ``met`` on the fresh days (the
verdicts, so a gap line never disagrees with them); a gap of another role is a stretch where
fewer of its people are on duty than the day's plan has. What binds is found person by
person: each person of the role not already on duty through the stretch is tried on every
shift of that day that would put them there (for someone working that day, a longer shift
that still covers all their own hours), and the rules each try breaks are read off the
roster (``week.rules``, and the windows). A person's binding rules are those of their
least-breaking try; a rule binds the gap for the people it stops. When some try breaks
nothing, no rule binds: the roster could take one more person there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..i18n import _
from ..output.plots import role_name
from ..scenario.clock import format_clock
from ..week.people import Member, Roster
from ..week.rules import breaches, unfair_weekends
from ..week.schema import WEEKDAYS, day_name
from . import problem

if TYPE_CHECKING:  # annotations only: draft imports this module
    from .draft import DayResult

SHOWN = 2              # rules a gap line names (roster.json's ``blocked`` has them all)
FAMILIES = ("weekly_hours", "days_off", "max_consecutive_days", "rest", "weekend", "windows",
            "shifts")


def rule_name(rule: str, cap_field: str = "counters.windows") -> str:
    """A rule family as the planner knows it: the field, or the rule in words."""
    names = {"weekly_hours": "staff.weekly_hours", "days_off": "staff.days_off",
             "max_consecutive_days": "staff.max_consecutive_days",
             "rest": _("11 h rest between shifts"), "weekend": _("fair weekends"),
             "windows": cap_field, "shifts": _("the shift rules")}
    return names.get(rule, rule)


def rule_words(rule: str, cap_field: str = "counters.windows") -> str:
    """A rule family in words, for the gap lines people read (roster.json keeps the field)."""
    if rule == "windows":
        parts = cap_field.split(".")
        if cap_field.startswith("counters.groups.") and len(parts) == 4:
            return _("the windows of counter group {group}").format(group=parts[2])
        if cap_field.startswith("rules.max_on_duty.") and len(parts) == 3:
            return _("the most {role} staff on duty at once").format(role=role_name(parts[2]))
        return _("the number of counter windows")
    names = {"weekly_hours": _("weekly hours"), "days_off": _("days off"),
             "max_consecutive_days": _("most days in a row")}
    return names.get(rule) or rule_name(rule, cap_field)


@dataclass(frozen=True)
class Gap:
    """A stretch of one day left short, and who is stopped from filling it by which rule."""

    day: str
    role: str
    start: int                  # minutes since midnight
    end: int
    short: float                # most staff missing against the requirement or plan (may be 0)
    binds: tuple[str, ...]      # rule families that stop someone, most people first
    reason: str                 # "target" (counter, not met), "plan" (other roles)
    blocked: dict[str, tuple[str, ...]] = field(default_factory=dict)   # rule -> people
    free: tuple[str, ...] = ()  # people who could be put there without breaking a rule
    cap_field: str = "counters.windows"

    def _rules(self) -> str:
        """The two rules that stop the most people, with whom (all in ``blocked``)."""
        parts = []
        for rule in self.binds[:SHOWN]:
            names = list(self.blocked[rule])
            shown = _(", ").join(names[:3]) + (_(" and {n} more").format(n=len(names) - 3)
                                               if len(names) > 3 else "")
            parts.append(_("{rule} ({people})").format(rule=rule_words(rule, self.cap_field),
                                                       people=shown))
        return _("; ").join(parts)

    @property
    def message(self) -> str:
        where = {"day": day_name(self.day), "start": format_clock(self.start),
                 "end": format_clock(self.end), "role": role_name(self.role)}
        if self.reason == "target":
            head = _("{day} {start}-{end}: the target is not met").format(**where)
        else:
            head = _("{day} {start}-{end}: up to {short:g} {role} staff short of the day's "
                     "plan").format(short=self.short, **where)
        if self.free:
            return head + _("; no rule binds: {people} could work there within every rule "
                            "(the repair rounds ended first)").format(
                people=", ".join(self.free[:3]) + (_(" and {n} more").format(
                    n=len(self.free) - 3) if len(self.free) > 3 else ""))
        if not self.binds:
            return head + _("; binding: the number of people (every {role} person is on duty "
                            "there already)").format(**where)
        return head + _("; binding: {rules}").format(rules=self._rules())

    def document(self) -> dict:
        return {"day": self.day, "role": self.role, "from": format_clock(self.start),
                "to": format_clock(self.end), "short": self.short,
                "binds": [rule_name(b, self.cap_field) for b in self.binds],
                "blocked": {rule_name(r, self.cap_field): list(n)
                            for r, n in self.blocked.items()},
                "free": list(self.free), "reason": self.reason, "message": self.message}


def _stretches(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True as (first, last + 1) index pairs."""
    on = np.concatenate(([False], mask, [False]))
    starts = np.nonzero(on[1:] & ~on[:-1])[0]
    ends = np.nonzero(~on[1:] & on[:-1])[0]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _index(d: problem.DayInput, roster_day: dict) -> dict[str, int | None]:
    """Each person's candidate on the day (None: off, or a duty not among the candidates)."""
    by_duty = {problem.as_duty(c): i for i, c in enumerate(d.candidates)}
    return {name: (None if duty is None else by_duty.get(duty))
            for name, duty in roster_day.items()}


def person_tries(person: Member, group: Sequence[Member], d: problem.DayInput, a: int, b: int,
                 roster: Roster, open_days: set[str]) -> frozenset[str] | None:
    """The rule families the least-breaking try of ``person`` in intervals ``a:b`` of day
    ``d`` breaks (empty: one breaks nothing); None when they are on duty there already."""
    chosen = _index(d, roster[d.day])
    own = chosen.get(person.name)
    mine = float(d.cover[own, a:b].sum()) if own is not None else 0.0
    if own is not None and mine >= (b - a) - 1e-9:
        return None
    present = np.zeros(d.present.shape[1])
    for name, i in chosen.items():
        if i is not None and name != person.name:
            present += d.present[i]
    best: frozenset[str] | None = None
    for i, c in enumerate(d.candidates):
        if float(d.cover[i, a:b].sum()) <= mine + 1e-9:
            continue                  # puts them no more into the stretch than now
        if own is not None and (d.cover[i] < d.cover[own] - 1e-9).any():
            continue                  # would take them from hours they cover now
        trial = {day: dict(people) for day, people in roster.items()}
        trial[d.day][person.name] = problem.as_duty(c)
        broken = {br.rule for br in breaches([person], trial, open_days)}
        if any(br.rule == "weekend" for br in unfair_weekends(list(group), trial)):
            broken.add("weekend")
        if ((present + d.present[i]) > d.cap).any():
            broken.add("windows")
        found = frozenset(broken)
        if best is None or (len(found), sorted(found)) < (len(best), sorted(best)):
            best = found
        if not best:
            break
    return best if best is not None else frozenset({"shifts"})


def diagnose(group: Sequence[Member], d: problem.DayInput, a: int, b: int, roster: Roster,
             open_days: set[str]) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]],
                                            tuple[str, ...]]:
    """(binding rule families, most people first; rule → people it stops; people free to
    work there) for intervals ``a:b`` of day ``d``."""
    blocked: dict[str, list[str]] = {}
    free = []
    for person in group:
        found = person_tries(person, group, d, a, b, roster, open_days)
        if found is None:
            continue
        if not found:
            free.append(person.name)
        for rule in found:
            blocked.setdefault(rule, []).append(person.name)
    order = sorted(blocked, key=lambda r: (-len(blocked[r]), FAMILIES.index(r)
                                           if r in FAMILIES else len(FAMILIES)))
    return tuple(order), {r: tuple(blocked[r]) for r in order}, tuple(free)


def find(people: Sequence[Member], roles: Sequence[str],
         inputs: dict[str, dict[str, problem.DayInput]], roster: Roster,
         results: dict[str, DayResult]) -> list[Gap]:
    """Every gap of the drafted roster, day by day, with the rules that bind each."""
    gaps: list[Gap] = []
    open_days = set(results)
    for role in roles:
        group = [p for p in people if p.role == role]
        for d in inputs[role].values():
            on = problem.scheduled(roster[d.day], d)
            if role == "counter":
                unmet = ~results[d.day].metric["meets"].to_numpy(dtype=bool)
            else:
                unmet = d.need - on > 1e-6
            for a, b in _stretches(unmet):
                binds, blocked, free = diagnose(group, d, a, b, roster, open_days)
                short = float(max(math.ceil(float((d.need - on)[a:b].max()) - 1e-9), 0))
                gaps.append(Gap(d.day, role, int(d.edges[a]), int(d.edges[b]), short, binds,
                                "target" if role == "counter" else "plan", blocked, free,
                                d.cap_field))
    return sorted(gaps, key=lambda g: (WEEKDAYS.index(g.day), g.start, g.role))


def infeasible_message(group: Sequence[Member], days: Sequence[problem.DayInput], role: str,
                       origin: str) -> str:
    """Why no roster keeps every contract of ``role``: the first rule whose lifting helps."""
    for rule in problem.active(group, days):
        if problem.solve(group, days, relax=(rule,), gap=1.0).feasible:
            return _("{origin}: staff: no roster keeps every contract of the {role} staff "
                     "together; {rule} binds (lifted, a roster exists)").format(
                origin=origin, role=role, rule=rule_name(rule))
    return _("{origin}: staff: no roster keeps every contract of the {role} staff together, "
             "even with any one rule lifted").format(origin=origin, role=role)
