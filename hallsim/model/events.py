"""The model's own SimPy event: a timer that calls one function, scheduled through SimPy's
public ``Environment.schedule`` without the cost of a full ``Timeout``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import simpy
from simpy.events import NORMAL

__all__ = ["NORMAL", "Due", "delay_until"]


class Due(simpy.Event):
    """An event that is triggered when made: ``callback(event)`` runs when it is processed,
    ``event.value`` is ``value``. Schedule it with ``env.schedule(Due(...), NORMAL, delay)``."""

    __slots__ = ("callbacks", "_ok", "_value")

    def __init__(self, callback: Callable[[Any], None], value: Any = None):
        # Event.__init__ is skipped on purpose: these three fields are all SimPy reads.
        self.callbacks = [callback]
        self._ok = True
        self._value = value


def delay_until(now: float, when: float) -> float:
    """The smallest delay ``d`` with ``now + d >= when``: an event scheduled with it fires at
    ``when`` to the last bit (``when - now`` alone need not), or, in the rare case where no
    sum rounds to ``when`` exactly, at the next float after it, never before."""
    delay = when - now
    while now + delay < when:
        delay = math.nextafter(delay, math.inf)
    while True:
        smaller = math.nextafter(delay, -math.inf)
        if now + smaller < when:
            return delay
        delay = smaller
