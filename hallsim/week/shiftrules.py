"""The shift rules every rostered duty keeps: the same rules the drafted shifts are made by
(``hallsim.staffing.candidates.generate``), checked on the roster itself.

Per duty: it ends after it starts, within the day's opening hours; its length (breaks
included) is within ``rules.min_shift_hours``..``rules.max_shift_hours``; it starts at one of
``rules.start_times`` when they are listed; its breaks lie inside it, in order; a duty longer
than the break rule's ``over_hours`` has a break of at least its ``min_minutes`` (lengthened
to the lunch when there is one), starting in the ``lunch`` window when the duty spans it. Per
day and role: at most the cap on duty at once (``counters.windows`` or
``rules.max_on_duty.ROLE``, breaks not counted).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..i18n import _
from ..planning.rules import PlanningRules
from ..scenario.clock import format_clock
from ..staffing.candidates import break_rule, lunch_slots
from .people import Duty, Member, Roster
from .rules import Breach
from .schema import WEEKDAYS, day_name

EPS = 1e-9


@dataclass(frozen=True)
class DayLimits:
    """One open day: its opening hours (minutes since midnight) and, per role, the most
    staff on duty at once and the field that sets it."""

    open: int
    close: int
    caps: Mapping[str, tuple[int, str]] = field(default_factory=dict)


def duty_breaches(name: str, day: str, duty: Duty, limits: DayLimits,
                  rules: PlanningRules) -> list[Breach]:
    """Every shift rule one duty breaks."""
    out: list[Breach] = []
    when = {"person": name, "day": day_name(day), "start": format_clock(duty.start),
            "end": format_clock(duty.end)}

    def add(part: tuple, message: str) -> None:
        out.append(Breach(name, "shifts", day, message, part))

    if duty.end <= duty.start:
        add(("end",), _("{person}'s shift on {day} ends ({end}) before it starts ({start})")
            .format(**when))
        return out
    if duty.start < limits.open or duty.end > limits.close:
        add(("start",) if duty.start < limits.open else ("end",), _(
            "{person} works {start}-{end} on {day}, outside the opening hours "
            "({open}-{close})").format(open=format_clock(limits.open),
                                       close=format_clock(limits.close), **when))
    hours = (duty.end - duty.start) / 60.0
    if hours < rules.min_shift_hours - EPS:
        add(("end",), _("{person}'s shift on {day} ({start}-{end}) is {hours:g} h long; "
                        "rules.min_shift_hours is {limit:g} h").format(
            hours=round(hours, 2), limit=rules.min_shift_hours, **when))
    if hours > rules.max_shift_hours + EPS:
        add(("end",), _("{person}'s shift on {day} ({start}-{end}) is {hours:g} h long; "
                        "rules.max_shift_hours is {limit:g} h").format(
            hours=round(hours, 2), limit=rules.max_shift_hours, **when))
    if rules.start_times is not None and duty.start not in rules.start_times:
        add(("start",), _("{person}'s shift on {day} starts at {start}; rules.start_times "
                          "allows {allowed}").format(
            allowed=", ".join(format_clock(t) for t in rules.start_times), **when))
    out += _break_breaches(name, day, duty, rules, when)
    return out


def _break_breaches(name: str, day: str, duty: Duty, rules: PlanningRules,
                    when: dict[str, str]) -> list[Breach]:
    out: list[Breach] = []
    previous = float(duty.start)
    for j, (at, minutes) in enumerate(duty.breaks):
        if at < duty.start or at + minutes > duty.end:
            out.append(Breach(name, "shifts", day, _(
                "{person}'s break on {day} ({at}+{minutes:g} min) must lie inside the shift "
                "{start}-{end}").format(at=format_clock(at), minutes=minutes, **when), ("breaks", j)))
        elif at < previous:
            out.append(Breach(name, "shifts", day, _(
                "{person}'s breaks on {day} must be in time order and must not overlap")
                .format(**when), ("breaks", j)))
        previous = max(previous, at + minutes)
    rule = break_rule(rules)
    if rule is None or duty.end - duty.start <= rule.over_hours * 60 + EPS:
        return out
    long_enough = [(at, m) for at, m in duty.breaks if m >= rule.min_minutes - EPS]
    if not long_enough:
        out.append(Breach(name, "shifts", day, _(
            "{person}'s shift on {day} ({start}-{end}) is over {over:g} h and needs a break of "
            "at least {minutes:g} min (rules.break_rule)").format(
            over=rule.over_hours, minutes=rule.min_minutes, **when),
            ("breaks",) if duty.breaks else ()))
        return out
    lunch = rules.lunch
    spans_lunch = lunch is not None and bool(lunch_slots(duty.start, duty.end, rule.min_minutes,
                                                         rules))
    if lunch is not None and spans_lunch and not any(
            lunch.start <= at <= lunch.end - rule.min_minutes + EPS for at, _m in long_enough):
        out.append(Breach(name, "shifts", day, _(
            "{person}'s break on {day} must start in the lunch window {first}-{last} "
            "(rules.lunch)").format(first=format_clock(lunch.start),
                                    last=format_clock(lunch.end - rule.min_minutes), **when),
            ("breaks",)))
    return out


def crowding(people: list[Member], roster: Roster, days: Mapping[str, DayLimits]
             ) -> list[Breach]:
    """More staff of a role on duty at once than the day's cap: one breach per day and role,
    at the person whose arrival first goes over it."""
    out: list[Breach] = []
    role_of = {p.name: p.role for p in people}
    for day in WEEKDAYS:
        limits = days.get(day)
        if limits is None:
            continue
        for role, (cap, cap_field) in sorted(limits.caps.items()):
            changes: list[tuple[float, int, str]] = []
            for name, duty in roster.get(day, {}).items():
                if duty is None or role_of.get(name) != role or duty.end <= duty.start:
                    continue
                changes += [(duty.start, 1, name), (duty.end, -1, name)]
                for at, minutes in duty.breaks:
                    changes += [(at, -1, name), (at + minutes, 1, name)]
            on = 0
            for t, delta, name in sorted(changes, key=lambda c: (c[0], c[1])):
                on += delta
                if on > cap:
                    out.append(Breach(name, "windows", day, _(
                        "{n} {role} staff are rostered on duty on {day} at {time}; {field} "
                        "allows {cap}").format(n=on, role=role, day=day_name(day),
                                               time=format_clock(t), field=cap_field, cap=cap)))
                    break
    return out


def shift_breaches(people: list[Member], roster: Roster, days: Mapping[str, DayLimits],
                   rules: PlanningRules) -> list[Breach]:
    """Every shift rule ``roster`` breaks: duty by duty (Monday first, in staff order), then
    the caps on duty at once."""
    out: list[Breach] = []
    for day in WEEKDAYS:
        limits = days.get(day)
        if limits is None:
            continue
        for p in people:
            duty = roster.get(day, {}).get(p.name)
            if duty is not None:
                out += duty_breaches(p.name, day, duty, limits, rules)
    return out + crowding(people, roster, days)
