"""Staff members and their day: on shift, breaks, shift end or overtime (a SimPy process each).

The process only decides *when* a member is available; the hall's dispatcher
decides what they work on. Going off duty never drops a customer: the member
finishes the one in hand first, and a late break still lasts its full length.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ..scenario.schema import ROLES, ScenarioModel

if TYPE_CHECKING:
    from .hall import Hall

COUNTER, TRIAGE, PREPROCESS = 0, 1, 2
ROLE_INDEX = {name: i for i, name in enumerate(ROLES)}


class StaffMember:
    """One person on the plan. Times are minutes after opening."""

    __slots__ = ("index", "shift", "base", "role", "start", "end", "breaks", "busy", "leaving",
                 "overtime", "job_tag", "release", "gone", "busy_since", "busy_time", "left_at",
                 "flex_rule")

    def __init__(self, index: int, shift: str, base: int, start: float, end: float,
                 breaks: list[tuple[float, float]]):
        self.index = index
        self.shift = shift
        self.base = base
        self.role = base
        self.start = start
        self.end = end
        self.breaks = breaks
        self.busy = False
        self.leaving = False
        self.overtime = False
        self.job_tag = 0
        self.release: Any = None
        self.gone: Any = None
        self.busy_since = 0.0
        self.busy_time = 0.0
        self.left_at = float("nan")
        self.flex_rule: tuple[int, int, int, int] | None = None


def roster(sc: ScenarioModel) -> list[StaffMember]:
    """Every staff member on the plan, shift by shift."""
    members: list[StaffMember] = []
    open_ = sc.hours.open
    for shift in sc.shifts:
        breaks = [(float(b.at - open_), float(b.minutes)) for b in shift.breaks]
        for _ in range(shift.count):
            members.append(StaffMember(len(members), shift.name, ROLE_INDEX[shift.role],
                                       float(shift.start - open_), float(shift.end - open_),
                                       breaks))
    return members


def scheduled_minutes(sc: ScenarioModel) -> float:
    """Scheduled staff time minus breaks, all roles (what ``staff_hours`` reports, in minutes)."""
    return float(sum(s.count * ((s.end - s.start) - sum(b.minutes for b in s.breaks))
                     for s in sc.shifts))


def staff_life(hall: Hall, s: StaffMember) -> Generator[Any, Any, None]:
    env = hall.env
    if s.start > env.now:
        yield env.timeout(s.start - env.now)
    hall.come_on_duty(s)
    for at, minutes in s.breaks:
        if at > env.now:
            yield env.timeout(at - env.now)
        done_with_customer = hall.go_off_duty(s)
        if done_with_customer is not None:
            yield done_with_customer
        yield env.timeout(minutes)
        if env.now >= s.end and s.end < hall.close:
            hall.gone(s, at=s.end)  # a late break ran past the shift end: no return to work
            return
        hall.come_on_duty(s)
    if s.end > env.now:
        yield env.timeout(s.end - env.now)
    if s.end >= hall.close:
        yield hall.start_overtime(s)
    else:
        done_with_customer = hall.go_off_duty(s)
        if done_with_customer is not None:
            yield done_with_customer
    hall.gone(s)
