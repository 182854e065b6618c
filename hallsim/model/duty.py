"""Who is on duty and what a staff member does when free: the hall's staffing half.

Staff processes (``staff.py``) call ``come_on_duty``, ``go_off_duty``,
``start_overtime`` and ``gone``; the hall calls ``_free`` when a member's customer
is done. Mixed into ``Hall``, whose queues and dispatcher these methods use.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import simpy

from .staff import COUNTER, PREPROCESS, TRIAGE, StaffMember
from .states import Q_COUNTER, Q_TRIAGE


class Duty:
    """Staffing state and transitions; the attributes below are the hall's."""

    env: simpy.Environment
    close: float
    windows: int
    n: int
    state: Any
    flex: list[tuple[int, int, int, int]]
    _flex_sources: set[int]
    _fast: bool
    _again: bool
    triage_q: deque[int]
    waiting: dict[int, int]
    pre_waiting: int
    busy_windows: int
    upstream: int
    idle: tuple[deque[StaffMember], ...]
    available: list[int]
    present: list[int]
    remaining: int
    all_gone: bool
    in_overtime: int

    # Provided by Hall.
    def dispatch(self) -> None:
        raise NotImplementedError

    def _log(self, series: int, value: float) -> None:
        raise NotImplementedError

    def _start_work(self, s: StaffMember, role: int) -> None:
        raise NotImplementedError

    def _queue_length(self, role: int) -> int:
        raise NotImplementedError

    def _leave_queue(self, i: int) -> None:
        raise NotImplementedError

    def _self_route(self, i: int) -> None:
        raise NotImplementedError

    def _abandon(self, i: int) -> None:
        raise NotImplementedError

    def _at_work(self, role: int, change: int) -> None:
        """One more or one fewer member at work in ``role``, traced for the staffing levels."""
        self.present[role] += change
        self._log(role, self.present[role])

    def _busy(self, s: StaffMember) -> None:
        s.busy = True
        s.busy_since = self.env._now

    def _free(self, s: StaffMember, dispatch: bool = True) -> None:
        """A member's customer is done: leave if due, carry on flexed, or go idle."""
        s.busy = False
        s.busy_time += self.env._now - s.busy_since
        if (self._fast and dispatch and not s.leaving and s.role == s.base
                and not self.in_overtime and s.role not in self._flex_sources):
            # Fast path: a member freed in their own role, which no flex rule moves, can
            # only change who is served next in that role's queue.
            role = s.role
            if role == COUNTER:
                if self.waiting[Q_COUNTER] and self.busy_windows < self.windows:
                    idle = self.idle[COUNTER]
                    if idle:  # more staff than windows: the longest idle goes first
                        idle.append(s)
                        s = idle.popleft()
                    self._start_work(s, COUNTER)
                    if self._again:  # the call stopped someone's pre-processing: place them
                        self.dispatch()
                    return
            elif role == TRIAGE:
                if self.waiting[Q_TRIAGE]:
                    self._start_work(s, TRIAGE)
                    return
            elif self.pre_waiting:
                self._start_work(s, PREPROCESS)
                return
            self.idle[role].append(s)
            return
        if s.leaving:
            s.leaving = False
            self._at_work(s.role, -1)
            s.role = s.base
            s.release.succeed()
            if dispatch:
                self.dispatch()
            return
        if s.role != s.base:
            assert s.flex_rule is not None
            target, at_most = s.flex_rule[1], s.flex_rule[3]
            if (self._queue_length(target) > at_most
                    and (target != COUNTER or self.busy_windows < self.windows)):
                self._start_work(s, target)
                if dispatch:
                    self.dispatch()
                return
            was = s.role
            self._switch(s, s.base)
            if was == TRIAGE and self.available[TRIAGE] == 0:
                # The flexed greeter was the last one: nobody triages the queue any more.
                self.idle[s.role].append(s)
                self._send_on_triage_queue()
                return
        self.idle[s.role].append(s)
        if dispatch:
            self.dispatch()
        else:
            self._again = True  # picked up by the dispatch loop if one is running

    def _switch(self, s: StaffMember, role: int) -> None:
        self.available[s.role] -= 1
        self._at_work(s.role, -1)
        s.role = role
        self.available[role] += 1
        self._at_work(role, +1)

    def come_on_duty(self, s: StaffMember) -> None:
        s.role = s.base
        self.available[s.role] += 1
        self._at_work(s.role, +1)
        self.idle[s.role].append(s)
        self.dispatch()

    def go_off_duty(self, s: StaffMember) -> simpy.Event | None:
        """Off duty now; returns an event for the end of the customer in hand, if any."""
        role = s.role
        self.available[role] -= 1
        release = None
        if s.busy:
            s.leaving = True
            s.release = release = self.env.event()
        else:
            self.idle[role].remove(s)
            self._at_work(role, -1)
            s.role = s.base
        if role == TRIAGE and self.available[TRIAGE] == 0:
            self._send_on_triage_queue()
        return release

    def _send_on_triage_queue(self) -> None:
        """The last greeter went off duty: those queueing for triage take a ticket themselves."""
        queue, self.triage_q = self.triage_q, deque()
        for i in queue:
            if self.state[i] == Q_TRIAGE:
                self._leave_queue(i)
                self.upstream -= 1
                self._self_route(i)
        self.dispatch()

    def start_overtime(self, s: StaffMember) -> simpy.Event:
        """Past a shift end at or after closing: stay until nobody inside needs the role."""
        s.overtime = True
        s.gone = self.env.event()
        self.in_overtime += 1
        self.dispatch()
        return s.gone

    def _still_needed(self, role: int) -> bool:
        if role == TRIAGE:
            return self.waiting[Q_TRIAGE] > 0 or self.env.now < self.close
        if role == COUNTER:
            return self.waiting[Q_COUNTER] > 0 or self.upstream > 0
        return self.pre_waiting > 0 or self.upstream > 0

    def _release_overtime(self) -> None:
        for role in (COUNTER, TRIAGE, PREPROCESS):
            for s in [m for m in self.idle[role] if m.overtime and not self._still_needed(role)]:
                self.idle[role].remove(s)
                self.available[role] -= 1
                self._at_work(role, -1)
                self.in_overtime -= 1
                s.overtime = False
                s.gone.succeed()

    def gone(self, s: StaffMember, at: float | None = None) -> None:
        """A member's day is over. When the last one leaves, nobody can serve the queues."""
        s.left_at = self.env.now if at is None else at
        self.remaining -= 1
        if self.remaining == 0:
            self.all_gone = True
            for i in range(self.n):
                if self.state[i] in (Q_TRIAGE, Q_COUNTER):
                    self._abandon(i)
            self.dispatch()
