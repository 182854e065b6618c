"""Each day of a week: the hall as it runs that weekday (its day type's load, hours,
profile or shifts), or closed; with a roster, the rostered people in place of the day's
shifts of their roles. Every error names the week file, the line and the field.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import ScenarioError
from ..i18n import _
from ..scenario import loading
from ..scenario.clock import format_clock
from ..scenario.scenario import Scenario
from .people import Member, Roster, members
from .schema import WEEKDAYS, DayType, WeekModel

Loc = tuple[Any, ...]


@dataclass(frozen=True)
class WeekDay:
    """One day of the week: its weekday, the day type it follows, and its scenario."""

    day: str                      # mon … sun: also the key of the day's random streams
    type: str                     # the day type (the weekday itself, holiday, a named type)
    scenario: Scenario | None     # None when the hall is closed

    @property
    def closed(self) -> bool:
        return self.scenario is None


def locate(origin: str, node: yaml.Node | None, loc: Loc, message: str) -> str:
    """``file:line: field: message`` for a place in the week file."""
    line = loading.line_of(loc, node)
    where = f"{origin}:{line}" if line is not None else origin
    return f"{where}: {loading.field_path(loc, None)}: {message}"


def type_of(model: WeekModel, weekday: str) -> tuple[str, DayType]:
    """The day type a weekday follows this week, and its name."""
    kind = model.calendar.get(weekday, weekday)
    return kind, model.days.get(kind, DayType())


def build_days(model: WeekModel, hall: Scenario, origin: str, raw: dict,
               node: yaml.Node | None, roster: Roster | None = None) -> tuple[WeekDay, ...]:
    """One ``WeekDay`` per weekday, Monday first, each open day with its own scenario (with
    ``roster``: the rostered people in place of the day's shifts of their roles)."""
    days = []
    for weekday in WEEKDAYS:
        kind, day = type_of(model, weekday)
        if day.closed:
            days.append(WeekDay(weekday, kind, None))
            continue
        raw_day = (raw.get("days") or {}).get(kind) or {}
        rostered = None if roster is None else roster.get(weekday, {})
        days.append(WeekDay(weekday, kind, day_scenario(model, hall, weekday, kind, day, raw_day,
                                                        origin, node, rostered)))
    return tuple(days)


def day_scenario(model: WeekModel, hall: Scenario, weekday: str, kind: str, day: DayType,
                 raw_day: dict, origin: str, node: yaml.Node | None,
                 rostered: dict | None = None) -> Scenario:
    """The hall as it runs on ``weekday`` (day type ``kind``); ``rostered``: that day's
    duties by person, replacing the shifts of the staff list's roles."""
    data = hall.to_dict()
    data["name"] = f"{model.name}-{weekday}"
    if day.load_factor != 1.0:
        data["load_factor"] = hall.load_factor * day.load_factor
    if day.hours is not None:
        data["hours"] = {"open": format_clock(day.hours.open), "close": format_clock(day.hours.close)}
    if day.profile is not None:
        data["profile"] = copy.deepcopy(raw_day["profile"])
    elif day.hours is not None:
        if day.hours.open < hall.hours.open or day.hours.close > hall.hours.close:
            raise ScenarioError(locate(origin, node, ("days", kind, "hours"), _(
                "the hall's profile covers {a}-{b}; a day open outside it needs its own "
                "profile").format(a=format_clock(hall.hours.open),
                                  b=format_clock(hall.hours.close))))
        data["profile"] = _cut_profile(hall, day.hours.open, day.hours.close)
    if day.shifts is not None:
        data["shifts"] = copy.deepcopy(raw_day["shifts"])
    if rostered is not None:
        data["shifts"] = rostered_shifts(data.get("shifts", []), members(model.staff), rostered)
    line = loading.line_of(("days", kind), node)
    where = f"{origin}:{line}" if line is not None else origin
    try:
        return Scenario.from_data(data, where)
    except ScenarioError as exc:
        raise ScenarioError([m.replace(f"{where}: ", f"{where}: days.{kind}: ", 1)
                             for m in exc.messages]) from None


def _cut_profile(hall: Scenario, open_: int, close: int) -> list[dict]:
    periods = []
    for period in hall.profile:
        start, end = max(period.start, open_), min(period.end, close)
        if end <= start:
            continue
        entry: dict[str, Any] = {"from": format_clock(start), "to": format_clock(end)}
        if period.load is not None:
            entry["load"] = period.load
        else:
            entry["rate"] = period.rate
        periods.append(entry)
    return periods


def rostered_shifts(shifts: list[dict], people: list[Member], rostered: dict) -> list[dict]:
    """The day's shifts with the staff list's roles replaced by each person's duty (a shift
    of one, named after the person)."""
    roles = {p.role for p in people}
    kept = [s for s in shifts if s.get("role") not in roles]
    taken = {s.get("name") for s in kept}
    for p in people:
        duty = rostered.get(p.name)
        if duty is None:
            continue
        name = p.name if p.name not in taken else f"{p.name} ({p.role})"
        taken.add(name)
        kept.append(duty.shift(name, p.role))
    return kept
