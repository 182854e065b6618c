"""Staffing: who is on duty in which role, breaks, shift ends and overtime.

Each staff member's day is a SimPy process (``member_day``) that only decides *when* they
are available; what they work on is the dispatcher's business. Every change in who can
serve a role is announced to one listener (the hall's ``capacity_changed``), so no caller
has to remember to react when a role's capacity drops to zero.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator
from typing import Any

import simpy

from .codes import Role
from .staff import StaffMember

ROLES = tuple(int(r) for r in Role)


class Staffing:
    """The staff on the plan and their availability, by the role they are doing now."""

    def __init__(self, env: simpy.Environment, members: list[StaffMember],
                 flex: list[Any], close: float, groups: int = 1):
        self.env = env
        self.members = members
        self.close = close
        self.idle: tuple[deque[StaffMember], ...] = tuple(deque() for _ in ROLES)
        self.available = [0] * len(ROLES)  # on duty and not leaving
        self.present = [0] * len(ROLES)    # at work, finishing a customer included
        # Who may still serve a role (and a counter group) today: its own staff and those
        # who can flex into it, counted until they go home.
        self.reach = [self._reach(s, flex) for s in members]
        self.potential = [0] * len(ROLES)
        self.potential_group = [0] * groups
        for roles, at in self.reach:
            for role in roles:
                self.potential[role] += 1
            for g in at:
                self.potential_group[g] += 1
        self.remaining = len(members)
        self.in_overtime = 0
        self.trace: list[tuple[float, int, float]] = []  # (time, role, present after)
        self.away = [0] * len(ROLES)       # on a break, by their own role
        self.breaks: list[tuple[float, int, float]] = []  # (time, own role, away after)
        self.announce: Callable[[int], None] = lambda role: None

    # ------------------------------------------------------------- transitions
    def come_on_duty(self, s: StaffMember) -> None:
        """Shift start or back from a break: idle in one's own role."""
        s.role = s.base
        s.groups = s.home
        s.on_duty = True
        self.available[s.role] += 1
        self._at_work(s.role, +1)
        self.idle[s.role].append(s)
        self.announce(s.role)

    def go_off_duty(self, s: StaffMember) -> simpy.Event | None:
        """Break or shift end: off duty now; returns an event for the end of the customer in
        hand, if any (a staff member never drops a customer)."""
        role = s.role
        s.on_duty = False
        self.available[role] -= 1
        release = None
        if s.busy:
            s.leaving = True
            s.release = release = self.env.event()
        else:
            self.idle[role].remove(s)
            self._stop_work(s)
        self.announce(role)
        return release

    def finish_leaving(self, s: StaffMember) -> None:
        """The customer in hand is done: the member going off duty now leaves work."""
        s.leaving = False
        self._stop_work(s)
        s.release.succeed()

    def switch(self, s: StaffMember, role: int, groups: tuple[int, ...],
               announce: bool = True) -> None:
        """Flex: an on-duty member starts doing ``role`` at ``groups`` (or goes back to
        their own). With ``announce`` False the caller announces the drop once its move is
        complete."""
        old = s.role
        self.available[old] -= 1
        self._at_work(old, -1)
        s.role = role
        s.groups = groups
        self.available[role] += 1
        self._at_work(role, +1)
        if announce:
            self.announce(old)

    def start_overtime(self, s: StaffMember) -> simpy.Event:
        """Past a shift end at or after closing: stay until nobody inside needs the role."""
        s.overtime = True
        s.gone = self.env.event()
        self.in_overtime += 1
        self.announce(s.role)
        return s.gone

    def release(self, s: StaffMember) -> None:
        """An idle member in overtime is no longer needed: off duty and on their way home."""
        self.idle[s.role].remove(s)
        s.on_duty = False
        self.available[s.role] -= 1
        self._stop_work(s)
        self.in_overtime -= 1
        s.overtime = False
        s.gone.succeed()

    def gone(self, s: StaffMember) -> None:
        """A member's day is over: they can serve nobody any more."""
        s.left_at = self.env.now
        self.remaining -= 1
        roles, at = self.reach[s.index]
        for role in roles:
            self.potential[role] -= 1
        for g in at:
            self.potential_group[g] -= 1
        for role in roles:
            self.announce(role)

    @staticmethod
    def _reach(s: StaffMember, flex: list[Any]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The roles and counter groups ``s`` may serve today: their own, and where a flex
        rule from their own post may take them."""
        roles, groups = {s.base}, set(s.home)
        for rule in flex:
            if rule.takes(s):
                roles.add(rule.target.role)
                groups.update(rule.target.groups)
        return tuple(sorted(roles)), tuple(sorted(groups))

    # ----------------------------------------------------------------- helpers
    def _stop_work(self, s: StaffMember) -> None:
        """No longer at work (break, shift end, overtime over): back in one's own role."""
        self._at_work(s.role, -1)
        s.worked_until = self.env.now
        s.role = s.base
        s.groups = s.home
        s.flex_rule = None

    def _at_work(self, role: int, change: int) -> None:
        """One more or one fewer at work in ``role``, traced for the staffing levels."""
        self.present[role] += change
        self.trace.append((self.env.now, role, self.present[role]))

    def _away(self, s: StaffMember, change: int) -> None:
        """One more or one fewer on a break, traced for the replay's windows."""
        self.away[s.base] += change
        self.breaks.append((self.env.now, s.base, self.away[s.base]))

    def member_day(self, s: StaffMember) -> Generator[Any, Any, None]:
        """One member's day: on at the shift start, off for each break (after the customer
        in hand; a late break still lasts its full length), then off at the shift end, or
        into overtime if the shift ends at or after closing."""
        env = self.env
        if s.start > env.now:
            yield env.timeout(s.start - env.now)
        self.come_on_duty(s)
        for at, minutes in s.breaks:
            if at > env.now:
                yield env.timeout(at - env.now)
            done_with_customer = self.go_off_duty(s)
            if done_with_customer is not None:
                yield done_with_customer
            self._away(s, +1)
            yield env.timeout(minutes)
            self._away(s, -1)
            if env.now >= s.end and s.end < self.close:
                self.gone(s)  # a late break ran past the shift end: home from the break
                return
            self.come_on_duty(s)
        if s.end > env.now:
            yield env.timeout(s.end - env.now)
        if s.end >= self.close:
            yield self.start_overtime(s)
        else:
            done_with_customer = self.go_off_duty(s)
            if done_with_customer is not None:
                yield done_with_customer
        self.gone(s)

    def on_duty(self) -> list[StaffMember]:
        """Members on duty or finishing a customer, for error messages and checks."""
        return [s for s in self.members if s.on_duty or s.leaving]
