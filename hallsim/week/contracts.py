"""Checks of a week file's staff list and roster, each located at a field.

Before any drafting: names are unique, and each person's weekly hours can be met by some
pattern of working days (open days, days off, days in a row) and shift lengths the rules
allow. A roster in the file (hand-edited, or written by ``hallsim staff``) names known people
on weekdays and keeps every rule: the contracts of ``rules.py`` and the shift rules of
``shiftrules.py``, the same rules the drafted shifts are made by.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Mapping
from typing import Any

from ..errors import quote
from ..i18n import _
from ..planning.rules import PlanningRules, Rules
from ..scenario.schema import ScenarioModel
from ..staffing.candidates import DEFAULT_RULES, counter_cap
from .people import Member, Roster, duty, members
from .rules import Breach, breaches, longest_run
from .schema import WEEKDAYS, WeekModel
from .shiftrules import DayLimits, shift_breaches

Loc = tuple[Any, ...]


def roster_rules(model: WeekModel) -> PlanningRules:
    """The shift rules of the roster: the week file's, else the advisor's defaults."""
    return model.rules if model.rules is not None else DEFAULT_RULES


def longest_paid_minutes(rules: Rules, open_: int, close: int) -> float:
    """The longest shift the rules allow in a day open ``open_``..``close``, breaks unpaid."""
    length = min(rules.max_shift_hours * 60.0, float(close - open_))
    rule = rules.break_rule
    if rule is not None and length > rule.over_hours * 60 + 1e-9:
        length = max(rule.over_hours * 60, length - rule.min_minutes)
    return length


def _patterns(open_days: list[bool], most_days: int, most_in_a_row: int) -> list[list[bool]]:
    """Every set of working days a person may work (open days only, around the week)."""
    out = []
    for works in itertools.product((False, True), repeat=7):
        days = list(works)
        if any(w and not o for w, o in zip(days, open_days, strict=True)):
            continue
        if sum(days) > most_days or longest_run(days)[0] > most_in_a_row:
            continue
        out.append(days)
    return out


def check_staff(model: WeekModel, spans: dict[str, tuple[int, int]]) -> list[tuple[Loc, str]]:
    """Unique names, and weekly hours that some pattern of days and shifts can meet.

    ``spans``: each open weekday's opening hours (minutes since midnight).
    """
    out: list[tuple[Loc, str]] = []
    rules = roster_rules(model)
    seen: dict[str, int] = {}
    for m in members(model.staff):
        if m.name in seen and seen[m.name] != m.entry:
            out.append((("staff", m.entry, "name"), _("{name} is already on the staff list "
                                                       "(entry {first}); names must be unique")
                        .format(name=quote(m.name), first=seen[m.name])))
        seen.setdefault(m.name, m.entry)
    longest = {d: longest_paid_minutes(rules, *spans[d]) / 60.0 for d in spans}
    shortest = max(rules.min_shift_hours, 0.0)
    open_days = [d in spans for d in WEEKDAYS]
    for i, person in enumerate(model.staff):
        low, high = person.weekly_hours
        patterns = _patterns(open_days, 7 - person.days_off, person.max_consecutive_days)
        best = max((sum(longest[d] for d, w in zip(WEEKDAYS, p, strict=True) if w)
                    for p in patterns), default=0.0)
        days = max((sum(p) for p in patterns), default=0)
        if low > best + 1e-9:
            out.append((("staff", i, "weekly_hours"), _(
                "no pattern of shifts reaches {low:g} h: at most {days} working days (open days, "
                "days_off: {off}, max_consecutive_days: {row}) of shifts of at most {longest} "
                "paid make {best:g} h").format(
                low=low, days=days, off=person.days_off, row=person.max_consecutive_days,
                longest=", ".join(sorted({f"{h:g} h" for h in longest.values()})),
                best=round(best, 2))))
        elif low > 0 and high + 1e-9 < shortest:
            out.append((("staff", i, "weekly_hours"), _(
                "at most {high:g} h a week is less than the shortest shift the rules allow "
                "({shortest:g} h)").format(high=high, shortest=shortest)))
    return out


def read_roster(model: WeekModel, people: list[Member]) -> tuple[Roster, list[tuple[Loc, str]]]:
    """The file's roster as duties per weekday and person, and what is wrong with its names."""
    out: list[tuple[Loc, str]] = []
    roster: Roster = {d: {} for d in WEEKDAYS}
    names = [p.name for p in people]
    for day, cells in (model.roster or {}).items():
        if day not in WEEKDAYS:
            close = difflib.get_close_matches(day, WEEKDAYS, n=1)
            hint = _(" (did you mean '{name}'?)").format(name=close[0]) if close else ""
            out.append((("roster", day), _("unknown weekday {day}{hint}; expected one of {days}")
                        .format(day=quote(day), hint=hint, days=", ".join(WEEKDAYS))))
            continue
        for name, cell in cells.items():
            if name not in names:
                close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
                hint = f" (did you mean {quote(close[0])}?)" if close else ""
                out.append((("roster", day, name), _("{name} is not on the staff list{hint}")
                            .format(name=quote(name), hint=hint)))
                continue
            roster[day][name] = None if cell == "off" else duty(cell)
    return roster, out


def day_limits(model: WeekModel, scenarios: Mapping[str, ScenarioModel]) -> dict[str, DayLimits]:
    """Each open day's opening hours and, per role on the staff list, the most on duty at
    once (counters: the windows or ``rules.max_on_duty.counter``)."""
    rules = roster_rules(model)
    roles = sorted({p.role for p in model.staff})
    out = {}
    for day, sc in scenarios.items():
        caps: dict[str, tuple[int, str]] = {}
        for role in roles:
            if role == "counter":
                caps[role] = counter_cap(sc, rules)
            elif role in rules.max_on_duty:
                caps[role] = (int(rules.max_on_duty[role]), f"rules.max_on_duty.{role}")
        out[day] = DayLimits(int(sc.hours.open), int(sc.hours.close), caps)
    return out


def roster_breaches(model: WeekModel, roster: Roster, scenarios: Mapping[str, ScenarioModel]
                    ) -> list[Breach]:
    """Every rule ``roster`` breaks, contracts and shift rules alike: the one check a drafted
    roster and a hand-written one both go through (``scenarios``: each open day's)."""
    people = members(model.staff)
    return (breaches(people, roster, set(scenarios))
            + shift_breaches(people, roster, day_limits(model, scenarios), roster_rules(model)))


def check_roster(model: WeekModel, scenarios: Mapping[str, ScenarioModel]
                 ) -> list[tuple[Loc, str]]:
    """Every rule the file's roster breaks, located at the roster cell or the staff entry."""
    people = members(model.staff)
    roster, out = read_roster(model, people)
    if out:
        return out
    entry = {p.name: p.entry for p in people}
    for breach in roster_breaches(model, roster, scenarios):
        cells = (model.roster or {}).get(breach.day or "", {})
        if breach.day is not None and breach.person in cells:
            out.append((("roster", breach.day, breach.person, *breach.part), breach.message))
        else:
            field = breach.rule if breach.rule in ("weekly_hours", "days_off") else None
            loc: Loc = ("staff", entry[breach.person]) + ((field,) if field else ())
            out.append((loc, breach.message))
    return out
