"""The dispatcher: which idle staff member and machine takes which waiting customer.

Policy, in order: kiosks take their queue; greeters, counter staff (while a window is
free) and floor staff take their own queues; then flex rules move idle members to a
role whose queue has reached ``queue_at_least``. A flexed member keeps serving that role
until its queue is down to ``queue_at_most``, then goes back. After closing, idle members
in overtime go home once nobody inside needs their role.

Fast paths skip a full pass where it provably changes nothing; ``fast = False`` turns
them off, and the tests require identical records either way.
"""

from __future__ import annotations

from typing import Protocol

from .codes import Role
from .queues import FifoQueue, TicketQueue
from .staff import StaffMember
from .staffing import Staffing

COUNTER, TRIAGE, PREPROCESS = int(Role.COUNTER), int(Role.TRIAGE), int(Role.PREPROCESS)


class Floor(Protocol):
    """What the dispatcher needs from the hall: its queues, machines and the starts."""

    triage_q: FifoQueue
    kiosk_q: FifoQueue
    counter_q: TicketQueue
    pre_q: TicketQueue
    windows: int
    busy_windows: int
    kiosks: int
    kiosks_busy: int
    close: float

    def upstream(self) -> int: ...
    def start_kiosk(self, i: int) -> None: ...
    def start_triage(self, s: StaffMember, i: int) -> None: ...
    def start_counter(self, s: StaffMember, i: int) -> None: ...
    def start_preprocess(self, s: StaffMember, i: int) -> None: ...


class Dispatcher:
    """Assigns work; reentrant calls (a start that frees someone) are folded into one loop."""

    def __init__(self, floor: Floor, staffing: Staffing, flex: list[tuple[int, int, int, int]]):
        self.floor = floor
        self.staffing = staffing
        self.flex = flex
        self.flex_sources = {rule[0] for rule in flex}
        self.fast = True
        self.dispatching = False
        self.again = False
        self.deferred: list[int] = []  # roles whose drop is announced at the next pass
        self.queues = (floor.counter_q, floor.triage_q, floor.pre_q)  # by role

    # -------------------------------------------------------------- full pass
    def dispatch(self) -> None:
        """Give waiting work to idle staff and machines; run again if that freed someone."""
        if self.dispatching:
            self.again = True
            return
        self.dispatching = True
        try:
            self.again = True
            while self.again:
                self.again = False
                while self.deferred:
                    self.staffing.announce(self.deferred.pop())
                self._assign()
        finally:
            self.dispatching = False

    def _assign(self) -> None:
        """One pass of the policy (see the module docstring)."""
        floor, idle = self.floor, self.staffing.idle
        triage_q, counter_q, pre_q, kiosk_q = floor.triage_q, floor.counter_q, floor.pre_q, \
            floor.kiosk_q
        while len(kiosk_q) and floor.kiosks_busy < floor.kiosks:
            floor.start_kiosk(kiosk_q.pop())
        while idle[TRIAGE] and len(triage_q):
            floor.start_triage(idle[TRIAGE].popleft(), triage_q.pop())
        while idle[COUNTER] and len(counter_q) and floor.busy_windows < floor.windows:
            floor.start_counter(idle[COUNTER].popleft(), counter_q.pop())
        while idle[PREPROCESS] and len(pre_q):
            floor.start_preprocess(idle[PREPROCESS].popleft(), pre_q.pop())
        for rule in self.flex:
            source, target, at_least, _ = rule
            while (idle[source] and len(self.queues[target]) >= at_least
                   and (target != COUNTER or floor.busy_windows < floor.windows)):
                s = idle[source].popleft()
                self.staffing.switch(s, target)
                s.flex_rule = rule
                self.start_work(s, target)
        if self.staffing.in_overtime and self.staffing.env.now >= floor.close:
            self._release_overtime()

    def start_work(self, s: StaffMember, role: int) -> None:
        """``s`` takes the next customer of ``role``'s queue (which is not empty)."""
        floor = self.floor
        if role == COUNTER:
            floor.start_counter(s, floor.counter_q.pop())
        elif role == TRIAGE:
            floor.start_triage(s, floor.triage_q.pop())
        else:
            floor.start_preprocess(s, floor.pre_q.pop())

    # ------------------------------------------------------------ fast checks
    def needed(self) -> bool:
        """After a queue grows or a kiosk frees, must the full pass run? Only with the fast
        paths off, inside a pass already, in overtime, or when a flex rule is due."""
        if not self.fast or self.dispatching or self.staffing.in_overtime:
            return True
        idle, queues = self.staffing.idle, self.queues
        for source, target, at_least, _ in self.flex:  # flex_due(), inlined: the hot path
            if idle[source] and len(queues[target]) >= at_least:
                return True
        return False

    def flex_due(self) -> bool:
        """Could a flex rule move an idle member now? (Cheap, conservative.)"""
        idle, queues = self.staffing.idle, self.queues
        for source, target, at_least, _ in self.flex:
            if idle[source] and len(queues[target]) >= at_least:
                return True
        return False

    # ------------------------------------------------------ a member is free
    def after_job(self, s: StaffMember, dispatch: bool = True, now: float | None = None) -> None:
        """A member's customer is done: leave if due, carry on flexed, or take the next
        customer or go idle. With ``dispatch`` False (a job stopped in the middle of moving
        a customer) the member is only placed, and the running pass goes round again."""
        staffing, floor = self.staffing, self.floor
        # Staffing.end_job, inlined: this runs once per customer served.
        s.busy = False
        s.serving = -1
        s.busy_time += (staffing.env.now if now is None else now) - s.busy_since
        if (self.fast and dispatch and not s.leaving and s.role == s.base
                and not staffing.in_overtime and s.role not in self.flex_sources):
            # Fast path: a member freed in their own role, which no flex rule moves, can
            # only change who is served next in that role's queue.
            role = s.role
            if role == COUNTER:
                if len(floor.counter_q) and floor.busy_windows < floor.windows:
                    idle = staffing.idle[COUNTER]
                    if idle:  # more staff than windows: the longest idle goes first
                        idle.append(s)
                        s = idle.popleft()
                    floor.start_counter(s, floor.counter_q.pop())
                    if self.again:  # the call stopped someone's paperwork: place them
                        self.dispatch()
                    return
            elif len(self.queues[role]):
                self.start_work(s, role)
                return
            staffing.idle[role].append(s)
            return
        if s.leaving:
            staffing.finish_leaving(s)
        elif s.role != s.base:
            assert s.flex_rule is not None
            target, at_most = s.flex_rule[1], s.flex_rule[3]
            if (len(self.queues[target]) > at_most
                    and (target != COUNTER or floor.busy_windows < floor.windows)):
                self.start_work(s, target)
            else:
                # Going back may leave the role with nobody: announced now, or, in the
                # middle of moving a customer, at the next pass.
                old = s.role
                staffing.switch(s, s.base, announce=dispatch)
                staffing.idle[s.role].append(s)
                if not dispatch:
                    self.deferred.append(old)
        else:
            staffing.idle[s.role].append(s)
        if dispatch:
            self.dispatch()
        else:
            self.again = True  # picked up by the pass that is running

    # -------------------------------------------------------------- overtime
    def still_needed(self, role: int) -> bool:
        """Does anybody inside still need ``role`` (counter staff also wait for those at
        triage or at a kiosk, who may yet need a counter)?"""
        floor = self.floor
        if role == TRIAGE:
            return len(floor.triage_q) > 0 or self.staffing.env.now < floor.close
        if role == COUNTER:
            return len(floor.counter_q) > 0 or floor.upstream() > 0
        return len(floor.pre_q) > 0 or floor.upstream() > 0

    def _release_overtime(self) -> None:
        """Idle members in overtime whose role nobody inside needs go home."""
        idle = self.staffing.idle
        for role in (COUNTER, TRIAGE, PREPROCESS):
            for s in [m for m in idle[role] if m.overtime and not self.still_needed(role)]:
                self.staffing.release(s)
