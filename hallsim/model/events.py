"""Timing helpers for the model's SimPy timeouts."""

from __future__ import annotations

import math

__all__ = ["delay_until"]


def delay_until(now: float, when: float) -> float:
    """A delay ``d`` with ``now + d == when``: an event scheduled with it fires at ``when``
    to the last bit (``when - now`` alone need not), or, in the rare case where no sum
    rounds to ``when`` exactly, the smallest ``d`` with ``now + d > when``: at the next
    float after it, never before."""
    delay = when - now
    if now + delay == when:
        return delay
    while now + delay < when:
        delay = math.nextafter(delay, math.inf)
    while True:
        smaller = math.nextafter(delay, -math.inf)
        if now + smaller < when:
            return delay
        delay = smaller
