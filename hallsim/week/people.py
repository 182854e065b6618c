"""The staff list as people, and a roster as each person's duty per day.

A counted entry (``count: 3``) is that many people alike, named ``NAME 1`` … ``NAME 3``.
A roster maps each weekday to each person's ``Duty`` (or None: off that day).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..scenario.clock import format_clock
from .schema import Person, RosterShift


@dataclass(frozen=True)
class Member:
    """One person: their contract, and where they are written in the week file."""

    name: str
    role: str
    min_hours: float
    max_hours: float
    days_off: int
    max_consecutive: int
    entry: int                 # index in the week file's staff list
    group: str                 # the entry's name (people of one entry are alike)


@dataclass(frozen=True)
class Duty:
    """A person's shift on one day: minutes since midnight, breaks as (at, minutes)."""

    start: int
    end: int
    breaks: tuple[tuple[int, float], ...] = ()

    @property
    def paid_minutes(self) -> float:
        return self.end - self.start - sum(m for _at, m in self.breaks)

    def text(self) -> str:
        """``09:00-17:30`` or ``09:00-17:30 break 13:00+30`` (roster.csv's cells)."""
        span = f"{format_clock(self.start)}-{format_clock(self.end)}"
        return " ".join([span, *(f"break {format_clock(at)}+{minutes:g}"
                                 for at, minutes in self.breaks)])

    def shift(self, name: str, role: str) -> dict[str, Any]:
        """The duty as a scenario shift of one person."""
        out: dict[str, Any] = {"name": name, "role": role, "start": format_clock(self.start),
                               "end": format_clock(self.end), "count": 1}
        if self.breaks:
            out["breaks"] = [{"at": format_clock(at), "minutes": _number(m)}
                             for at, m in self.breaks]
        return out

    def cell(self) -> dict[str, Any]:
        """The duty as it is written in the week file's roster."""
        out = self.shift("", "")
        return {k: v for k, v in out.items() if k in ("start", "end", "breaks")}


Roster = dict[str, dict[str, Duty | None]]     # weekday -> person -> duty (None: off)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def members(staff: list[Person]) -> list[Member]:
    """Every person on the staff list, counted entries expanded."""
    out = []
    for i, person in enumerate(staff):
        names = ([person.name] if person.count is None else
                 [f"{person.name} {k}" for k in range(1, person.count + 1)])
        for name in names:
            out.append(Member(name, person.role, person.weekly_hours[0], person.weekly_hours[1],
                              person.days_off, person.max_consecutive_days, i, person.name))
    return out


def duty(cell: RosterShift) -> Duty:
    return Duty(cell.start, cell.end, tuple((b.at, float(b.minutes)) for b in cell.breaks))
