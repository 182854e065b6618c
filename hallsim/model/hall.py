"""One day in the hall: the customer's journey, composed of a customer table, queues,
counter groups, staffing, a routing and a dispatcher, on a SimPy environment; bookings
(``bookings.py``), patience (``patience.py``) and pre-processing (``paperwork.py``) are
concepts of their own.

Customers move by callbacks of SimPy timeouts (no process per customer); staff members
are processes (``Staffing.member_day``). Every change in who can serve a role reaches
``capacity_changed``, the one place that sends a queue on when nobody can serve it, and
every change ends in the dispatcher's one pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import simpy
from simpy.events import URGENT

from ..scenario.schema import ScenarioModel
from .bookings import Bookings
from .codes import Outcome, Pre, Role, State
from .counters import Counters, WindowGroup, specs
from .customers import CustomerTable
from .dispatch import GREETERS, KIOSKS, PAPERWORK, TICKETS, Dispatcher, flex_rules
from .events import delay_until
from .paperwork import Paperwork
from .patience import Patience
from .population import Population
from .queues import FifoQueue, TicketQueue
from .routing import TO_COUNTER, TO_ONLINE, DoorRouting, Routing
from .staff import StaffMember, roster
from .staffing import Staffing

COUNTER, TRIAGE, PREPROCESS = int(Role.COUNTER), int(Role.TRIAGE), int(Role.PREPROCESS)
Q_TRIAGE, IN_TRIAGE, Q_KIOSK, IN_KIOSK, Q_COUNTER, IN_COUNTER, DONE = (
    int(State.Q_TRIAGE), int(State.IN_TRIAGE), int(State.Q_KIOSK), int(State.IN_KIOSK),
    int(State.Q_COUNTER), int(State.IN_COUNTER), int(State.DONE))
SERVED_COUNTER, SERVED_KIOSK, ONLINE, ABANDONED, TURNED_AWAY = (int(o) for o in Outcome)
PRE_NONE, PRE_RUNNING, PRE_DONE = int(Pre.NONE), int(Pre.RUNNING), int(Pre.DONE)


class StrandedCustomers(RuntimeError):
    """Customers (or staff) were left in the hall when the events ran out: a model defect."""

class Hall:
    """One simulated day. Build, ``run()``, then read ``customers``, ``staffing.members``
    and ``staffing.trace``."""

    def __init__(self, sc: ScenarioModel, pop: Population,
                 routing: Callable[[Hall], Routing] = DoorRouting):
        self.scenario = sc
        self.env = env = simpy.Environment()
        self._timeout = env.timeout
        self.close = float(sc.hours.close - sc.hours.open)
        self.kiosks = sc.self_service.kiosks
        groups, n = specs(sc), len(pop)
        self.counters = Counters(groups, [s.name for s in sc.services], n, pop.priority)
        flex = flex_rules(sc, self.counters)
        members = roster(sc, [g.name for g in groups])
        self.staffing = Staffing(env, members, flex, self.close, len(groups))
        can = self.staffing.potential
        self.customers = c = CustomerTable(pop, triage=can[TRIAGE] > 0,
                                           kiosks=self.kiosks > 0,
                                           preprocess=can[PREPROCESS] > 0)
        self.triage_q = FifoQueue("triage", n)
        self.kiosk_q = FifoQueue("kiosk", n)
        self.pre_q = TicketQueue("preprocess", n, c.priority)
        self.lane_of = self.counters.lane_of
        self.in_triage = self.kiosks_busy = 0   # customers being triaged, kiosks in use
        self.bookings = Bookings(env, self.counters, c.slot,
                                 set(pop.service[pop.booked].tolist()))
        self.patience = Patience(env, self._still_waiting, self._give_up)
        self.dispatcher = Dispatcher(self, self.staffing, flex)
        self.paperwork = Paperwork(env, c, self.pre_q, self.dispatcher.after_job)
        self.pre_by = self.paperwork.by             # customer -> floor member on it
        self.start_preprocess = self.paperwork.start
        self.staffing.announce = self.capacity_changed
        self.routing = routing(self)
        self._at_door = self.routing.at_door
        self._idle = self.staffing.idle
        self._go = (self._to_triage, self._to_kiosk, self._to_counter)
        self.arrived = 0          # customers who have walked in so far
        self._close_lanes()       # a service no group's staff can ever serve

    # ------------------------------------------------------------------ running
    def run(self) -> Hall:
        """Run the day to its end; raise ``StrandedCustomers`` if anybody is left inside."""
        self.start()
        self.env.run()
        self.check_finished()
        return self

    def start(self) -> None:
        """Start the staff processes and schedule the first arrival (for stepping by hand).

        Arrivals come first at their instant: a customer walking in at minute t is in the
        hall before any completion, break or shift change at t is handled (so a booking
        arriving on its slot is seen by the window that frees then), whatever the order in
        which the timers were created. The first arrival's timer is created before any
        other; each later one is scheduled with SimPy's URGENT priority (``_arrive``)."""
        for member in self.staffing.members:
            self.env.process(self.staffing.member_day(member))
        if self.customers.n:
            self._timeout(self.customers.arrival[0]).callbacks.append(self._arrive)

    def check_finished(self) -> None:
        """Everybody must have left by the model's own rules when the events run out."""
        state = self.customers.columns["state"]
        if (state != DONE).any() or self.staffing.remaining:
            raise StrandedCustomers(self.describe())

    def describe(self) -> str:
        """The hall's state in words: time, queues, staff on duty, anyone still inside."""
        state = self.customers.columns["state"]
        inside = [(i, State(int(state[i])).name) for i in range(self.customers.n)
                  if state[i] != DONE and self.customers.arrival[i] <= self.env.now]
        staffing, lanes = self.staffing, [lane.members() for lane in self.counters.lanes]
        return (f"at minute {self.env.now:g}: queues triage={self.triage_q.members()} "
                f"kiosk={self.kiosk_q.members()} counter lanes={lanes} "
                f"preprocess={self.pre_q.members()}; being triaged {self.in_triage}, "
                f"kiosks busy {self.kiosks_busy}, groups {self.counters.groups}; "
                f"available by role {staffing.available}, at work {staffing.present}, "
                f"may still serve {staffing.potential} (groups {staffing.potential_group}); "
                f"on duty {staffing.on_duty()}; "
                f"not yet gone {[s for s in staffing.members if math.isnan(s.left_at)]}; "
                f"customers inside {inside[:20]}{' ...' if len(inside) > 20 else ''}")

    def upstream(self) -> int:
        """Customers at triage or at a kiosk, who may yet need a counter."""
        return self.triage_q.count + self.in_triage + self.kiosk_q.count + self.kiosks_busy

    # ------------------------------------------------------ capacity changes
    def capacity_changed(self, role: int) -> None:
        """Staffing changed in ``role``. If nobody can triage, the triage queue routes
        itself; a ticket lane no group with staff left today calls is turned away;
        pre-processing simply stops. Then work is dispatched."""
        if role == TRIAGE and self.staffing.available[TRIAGE] == 0 and len(self.triage_q):
            self._send_on_triage_queue()
        self._close_lanes()
        self.dispatcher.dispatch()

    def _send_on_triage_queue(self) -> None:
        """No greeter on duty: those queueing for triage route themselves, keeping their wait."""
        for i in self.triage_q.members():
            self.triage_q.remove(i)
            self._left_queue(i, self.env.now)
            self._go[self.routing.on_own(i)](i, self.env.now)

    def _close_lanes(self) -> None:
        """Lanes whose calling groups have nobody left on the plan today turn away their
        queue (and every later ticket)."""
        potential = self.staffing.potential_group
        for lane in self.counters.lanes:
            if not lane.closed and not any(potential[g] for g in lane.groups):
                lane.closed = True
                for i in lane.members():
                    lane.remove(i)
                    self._turn_away(i, self.env.now)

    # --------------------------------------------------------- customer journey
    def _arrive(self, door: Any) -> None:
        """A customer walks in; the routing says where to. The door's event, just
        processed, is scheduled again for the next arrival, URGENT: ahead of every other
        event of that instant."""
        i = self.arrived
        self.arrived = j = i + 1
        c = self.customers
        now = self.env.now
        if j < c.n:
            when = c.arrival[j]
            delay = when - now
            if now + delay != when:  # rare: keep the clock equal to the recorded time
                delay = delay_until(now, when)
            door.callbacks = [self._arrive]
            self.env.schedule(door, URGENT, delay)
        self._go[self._at_door(i)](i, now)

    def _to_triage(self, i: int, now: float) -> None:
        """Reach the triage desk: served at once by an idle greeter, or queue."""
        self.customers.triage_enter[i] = now
        idle = self.staffing.idle[TRIAGE]
        if idle:
            self.start_triage(idle.popleft(), i, now)
            return
        self._queue(i, Q_TRIAGE, now)
        self.triage_q.push(i)
        self.dispatcher.joined(GREETERS)

    def _to_kiosk(self, i: int, now: float) -> None:
        """Reach the kiosks: start on a free one, or queue."""
        self.customers.kiosk_enter[i] = now
        if self.kiosks_busy < self.kiosks:
            self.start_kiosk(i, now)
            return
        self._queue(i, Q_KIOSK, now)
        self.kiosk_q.push(i)

    def _to_counter(self, i: int, now: float) -> None:
        """Take a ticket: turned away if no group that calls the service has anybody left
        today; called at once if a group that calls it has a free window and an idle
        member; else wait in the service's lane (and for pre-processing)."""
        c = self.customers
        c.counter_enter[i] = now
        lane = self.lane_of[c.service[i]]
        if lane.closed:
            self._turn_away(i, now)
            return
        if self._idle[COUNTER]:  # nobody waits where an idle member has a window
            for group in lane.callers:
                if group.busy < group.windows:
                    s = self.dispatcher.seat(group)
                    if s is not None:
                        self.start_counter(s, group, i, now)
                        return
        self._queue(i, Q_COUNTER, now)
        ticket = lane.push(i)
        if c.booked[i]:  # called before walk-ins from the slot on
            self.bookings.took_ticket(i, lane, ticket)
        if c.pre_eligible[i]:
            self.pre_q.push(i)
            self.dispatcher.dispatch(TICKETS | PAPERWORK)
        else:
            self.dispatcher.joined(TICKETS)

    def _queue(self, i: int, where: int, now: float) -> None:
        """Start waiting in a queue at ``now``, with what is left of the patience."""
        c = self.customers
        c.state[i] = where
        c.visit[i] = visit = c.visit[i] + 1
        if c.abandons:
            patience = c.patience[i]
            if patience != math.inf:
                self.patience.start(i, visit, now + max(patience - c.waited[i], 0.0))

    def _left_queue(self, i: int, now: float) -> None:
        """Stop waiting (the queue object already let go): add the wait; a ticket's
        pre-processing stops or is no longer wanted."""
        c = self.customers
        where = c.state[i]
        if where == Q_COUNTER:
            spent = now - c.counter_enter[i]
            c.counter_wait[i] = spent
            if c.pre_eligible[i]:
                pre = c.pre_state[i]
                if pre == PRE_NONE:
                    self.pre_q.remove(i)
                elif pre == PRE_RUNNING:
                    self.paperwork.stop(i, now)
        elif where == Q_TRIAGE:
            spent = now - c.triage_enter[i]
            c.triage_wait[i] = spent
        else:
            spent = now - c.kiosk_enter[i]
            c.kiosk_wait[i] = spent
        c.waited[i] += spent

    def _still_waiting(self, i: int, visit: int) -> bool:
        """Is customer ``i`` still queueing on queue visit ``visit``?"""
        c = self.customers
        return c.visit[i] == visit and c.state[i] in (Q_TRIAGE, Q_KIOSK, Q_COUNTER)

    def _give_up(self, i: int, now: float) -> None:
        """Patience runs out: the customer leaves their queue unserved."""
        c = self.customers
        where = c.state[i]
        (self.triage_q if where == Q_TRIAGE else self.kiosk_q if where == Q_KIOSK
         else self.lane_of[c.service[i]]).remove(i)
        c.left_from[i] = where
        self._left_queue(i, now)
        c.outcome[i] = ABANDONED
        self._depart(i, now)
        self.dispatcher.dispatch(TICKETS if where == Q_COUNTER else
                                 GREETERS if where == Q_TRIAGE else KIOSKS)

    def _turn_away(self, i: int, now: float) -> None:
        """Nobody on the plan is left to serve the customer's lane: leave unserved, not as
        an abandonment (the wait so far is kept)."""
        c = self.customers
        if c.state[i] == Q_COUNTER:
            self._left_queue(i, now)
        c.outcome[i] = TURNED_AWAY
        self._depart(i, now)

    def _depart(self, i: int, now: float) -> None:
        """Leave the hall."""
        self.customers.state[i] = DONE
        self.customers.departure[i] = now

    # ---------------------------------------------------------------- services
    def start_triage(self, s: StaffMember, i: int, now: float) -> None:
        """A greeter starts asking customer ``i`` what they need."""
        c = self.customers
        if c.state[i] == Q_TRIAGE:
            self._left_queue(i, now)
        c.state[i] = IN_TRIAGE
        self.in_triage += 1
        s.busy, s.serving, s.busy_since = True, i, now   # on the job
        self._timeout(c.triage_minutes_drawn[i], s).callbacks.append(self._triage_done)

    def _triage_done(self, event: Any) -> None:
        """Triage is over: the customer is routed before the greeter is freed (so the next
        queue sees them first)."""
        s = event.value
        i = s.serving
        now = self.env.now
        self.in_triage -= 1
        c = self.customers
        c.triaged[i] = 1
        where = self.routing.after_triage(i)
        dispatcher = self.dispatcher
        dispatcher.dispatching = True  # one pass once the greeter is free too
        if where == TO_ONLINE:
            c.outcome[i] = ONLINE
            self._depart(i, now)
        else:
            self._go[where](i, now)
        dispatcher.dispatching = False
        dispatcher.after_job(s, now)

    def start_kiosk(self, i: int, now: float) -> None:
        """A customer starts on a free kiosk."""
        c = self.customers
        if c.state[i] == Q_KIOSK:
            self._left_queue(i, now)
        c.state[i] = IN_KIOSK
        self.kiosks_busy += 1
        c.kiosk_start[i] = now
        self._timeout(c.kiosk_minutes_drawn[i], i).callbacks.append(self._kiosk_done)

    def _kiosk_done(self, event: Any) -> None:
        """Kiosk time is over: served, or (a failure) a counter ticket keeping the wait and
        patience spent; the freed kiosk takes the next in its queue."""
        i = event.value
        now = self.env.now
        c = self.customers
        self.kiosks_busy -= 1
        if c.kiosk_fails[i]:
            c.kiosk_failed[i] = 1
            self._go[TO_COUNTER](i, now)  # back of their priority class
        else:
            c.outcome[i] = SERVED_KIOSK
            self._depart(i, now)
        self.dispatcher.dispatch(KIOSKS)

    def start_counter(self, s: StaffMember, group: WindowGroup, i: int, now: float) -> None:
        """A counter member calls customer ``i`` to a free window of ``group`` (a
        completed pre-processing shortens the service)."""
        c = self.customers
        if c.state[i] == Q_COUNTER:
            self._left_queue(i, now)
        c.state[i] = IN_COUNTER
        minutes = c.counter_minutes_drawn[i]
        if c.pre_eligible[i] and c.pre_state[i] == PRE_DONE:
            minutes *= 1.0 - c.pre_saves[i]
        c.counter_start[i] = now
        c.counter_minutes[i] = minutes
        group.busy += 1
        s.group = group
        s.window = window = group.free.pop()
        c.window[i] = window
        s.busy, s.serving, s.busy_since = True, i, now   # on the job
        self._timeout(minutes, s).callbacks.append(self._counter_done)

    def _counter_done(self, event: Any) -> None:
        """Counter service is over: the customer leaves, the window is free again, the
        member takes what is next."""
        s = event.value
        c = self.customers
        i = s.serving
        group = s.group
        group.busy -= 1
        group.free.append(s.window)
        c.outcome[i] = SERVED_COUNTER
        c.state[i] = DONE  # _depart, inlined: once per customer served
        c.departure[i] = now = self.env.now
        self.dispatcher.after_job(s, now)
