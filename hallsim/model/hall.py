"""The SimPy model of one day in the hall: queues, the customer's journey and the dispatcher.

Customers move by event callbacks on SimPy's clock and event queue (no process
per customer); staff are processes (``staff.py``) that come and go by the plan.
Queues are ours, not ``simpy.Resource``, because capacity changes all day.
Every removal from a queue is lazy: a stale entry is skipped when popped, and
stale patience timers are ignored by their visit tag.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import deque
from typing import Any

import numpy as np
import simpy
from simpy.events import NORMAL

from ..scenario.schema import ScenarioModel
from .duty import Duty
from .population import Population
from .staff import COUNTER, PREPROCESS, ROLE_INDEX, TRIAGE, StaffMember, roster, staff_life
from .states import (  # noqa: F401 - re-exported: records, metrics and tests read them here
    ABANDONED,
    BUSY_WINDOWS,
    DONE,
    IN_COUNTER,
    IN_KIOSK,
    IN_TRIAGE,
    KIOSKS_BUSY,
    NEW,
    ONLINE,
    PRE_DONE,
    PRE_NONE,
    PRE_RUNNING,
    PRE_STOPPED,
    Q_COUNTER,
    Q_KIOSK,
    Q_TRIAGE,
    QUEUE_COUNTER,
    QUEUE_KIOSK,
    QUEUE_PRE,
    QUEUE_TRIAGE,
    SERVED_COUNTER,
    SERVED_KIOSK,
)

_heappush = heapq.heappush


class _Due:
    """A minimal SimPy event: already triggered, one callback, one value.

    Customers' timers are these, pushed onto SimPy's own event queue exactly as
    ``Environment.schedule`` does, without the cost of a full ``Timeout``.
    """

    __slots__ = ("callbacks", "_ok", "value")

    def __init__(self, callback: Any, value: Any):
        self.callbacks = [callback]
        self._ok = True
        self.value = value


def _floats(n: int, fill: float = 0.0) -> array:
    return array("d", [fill]) * n


def _bytes(n: int, fill: int = 0) -> array:
    return array("b", [fill]) * n


def _block(values: np.ndarray, code: str = "d") -> Any:
    """Read-only per-customer input without a copy: indexing gives Python floats/ints."""
    if code == "d":
        return memoryview(np.ascontiguousarray(values, dtype=np.float64))  # type: ignore[arg-type]
    return memoryview(np.ascontiguousarray(values).astype(np.int8))  # type: ignore[arg-type]


class Hall(Duty):
    """One simulated day. Build, ``run()``, then read the per-customer lists and the trace."""

    def __init__(self, sc: ScenarioModel, pop: Population):
        self.env = simpy.Environment()
        self.close = float(sc.hours.close - sc.hours.open)
        self.windows = sc.counters.windows
        self.kiosks = sc.self_service.kiosks
        self.divert_kiosk = sc.triage.divert_self_service if sc.triage is not None else 0.0
        self.self_select = sc.triage.self_select if sc.triage is not None else 0.0
        self.flex = [(ROLE_INDEX[r.from_role], ROLE_INDEX[r.to_role], r.queue_at_least,
                      r.queue_at_most) for r in sc.flex]
        self._flex_sources = {rule[0] for rule in self.flex}
        # Fast paths skip a full dispatch where it provably changes nothing; tests run every
        # shipped scenario with them off and require identical records.
        self._fast = True

        # Per-customer inputs and state live in compact arrays (8 bytes a float, 1 a flag),
        # not lists of Python objects: a day of a million customers must fit in memory.
        n = len(pop)
        self.n = n
        # The population columns the records need; the rest is freed once copied below.
        self.given = {"arrival": pop.arrival, "service": pop.service, "priority": pop.priority,
                      "kiosk_minutes": pop.kiosk_minutes, "pre_eligible": pop.pre_eligible}
        self.arrival = _block(pop.arrival)
        self.priority = pop.priority.tolist()          # small ints: shared objects
        self.triage_minutes = _block(pop.triage_minutes)
        self.goes_online = _block(pop.goes_online, "b")
        self.kiosk_ok = _block(pop.kiosk_eligible & (self.kiosks > 0), "b")
        self.kiosk_draw = _block(pop.kiosk_draw)
        self.kiosk_minutes = _block(pop.kiosk_minutes)
        self.kiosk_fails = _block(pop.kiosk_fails, "b")
        self.pre_eligible = _block(pop.pre_eligible, "b")
        self.pre_minutes = _block(pop.pre_minutes)
        self.pre_saves = _block(pop.pre_saves)
        self.counter_minutes = _block(pop.counter_minutes)
        self.patience = _block(pop.patience)
        self.abandons = bool(np.isfinite(pop.patience).any())

        # What happens to each customer (the raw material of the records). Each queue is
        # visited at most once, so its entry time and wait describe that visit entirely.
        nan = math.nan
        self.state = _bytes(n, NEW)
        self.visit = _bytes(n)
        self.waited = _floats(n)
        self.enter = {Q_TRIAGE: _floats(n, nan), Q_KIOSK: _floats(n, nan),
                      Q_COUNTER: _floats(n, nan)}
        self.wait_in = {Q_TRIAGE: _floats(n), Q_KIOSK: _floats(n), Q_COUNTER: _floats(n)}
        self.outcome = _bytes(n, ABANDONED)
        self.abandoned_in = _bytes(n)
        self.departure = _floats(n, nan)
        self.triaged = _bytes(n)
        self.kiosk_failed = _bytes(n)
        self.kiosk_start = _floats(n, nan)
        self.counter_start = _floats(n, nan)
        self.counter_service = _floats(n)
        self.pre_state = _bytes(n, PRE_NONE)
        self.pre_start = _floats(n, nan)
        self.pre_occupied = _floats(n)
        self.pre_by: dict[int, StaffMember] = {}

        # Queues (lazy deletion) and counts of who is really waiting in them.
        self.triage_q: deque[int] = deque()
        self.kiosk_q: deque[int] = deque()
        self.counter_q: list[tuple[int, int, int]] = []
        self.pre_q: deque[int] = deque()
        self.waiting = {Q_TRIAGE: 0, Q_KIOSK: 0, Q_COUNTER: 0}
        self.pre_waiting = 0
        self.ticket = 0
        self.kiosks_busy = 0
        self.busy_windows = 0
        self.upstream = 0  # at triage or at a kiosk: may yet need a counter

        # Staff.
        self.staff = roster(sc)
        self.idle: tuple[deque[StaffMember], ...] = (deque(), deque(), deque())
        self.available = [0, 0, 0]   # on duty and not leaving, by current role
        self.present = [0, 0, 0]     # at work (finishing a customer counts), by current role
        self.remaining = len(self.staff)
        self.all_gone = not self.staff
        self.in_overtime = 0
        self._dispatching = False
        self._again = False
        self._next = 0

        # Staff present per role as it changes: (time, role, count). Queue and service
        # levels are not traced: they follow from the per-customer records.
        self.trace: list[tuple[float, int, float]] = []
        self._queue_heap: list[Any] = self.env._queue  # SimPy's event queue, shared
        self._eid = self.env._eid

    # ------------------------------------------------------------------ running
    def run(self) -> Hall:
        env = self.env
        for member in self.staff:
            env.process(staff_life(self, member))
        if self.n:
            self._at_time(self.arrival[0], self._arrive)
        env.run()
        # Nobody should be left when events run out (the last staff member's leaving sends
        # the queues home). If someone is, they could never be served: count them as
        # abandoned, and count them here so the tests can insist this never happens.
        self.stranded = 0
        for i in range(self.n):
            if self.state[i] != DONE:
                self.stranded += 1
                self._abandon_now(i)
        return self

    def _log(self, series: int, value: float) -> None:
        self.trace.append((self.env._now, series, value))

    def _at(self, delay: float, callback: Any, value: Any) -> None:
        """Call ``callback(event)`` after ``delay`` minutes (``event.value`` is ``value``)."""
        _heappush(self._queue_heap, (self.env._now + delay, NORMAL, next(self._eid),
                                     _Due(callback, value)))

    def _at_time(self, when: float, callback: Any) -> None:
        """Call ``callback`` at exactly ``when``: the clock then equals the recorded arrival
        time to the last bit (``now + (when - now)`` need not)."""
        _heappush(self._queue_heap, (when, NORMAL, next(self._eid), _Due(callback, None)))

    # --------------------------------------------------------- customer journey
    def _arrive(self, _event: simpy.Event) -> None:
        i = self._next
        self._next = i + 1
        if self._next < self.n:
            self._at_time(self.arrival[self._next], self._arrive)
        if self.available[TRIAGE] > 0:
            self._to_triage(i)
        else:
            self._self_route(i)

    def _self_route(self, i: int) -> None:
        """No greeter on duty: take a ticket, or try a kiosk by one's own choice."""
        if self.kiosk_ok[i] and self.kiosk_draw[i] < self.self_select:
            self._to_kiosk(i)
        else:
            self._to_counter(i)

    def _route_after_triage(self, i: int) -> None:
        self.triaged[i] = True
        if self.goes_online[i]:
            self.outcome[i] = ONLINE
            self._depart(i)
        elif self.kiosk_ok[i] and self.kiosk_draw[i] < self.divert_kiosk:
            self._to_kiosk(i)
        else:
            self._to_counter(i)

    def _to_triage(self, i: int) -> None:
        self.upstream += 1
        self._enter(i, Q_TRIAGE)
        if self.idle[TRIAGE]:
            self._start_triage(self.idle[TRIAGE].popleft(), i)
            return
        self._queue(i, Q_TRIAGE)
        self.triage_q.append(i)
        if self._dispatch_needed():  # no greeter was idle: only a flex rule could act on this
            self.dispatch()

    def _to_kiosk(self, i: int) -> None:
        self.upstream += 1
        self._enter(i, Q_KIOSK)
        if self.kiosks_busy < self.kiosks:
            self._start_kiosk(i)
            return
        self._queue(i, Q_KIOSK)
        self.kiosk_q.append(i)

    def _to_counter(self, i: int) -> None:
        self._enter(i, Q_COUNTER)
        if self.all_gone:  # nobody on the plan is left to serve them
            self.abandoned_in[i] = Q_COUNTER
            self._abandon_now(i)
            return
        if self.idle[COUNTER] and self.busy_windows < self.windows:
            self._start_counter(self.idle[COUNTER].popleft(), i)
            return
        self._queue(i, Q_COUNTER)
        self.ticket += 1
        heapq.heappush(self.counter_q, (self.priority[i], self.ticket, i))
        if self.pre_eligible[i]:
            self.pre_q.append(i)
            self.pre_waiting += 1
        if self._dispatch_needed():
            self.dispatch()
        elif self.pre_eligible[i] and self.idle[PREPROCESS]:
            # Fast path: unless a flex rule is due, a new ticket can only give idle floor
            # staff work.
            self._start_work(self.idle[PREPROCESS].popleft(), PREPROCESS)

    def _enter(self, i: int, where: int) -> None:
        """Arrive at a queue's end (served at once or not): the records' entry time."""
        self.enter[where][i] = self.env._now

    def _queue(self, i: int, where: int) -> None:
        """Wait in a queue; arm a patience timer for what is left of the patience."""
        self.state[i] = where
        self.visit[i] += 1
        self.waiting[where] += 1
        if self.abandons:
            patience = self.patience[i]
            if patience != math.inf:
                left = max(patience - self.waited[i], 0.0)
                self._at(left, self._patience_out, (i, self.visit[i]))

    def _leave_queue(self, i: int) -> None:
        where = self.state[i]
        spent = self.env._now - self.enter[where][i]
        self.waited[i] += spent
        self.wait_in[where][i] = spent
        self.waiting[where] -= 1
        if where == Q_COUNTER and self.pre_eligible[i]:
            if self.pre_state[i] == PRE_NONE:
                self.pre_waiting -= 1
            elif self.pre_state[i] == PRE_RUNNING:
                self._stop_preprocess(i)

    def _patience_out(self, event: Any) -> None:
        i, visit = event.value
        if self.visit[i] != visit or self.state[i] not in (Q_TRIAGE, Q_KIOSK, Q_COUNTER):
            return  # a stale timer: the customer moved on
        self._abandon(i)
        # A shorter queue starts nobody's work; only a freed floor member or overtime might.
        if not self._fast or self._again or self.in_overtime:
            self.dispatch()

    def _abandon(self, i: int) -> None:
        where = self.state[i]
        self.abandoned_in[i] = where
        self._leave_queue(i)
        if where != Q_COUNTER:
            self.upstream -= 1
        self._abandon_now(i)

    def _abandon_now(self, i: int) -> None:
        self.outcome[i] = ABANDONED
        self._depart(i)

    def _depart(self, i: int) -> None:
        self.state[i] = DONE
        self.departure[i] = self.env._now

    # ---------------------------------------------------------------- services
    def _start_triage(self, s: StaffMember, i: int) -> None:
        if self.state[i] == Q_TRIAGE:
            self._leave_queue(i)
        self.state[i] = IN_TRIAGE
        self._busy(s)
        self._at(self.triage_minutes[i], self._triage_done, (s, i))

    def _triage_done(self, event: Any) -> None:
        s, i = event.value
        self.upstream -= 1
        self._route_after_triage(i)  # before freeing the greeter: the next queue sees them first
        self._free(s)

    def _start_kiosk(self, i: int) -> None:
        if self.state[i] == Q_KIOSK:
            self._leave_queue(i)
        self.state[i] = IN_KIOSK
        self.kiosks_busy += 1
        self.kiosk_start[i] = self.env._now
        self._at(self.kiosk_minutes[i], self._kiosk_done, i)

    def _kiosk_done(self, event: Any) -> None:
        i = event.value
        self.kiosks_busy -= 1
        self.upstream -= 1
        if self.kiosk_fails[i]:
            self.kiosk_failed[i] = True
            self._to_counter(i)  # back of their priority class, wait and patience kept
        else:
            self.outcome[i] = SERVED_KIOSK
            self._depart(i)
        if self._dispatch_needed():
            self.dispatch()
        elif self.waiting[Q_KIOSK] and self.kiosks_busy < self.kiosks:
            self._start_kiosk(self._pop(self.kiosk_q, Q_KIOSK))  # the freed kiosk's next

    def _start_counter(self, s: StaffMember, i: int) -> None:
        now = self.env._now
        if self.state[i] == Q_COUNTER:
            self._leave_queue(i)
        self.state[i] = IN_COUNTER
        minutes = self.counter_minutes[i]
        if self.pre_state[i] == PRE_DONE:
            minutes *= 1.0 - self.pre_saves[i]
        self.counter_start[i] = now
        self.counter_service[i] = minutes
        self.busy_windows += 1
        self._busy(s)
        self._at(minutes, self._counter_done, (s, i))

    def _counter_done(self, event: Any) -> None:
        s, i = event.value
        self.busy_windows -= 1
        self.outcome[i] = SERVED_COUNTER
        self._depart(i)
        self._free(s)

    def _start_preprocess(self, s: StaffMember, i: int) -> None:
        self.pre_waiting -= 1
        self.pre_state[i] = PRE_RUNNING
        self.pre_start[i] = self.env._now
        self.pre_by[i] = s
        self._busy(s)
        s.job_tag += 1
        self._at(self.pre_minutes[i], self._preprocess_done, (s, s.job_tag, i))

    def _preprocess_done(self, event: Any) -> None:
        s, tag, i = event.value
        if s.job_tag != tag or self.pre_state[i] != PRE_RUNNING:
            return  # stopped earlier: the customer was called or left
        self.pre_state[i] = PRE_DONE
        self.pre_occupied[i] = self.env._now - self.pre_start[i]
        del self.pre_by[i]
        self._free(s)

    def _stop_preprocess(self, i: int) -> None:
        """The customer is called (or leaves) first: the paperwork stops, no saving.

        The floor staff member is freed without dispatching: this runs in the middle of
        calling or removing a customer, and a dispatch now would see that customer
        half-moved. Every caller dispatches once its own change is complete.
        """
        s = self.pre_by.pop(i)
        self.pre_state[i] = PRE_STOPPED
        self.pre_occupied[i] = self.env._now - self.pre_start[i]
        s.job_tag += 1
        self._free(s, dispatch=False)

    # --------------------------------------------------------------- dispatcher
    def dispatch(self) -> None:
        """Give waiting work to idle staff and machines; re-run if that freed someone."""
        if self._dispatching:
            self._again = True
            return
        self._dispatching = True
        try:
            self._again = True
            while self._again:
                self._again = False
                self._assign()
        finally:
            self._dispatching = False

    def _assign(self) -> None:
        idle, waiting = self.idle, self.waiting
        while waiting[Q_KIOSK] and self.kiosks_busy < self.kiosks:
            self._start_kiosk(self._pop(self.kiosk_q, Q_KIOSK))
        while idle[TRIAGE] and waiting[Q_TRIAGE]:
            self._start_work(idle[TRIAGE].popleft(), TRIAGE)
        while idle[COUNTER] and waiting[Q_COUNTER] and self.busy_windows < self.windows:
            self._start_work(idle[COUNTER].popleft(), COUNTER)
        while idle[PREPROCESS] and self.pre_waiting:
            self._start_work(idle[PREPROCESS].popleft(), PREPROCESS)
        for rule in self.flex:
            source, target, at_least, _ = rule
            while (idle[source] and self._queue_length(target) >= at_least
                   and (target != COUNTER or self.busy_windows < self.windows)):
                s = idle[source].popleft()
                self._switch(s, target)
                s.flex_rule = rule
                self._start_work(s, target)
        if self.in_overtime and self.env.now >= self.close:
            self._release_overtime()

    def _dispatch_needed(self) -> bool:
        """After a queue grows or a kiosk frees, must the full dispatcher run? Only with the
        shortcuts off, inside a dispatch already, in overtime, or when a flex rule is due."""
        return not self._fast or self._dispatching or bool(self.in_overtime) or self._flex_due()

    def _flex_due(self) -> bool:
        """Could a flex rule move an idle member now? (Cheap, conservative.)"""
        for source, target, at_least, _ in self.flex:
            if self.idle[source] and self._queue_length(target) >= at_least:
                return True
        return False

    def _queue_length(self, role: int) -> int:
        if role == COUNTER:
            return self.waiting[Q_COUNTER]
        if role == TRIAGE:
            return self.waiting[Q_TRIAGE]
        return self.pre_waiting

    def _start_work(self, s: StaffMember, role: int) -> None:
        if role == COUNTER:
            tickets = self.counter_q
            while True:
                i = heapq.heappop(tickets)[2]
                if self.state[i] == Q_COUNTER:
                    break
            self._start_counter(s, i)
        elif role == TRIAGE:
            self._start_triage(s, self._pop(self.triage_q, Q_TRIAGE))
        else:
            q, state, pre_state = self.pre_q, self.state, self.pre_state
            while True:
                i = q.popleft()
                if state[i] == Q_COUNTER and pre_state[i] == PRE_NONE:
                    break
            self._start_preprocess(s, i)

    def _pop(self, q: deque[int], where: int) -> int:
        state = self.state
        while True:
            i = q.popleft()
            if state[i] == where:
                return i
