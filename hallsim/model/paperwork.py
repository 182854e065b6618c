"""Pre-processing (预处理) while a customer waits for a counter: a floor member fills in
the paperwork of an eligible ticket. Complete before the call, it shortens the counter
service; if the customer is called (or leaves) first, it stops, with no saving."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import simpy

from .codes import Pre
from .customers import CustomerTable
from .queues import TicketQueue
from .staff import StaffMember

PRE_RUNNING, PRE_DONE, PRE_STOPPED = int(Pre.RUNNING), int(Pre.DONE), int(Pre.STOPPED)


class Paperwork:
    """The eligible tickets not yet started (``queue``) and whose paperwork is in whose
    hands (``by``)."""

    def __init__(self, env: simpy.Environment, customers: CustomerTable, queue: TicketQueue,
                 after_job: Callable[..., None]):
        self._env = env
        self._customers = customers
        self.queue = queue
        self.by: dict[int, StaffMember] = {}
        self._after_job = after_job   # the dispatcher's: the member is free

    def start(self, s: StaffMember, i: int, now: float) -> None:
        """Floor member ``s`` starts the paperwork of customer ``i``, who keeps waiting."""
        c = self._customers
        c.pre_state[i] = PRE_RUNNING
        c.pre_start[i] = now
        self.by[i] = s
        s.busy, s.serving, s.busy_since = True, i, now
        s.job_tag += 1
        self._env.timeout(c.pre_minutes_drawn[i], (s, s.job_tag)).callbacks.append(self._done)

    def _done(self, event: Any) -> None:
        """The paperwork is complete before the call: the counter service will be shorter."""
        s, tag = event.value
        if s.job_tag != tag:
            return  # stopped earlier: the customer was called or left
        c = self._customers
        i = s.serving
        now = self._env.now
        c.pre_state[i] = PRE_DONE
        c.pre_minutes[i] = now - c.pre_start[i]
        del self.by[i]
        self._after_job(s, now)

    def stop(self, i: int, now: float) -> None:
        """The customer is called (or leaves) first: the paperwork stops, no saving.

        The floor member is only placed, not dispatched: this runs in the middle of moving
        that customer, and every caller dispatches once its own change is complete.
        """
        c = self._customers
        s = self.by.pop(i)
        c.pre_state[i] = PRE_STOPPED
        c.pre_minutes[i] = now - c.pre_start[i]
        s.job_tag += 1
        self._after_job(s, now, dispatch=False)
