"""Staff members on the plan: who they are, their shift, and what they have done so far."""

from __future__ import annotations

from typing import Any

from ..scenario.schema import ScenarioModel
from .codes import Role


class StaffMember:
    """One person on the plan. Times are minutes after opening."""

    __slots__ = ("index", "shift", "base", "role", "start", "end", "breaks", "busy", "serving",
                 "leaving", "overtime", "on_duty", "job_tag", "release", "gone", "busy_since",
                 "busy_time", "worked_until", "left_at", "flex_rule", "home", "groups", "group",
                 "window")

    def __init__(self, index: int, shift: str, base: int, start: float, end: float,
                 breaks: list[tuple[float, float]], home: tuple[int, ...] = ()):
        self.index = index
        self.shift = shift
        self.base = base            # their own role
        self.role = base            # the role they are doing now (flex may change it)
        self.home = home            # counter groups of their own shift (counter staff)
        self.groups = home          # counter groups they may sit at now (flex may change it)
        self.group: Any = None      # the window group of the customer in hand, at a counter
        self.window = -1            # the window of the customer in hand, at a counter
        self.start = start
        self.end = end
        self.breaks = breaks
        self.busy = False
        self.serving = -1           # the customer in hand, if busy
        self.leaving = False        # off duty, finishing the customer in hand
        self.overtime = False       # past a shift end at or after closing, still needed
        self.on_duty = False
        self.job_tag = 0
        self.release: Any = None    # event: the customer in hand is done (when leaving)
        self.gone: Any = None       # event: released from overtime
        self.busy_since = 0.0
        self.busy_time = 0.0
        self.worked_until = float("nan")  # when they stopped working for the day
        self.left_at = float("nan")       # when they left the hall (after a late break)
        self.flex_rule: Any = None  # the flex rule they are working under, if flexed

    def __repr__(self) -> str:
        state = "busy" if self.busy else "idle" if self.on_duty else "off"
        return f"<{self.shift}#{self.index} {Role(self.role).name.lower()} {state}>"


def home_groups(shift: Any, names: list[str]) -> tuple[int, ...]:
    """The counter groups a shift sits at: its ``group``, its ``groups`` (floating), or
    with neither, every group (the only one, in a hall without groups)."""
    if shift.role != "counter":
        return ()
    chosen = getattr(shift, "groups", None) or (
        [shift.group] if getattr(shift, "group", None) else names)
    return tuple(names.index(name) for name in chosen)


def roster(sc: ScenarioModel, groups: list[str]) -> list[StaffMember]:
    """Every staff member on the plan, shift by shift (``groups``: the counter groups'
    names)."""
    members: list[StaffMember] = []
    open_ = sc.hours.open
    for shift in sc.shifts:
        breaks = [(float(b.at - open_), float(b.minutes)) for b in shift.breaks]
        home = home_groups(shift, groups)
        for _ in range(shift.count):
            members.append(StaffMember(len(members), shift.name, int(Role[shift.role.upper()]),
                                       float(shift.start - open_), float(shift.end - open_),
                                       breaks, home))
    return members


def scheduled_minutes(sc: ScenarioModel) -> float:
    """Scheduled staff time minus breaks, all roles (what ``staff_hours`` reports, in minutes)."""
    return float(sum(s.count * ((s.end - s.start) - sum(b.minutes for b in s.breaks))
                     for s in sc.shifts))
