"""Patience: when each waiting customer gives up.

A SimPy timer cannot be withdrawn, and most customers are called long before their
patience runs out: one timer per queue visit fills the event list with timers that fire
for nobody. Instead each visit's deadline waits in a heap, and one timer is armed, for
the earliest deadline of a customer still waiting. When it fires, everyone whose deadline
has come and who is still waiting on that visit gives up, earliest deadline first; then
the timer is armed for the next one. A deadline is the queue entry time plus what is left
of the patience, and the timer fires at it to the last bit (``delay_until``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

import simpy

from .events import delay_until


class Patience:
    """Deadlines of waiting customers, and the one timer for the earliest."""

    def __init__(self, env: simpy.Environment, still_waiting: Callable[[int, int], bool],
                 give_up: Callable[[int, float], None]):
        self._env = env
        self._still_waiting = still_waiting   # (customer, visit): still on that visit?
        self._give_up = give_up               # (customer, now): leaves the queue unserved
        self._deadlines: list[tuple[float, int, int]] = []   # (deadline, customer, visit)
        self._armed = math.inf                # when the live timer fires (inf: none)

    def start(self, i: int, visit: int, deadline: float) -> None:
        """Customer ``i`` starts waiting (``visit`` tags this queue visit) and gives up at
        ``deadline`` if still waiting then."""
        heappush(self._deadlines, (deadline, i, visit))
        if deadline < self._armed:
            self._arm(deadline)

    def _arm(self, deadline: float) -> None:
        self._armed = deadline
        now = self._env.now
        self._env.timeout(delay_until(now, deadline)).callbacks.append(self._due)

    def _due(self, _event: Any) -> None:
        """The timer fires: those whose deadline has come give up; arm for the next."""
        now = self._env.now
        if now != self._armed:
            return   # armed for a deadline since overtaken by an earlier one
        self._armed = math.inf
        deadlines, still_waiting = self._deadlines, self._still_waiting
        while deadlines and deadlines[0][0] <= now:
            _, i, visit = heappop(deadlines)
            if still_waiting(i, visit):
                self._give_up(i, now)
        while deadlines and not still_waiting(deadlines[0][1], deadlines[0][2]):
            heappop(deadlines)   # called or gone since: no need to wake for them
        if deadlines and deadlines[0][0] < self._armed:
            self._arm(deadlines[0][0])
