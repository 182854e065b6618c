"""The hall's invariants, checkable after every event (the tests step the environment and
call ``Checker.check`` each time; ``run_checked`` does both).

1. Each customer is in exactly one place, and queue objects hold exactly the customers
   whose state says they are in that queue (so their lengths equal their members); each
   ticket waits in its service's lane; nobody is served at a window whose group does not
   call their service, and no window serves two customers.
2. Staff counts per role equal the staff in that role; idle lists hold exactly the idle.
3. Nobody waits in a queue while a staff member of that role is idle and (for counters)
   no group with a free window, an idle member who may sit there and a waiting ticket it
   calls; no kiosk is free while its queue waits; no flex rule is left due; nobody queues
   where nobody could ever serve them (for tickets: no group that calls the service has
   anybody left on the plan).
4. Calls follow the rules. Everyone called was, at that moment, ahead of every ticket
   waiting in the lanes their group calls, by that group's order: a booking past its slot
   first (earliest ticket), then by the group's rule (``ticket``: lowest priority, then
   earliest ticket; ``order``: the first entry of the call list, then as ``ticket``; a rule
   of one's own is not checked beyond the bookings). A member who floats over several
   groups sat at one whose longest-waiting ticket is no later than that of any other of
   their groups with a free window. In a lane, tickets of a class follow the time of
   joining.
5. Every customer (and staff member) has left when the events run out.
6. The hall keeps to its plan, read from the scenario (``plan_checks.py``): nobody works
   while their shifts and breaks have them off; no lane is closed, nor anyone turned away,
   while staff who may serve it are still due; bookings take a ticket without the greeter;
   a flexed member goes back once the queue is down to ``queue_at_most``.
"""

from __future__ import annotations

import math

import numpy as np
from simpy.core import EmptySchedule

from .calling import OrderRule, TicketRule
from .codes import Pre, Role, State
from .counters import WindowGroup
from .hall import Hall
from .plan_checks import PlanChecks
from .queues import BOOKED

COUNTER, TRIAGE, PREPROCESS = int(Role.COUNTER), int(Role.TRIAGE), int(Role.PREPROCESS)
NEW, Q_TRIAGE, IN_TRIAGE, Q_KIOSK, IN_KIOSK, Q_COUNTER, IN_COUNTER, DONE = (int(s) for s in State)
PRE_NONE, PRE_RUNNING = int(Pre.NONE), int(Pre.RUNNING)


class InvariantViolation(AssertionError):
    """An invariant of the hall does not hold; the message says which, and the hall's state."""


class Checker:
    """Checks one hall's invariants; remembers the last state, tickets and calls between
    checks, so that per-customer facts are checked for the customers who changed."""

    def __init__(self, hall: Hall):
        self.hall = hall
        self.previous = hall.customers.columns["state"].copy()
        self.tickets: dict[int, int] = {}   # customer -> ticket, of those seen waiting
        self.issued = 0                                  # counter tickets at the last check
        self.checks = 0
        self.plan = PlanChecks(hall, self.fail)

    def fail(self, what: str) -> None:
        raise InvariantViolation(f"{what} ({self.hall.describe()})")

    def check(self) -> None:
        """Check every invariant of the hall as it is now."""
        self.checks += 1
        changed = self._places()
        self._staff()
        self._no_idle_server_while_waiting()
        self._calls(changed)
        self.plan.check(changed)

    # ----------------------------------------------------------------- places
    def _places(self) -> list[int]:
        """Invariant 1; returns the customers whose state changed since the last check."""
        hall, c = self.hall, self.hall.customers
        columns = c.columns
        state = columns["state"]
        counts = np.bincount(state, minlength=DONE + 1)
        arrived = hall.arrived
        if counts[NEW] != c.n - arrived or (arrived < c.n and state[arrived] != NEW):
            self.fail("customers who have not arrived yet are not exactly those still new")
        view = c.state
        counter: list[int] = []
        for lane in hall.counters.lanes:
            members = lane.members()
            if len(lane) != len(members) or any(view[i] != Q_COUNTER for i in members) or \
                    any(hall.lane_of[c.service[i]] is not lane for i in members):
                self.fail(f"{lane.name} (length {len(lane)}, members {members}) is not the "
                          "tickets of its services")
            counter += members
        if counts[Q_COUNTER] != len(counter):
            self.fail(f"the counter lanes hold {len(counter)}, not the {counts[Q_COUNTER]} "
                      "customers waiting for a counter")
        for queue, code, members in ((hall.triage_q, Q_TRIAGE, hall.triage_q.members()),
                                     (hall.kiosk_q, Q_KIOSK, hall.kiosk_q.members())):
            if len(queue) != len(members) or counts[code] != len(members) or \
                    any(view[i] != code for i in members):
                self.fail(f"the {queue.name} queue (length {len(queue)}, members "
                          f"{members}) is not the {counts[code]} customers in it")
        pre_waiting = pre_running = 0
        if len(columns["pre_state"]):
            pre, eligible = c.pre_state, c.pre_eligible
            for i in counter:
                if eligible[i]:
                    pre_waiting += pre[i] == PRE_NONE
                    pre_running += pre[i] == PRE_RUNNING
            for i, s in hall.pre_by.items():
                if s.serving != i or s.role != PREPROCESS or not s.busy or view[i] != Q_COUNTER \
                        or pre[i] != PRE_RUNNING:
                    self.fail(f"customer {i}'s paperwork is not in {s}'s hands")
        members = hall.pre_q.members()
        if len(hall.pre_q) != len(members) or len(members) != pre_waiting or \
                any(view[i] != Q_COUNTER for i in members) or len(hall.pre_by) != pre_running:
            self.fail("the pre-processing queue is not the eligible tickets not yet started")

        staff = hall.staffing.members
        groups = hall.counters.groups
        busy_windows = sum(g.busy for g in groups)
        for code, role, count in ((IN_TRIAGE, TRIAGE, hall.in_triage),
                                  (IN_COUNTER, COUNTER, busy_windows)):
            served = [s.serving for s in staff if s.busy and s.role == role]
            if count != counts[code] or len(served) != count or len(set(served)) != count or \
                    any(view[i] != code for i in served):
                self.fail(f"{State(code).name} customers ({counts[code]}) are not those "
                          f"served by staff in that role {sorted(served)}")
        at_windows = [s for s in staff if s.busy and s.role == COUNTER]
        for s in at_windows:
            group, i = s.group, s.serving
            if group is None or group.index not in hall.lane_of[c.service[i]].groups or \
                    group.index not in s.groups or c.window[i] != s.window or \
                    not group.first_window <= s.window < group.first_window + group.windows:
                self.fail(f"customer {i} is served by {s} at window {s.window} of {group}, "
                          "which does not call their service")
        if len({s.window for s in at_windows}) != len(at_windows):
            self.fail("a window serves two customers at once")
        if counts[IN_KIOSK] != hall.kiosks_busy:
            self.fail("kiosks busy is not the customers at a kiosk")
        if any(g.busy > g.windows or g.busy + len(g.free) != g.windows for g in groups) or \
                hall.kiosks_busy > hall.kiosks:
            self.fail("more windows or kiosks in use than there are")

        changed = np.flatnonzero(state != self.previous).tolist()
        self.previous = state.copy()
        departure, now = c.departure, hall.env.now
        for i in changed:
            if view[i] == DONE:
                if not departure[i] <= now:
                    self.fail(f"customer {i} left without a leaving time")
            elif not math.isnan(departure[i]):
                self.fail(f"customer {i} is inside but has a leaving time")
            if view[i] != Q_COUNTER and i in hall.pre_by:
                self.fail(f"customer {i} is pre-processed while not waiting for a counter")
        return changed

    # ------------------------------------------------------------------ staff
    def _staff(self) -> None:
        """Invariant 2."""
        staffing = self.hall.staffing
        members = staffing.members
        for role in (COUNTER, TRIAGE, PREPROCESS):
            at_work = [s for s in members if (s.on_duty or s.leaving) and s.role == role]
            on_duty = [s for s in at_work if s.on_duty]
            idle = [s for s in on_duty if not s.busy]
            if staffing.present[role] != len(at_work) or staffing.available[role] != len(on_duty):
                self.fail(f"{Role(role).name} counts (at work {staffing.present[role]}, "
                          f"available {staffing.available[role]}) are not its staff "
                          f"({len(at_work)}, {len(on_duty)})")
            if any(s.role != s.base or s.groups != s.home or s.flex_rule is not None
                   for s in idle):
                self.fail(f"an idle {Role(role).name} member is not back at their own post")
            listed = list(staffing.idle[role])
            if len(listed) != len(set(map(id, listed))) or \
                    {id(s) for s in listed} != {id(s) for s in idle}:
                self.fail(f"the idle {Role(role).name} list is not the idle staff")
        for s in members:
            if s.busy != (s.serving >= 0) or (s.leaving and s.on_duty):
                self.fail(f"{s} is in an impossible state")
        if staffing.remaining != sum(math.isnan(s.left_at) for s in members):
            self.fail("the count of staff still to leave is wrong")

    # ------------------------------------------------------- work left undone
    def _no_idle_server_while_waiting(self) -> None:
        """Invariant 3."""
        hall = self.hall
        staffing = hall.staffing
        idle = staffing.idle
        if idle[TRIAGE] and len(hall.triage_q):
            self.fail("a greeter is idle while customers queue for triage")
        for group in hall.counters.groups:
            if group.busy < group.windows and group.waiting() and \
                    any(group.index in s.groups for s in idle[COUNTER]):
                self.fail(f"a counter member is idle with a window of {group.name} free while "
                          "tickets it calls wait")
        if idle[PREPROCESS] and len(hall.pre_q):
            self.fail("a floor member is idle while eligible tickets wait")
        if len(hall.kiosk_q) and hall.kiosks_busy < hall.kiosks:
            self.fail("a kiosk is free while customers queue for one")
        if len(hall.triage_q) > getattr(hall.routing, "max_queue", math.inf):
            self.fail("more wait for the greeter than triage.max_queue")
        if len(hall.triage_q) and staffing.available[TRIAGE] == 0:
            self.fail("customers queue for triage with no greeter on duty")
        for lane in hall.counters.lanes:
            if len(lane) and not any(staffing.potential_group[g] for g in lane.groups):
                self.fail(f"customers queue in {lane.name}, which no group with staff left "
                          "calls")
        dispatcher = hall.dispatcher
        for rule in dispatcher.flex:
            if dispatcher.due(rule) and any(rule.takes(s) for s in idle[rule.source.role]):
                self.fail(f"a flex rule {Role(rule.source.role).name} -> "
                          f"{Role(rule.target.role).name} is due and nobody moved")

    # ------------------------------------------------------------------ calls
    def _calls(self, changed: list[int]) -> None:
        """Invariant 4."""
        hall, c = self.hall, self.hall.customers
        enter, now = c.counter_enter, hall.env.now
        waiting: list[tuple[int, int]] = []    # (ticket, customer) of every waiting ticket
        for lane in hall.counters.lanes:
            by_class: dict[int, float] = {}
            for priority, ticket, i in lane.tickets():
                waiting.append((ticket, i))
                self.tickets[i] = ticket
                if priority != BOOKED:   # within a class, tickets follow the time of joining
                    if enter[i] < by_class.get(priority, -math.inf):
                        self.fail(f"customer {i} holds a later ticket than someone who "
                                  "joined after")
                    by_class[priority] = enter[i]
        start, view = c.counter_start, c.state
        called = [i for i in changed if start[i] == now and view[i] in (IN_COUNTER, DONE)]
        if called:
            # Those waiting before the last check and still: waiting at every call since.
            before = [(t, j) for t, j in waiting if t <= self.issued]
            tickets = {i: self.tickets.pop(i, math.inf) for i in called}
            for i in called:
                self._called_in_order(i, tickets[i], before, now)
                self._floater_went_to_the_oldest(i, tickets, waiting, before)
        self.issued = hall.counters.tickets.issued

    def _group_of(self, i: int) -> WindowGroup:
        window = self.hall.customers.window[i]
        return next(g for g in self.hall.counters.groups
                    if g.first_window <= window < g.first_window + g.windows)

    def _calls_lane(self, group: WindowGroup, j: int) -> bool:
        return group.index in self.hall.lane_of[self.hall.customers.service[j]].groups

    def _rank(self, group: WindowGroup, i: int, ticket: float, now: float) -> tuple:
        """Customer ``i``'s place in ``group``'s call order (lower is called first)."""
        c = self.hall.customers
        if c.booked[i] and c.slot[i] <= now:
            return (0, ticket)
        if isinstance(group.rule, TicketRule):
            return (1, c.priority[i], ticket)
        if isinstance(group.rule, OrderRule):
            lane = self.hall.lane_of[c.service[i]]
            entry = next(e for e, lanes in enumerate(group.entries) if lane in lanes)
            return (1, entry, c.priority[i], ticket)
        return (1,)

    def _called_in_order(self, i: int, ticket: float, before: list[tuple[int, int]],
                         now: float) -> None:
        group = self._group_of(i)
        mine = self._rank(group, i, ticket, now)
        for t, j in before:
            if not self._calls_lane(group, j):
                continue
            rank = self._rank(group, j, t, now)
            if rank < mine:
                booked = " (a booking past its slot)" if rank[0] == 0 else ""
                self.fail(f"customer {i} was called at {group.name} ahead of customer "
                          f"{j}{booked}, who comes first by the group's call order")

    def _floater_went_to_the_oldest(self, i: int, tickets: dict[int, float],
                                    waiting: list[tuple[int, int]],
                                    before: list[tuple[int, int]]) -> None:
        s = next((m for m in self.hall.staffing.members if m.busy and m.serving == i), None)
        if s is None or len(s.groups) < 2:
            return
        groups = self.hall.counters.groups
        group = self._group_of(i)
        # The oldest ticket at the chosen group when the member chose it: no earlier than
        # the oldest of those called there since, and of those still waiting there.
        here = min([t for j, t in tickets.items() if self._group_of(j) is group] +
                   [t for t, j in waiting if self._calls_lane(group, j)])
        for g in s.groups:
            other = groups[g]
            if other is group or other.busy >= other.windows:
                continue
            there = min((t for t, j in before if self._calls_lane(other, j)), default=math.inf)
            if there < here:
                self.fail(f"{s} sat at {group.name} while an older ticket ({there}) waited at "
                          f"{other.name}, which had a free window")


def run_checked(hall: Hall, every: int = 1) -> Checker:
    """Run a day step by step, checking the invariants after every ``every``-th event and at
    the end; raises ``InvariantViolation`` or ``StrandedCustomers``."""
    checker = Checker(hall)
    hall.start()
    env = hall.env
    step = 0
    while True:
        try:
            env.step()
        except EmptySchedule:
            break
        step += 1
        if step % every == 0:
            checker.check()
    checker.check()
    hall.check_finished()
    return checker
