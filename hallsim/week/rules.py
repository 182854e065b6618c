"""The rules every roster keeps (contract section 10), checked on the roster itself.

Per person: paid hours in the week within ``weekly_hours``; at least ``days_off`` days off
(closed days count); nobody works a closed day; at most ``max_consecutive_days`` working days
in a row and at least 11 hours of rest between the end of one day's shift and the start of
the next day's, both counted around the week (Sunday runs into Monday: the roster repeats).
Among the people of one role, the weekend days they work differ by at most one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..i18n import _
from ..scenario.clock import format_clock
from .people import Member, Roster
from .schema import WEEKDAYS, WEEKEND

REST_MINUTES = 11 * 60
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Breach:
    """A rule a roster breaks: whose, which rule (a staff field), on which day."""

    person: str
    rule: str
    day: str | None
    message: str
    part: tuple = ()            # where in the day's roster cell (("breaks", 0)), if anywhere


def working_days(roster: Roster, name: str) -> list[bool]:
    """Whether ``name`` works each weekday, Monday first."""
    return [roster.get(d, {}).get(name) is not None for d in WEEKDAYS]


def longest_run(days: list[bool]) -> tuple[int, int]:
    """The longest run of working days around the week, and the index of its first day."""
    if all(days):
        return 7, 0
    best, first = 0, 0
    for i in range(7):
        if days[i] and not days[i - 1]:
            n = 0
            while days[(i + n) % 7]:
                n += 1
            if n > best:
                best, first = n, i
    return best, first


def breaches(people: list[Member], roster: Roster, open_days: set[str]) -> list[Breach]:
    """Every rule ``roster`` breaks, person by person, then weekend fairness by role."""
    out: list[Breach] = []
    for p in people:
        works = working_days(roster, p.name)
        duties = [roster.get(d, {}).get(p.name) for d in WEEKDAYS]
        hours = sum(d.paid_minutes for d in duties if d is not None) / 60.0
        if hours < p.min_hours - 1e-6 or hours > p.max_hours + 1e-6:
            out.append(Breach(p.name, "weekly_hours", None, _(
                "{person} is rostered {hours:g} h; weekly_hours allows {low:g}-{high:g} h").format(
                person=p.name, hours=round(hours, 2), low=p.min_hours, high=p.max_hours)))
        if sum(works) > 7 - p.days_off:
            out.append(Breach(p.name, "days_off", None, _(
                "{person} works {n} days; days_off: {off} allows at most {most}").format(
                person=p.name, n=sum(works), off=p.days_off, most=7 - p.days_off)))
        for day, on in zip(WEEKDAYS, works, strict=True):
            if on and day not in open_days:
                out.append(Breach(p.name, "closed", day, _(
                    "{person} is rostered on {day}, when the hall is closed").format(
                    person=p.name, day=day)))
        run, first = longest_run(works)
        if run > p.max_consecutive:
            out.append(Breach(p.name, "max_consecutive_days", WEEKDAYS[first], _(
                "{person} works {n} days in a row from {day}; max_consecutive_days is "
                "{most}").format(person=p.name, n=run, day=WEEKDAYS[first], most=p.max_consecutive)))
        for i, today in enumerate(duties):
            tomorrow = duties[(i + 1) % 7]
            if today is None or tomorrow is None:
                continue
            rest = DAY_MINUTES + tomorrow.start - today.end
            if rest < REST_MINUTES:
                out.append(Breach(p.name, "rest", WEEKDAYS[i], _(
                    "{person} rests {hours:g} h between {day} ({end}) and the next day ({start}); "
                    "at least 11 h are needed").format(
                    person=p.name, hours=round(rest / 60, 2), day=WEEKDAYS[i],
                    end=format_clock(today.end), start=format_clock(tomorrow.start))))
    out += unfair_weekends(people, roster)
    return out


def weekend_days(roster: Roster, name: str) -> int:
    return sum(roster.get(d, {}).get(name) is not None for d in WEEKEND)


def unfair_weekends(people: list[Member], roster: Roster) -> list[Breach]:
    """People of one role whose weekend days worked differ by more than one."""
    by_role: dict[str, list[Member]] = defaultdict(list)
    for p in people:
        by_role[p.role].append(p)
    out = []
    for role, group in by_role.items():
        worked = {p.name: weekend_days(roster, p.name) for p in group}
        most, least = max(worked.values()), min(worked.values())
        if most - least > 1:
            busiest = next(n for n, w in worked.items() if w == most)
            idle = next(n for n, w in worked.items() if w == least)
            out.append(Breach(busiest, "weekend", None, _(
                "weekend work is not shared fairly among {role} staff: {busiest} works {most} "
                "weekend day(s), {idle} {least}").format(role=role, busiest=busiest, most=most,
                                                        idle=idle, least=least)))
    return out
