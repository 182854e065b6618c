"""Queues that know their own length.

Removal is lazy: a customer who leaves from the middle of a queue (called elsewhere,
patience run out, sent on) is struck off at once (``len`` drops) and their entry is
skipped when it reaches the front. A customer joins each queue at most once a day, which
is what makes a struck-off entry safe to skip.
"""

from __future__ import annotations

from collections import deque
from heapq import heappop, heappush
from typing import Any


class FifoQueue:
    """First come, first served (the triage and kiosk queues)."""

    __slots__ = ("name", "_order", "_inside", "_count")

    def __init__(self, name: str, n: int):
        self.name = name
        self._order: deque[int] = deque()
        self._inside = bytearray(n)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, i: int) -> bool:
        return bool(self._inside[i])

    def push(self, i: int) -> None:
        """Join at the back."""
        self._order.append(i)
        self._inside[i] = 1
        self._count += 1

    def remove(self, i: int) -> None:
        """Leave from wherever one stands."""
        self._inside[i] = 0
        self._count -= 1

    def pop(self) -> int:
        """Take the first customer still waiting off the queue."""
        order, inside = self._order, self._inside
        while True:
            i = order.popleft()
            if inside[i]:
                inside[i] = 0
                self._count -= 1
                return i

    def members(self) -> list[int]:
        """Those waiting, front first."""
        return [i for i in self._order if self._inside[i]]


class TicketQueue:
    """Lowest priority number first, then ticket order (the counter and pre-processing queues)."""

    __slots__ = ("name", "_heap", "_inside", "_count", "_ticket", "_priority")

    def __init__(self, name: str, n: int, priority: Any):
        self.name = name
        self._heap: list[tuple[int, int, int]] = []
        self._inside = bytearray(n)
        self._count = 0
        self._ticket = 0
        self._priority = priority

    def __len__(self) -> int:
        return self._count

    def __contains__(self, i: int) -> bool:
        return bool(self._inside[i])

    def push(self, i: int) -> None:
        """Take the next ticket: behind everyone of the same or a more urgent class."""
        self._ticket += 1
        heappush(self._heap, (self._priority[i], self._ticket, i))
        self._inside[i] = 1
        self._count += 1

    def remove(self, i: int) -> None:
        """Leave from wherever one stands."""
        self._inside[i] = 0
        self._count -= 1

    def pop(self) -> int:
        """Take the next customer to be called off the queue."""
        heap, inside = self._heap, self._inside
        while True:
            i = heappop(heap)[2]
            if inside[i]:
                inside[i] = 0
                self._count -= 1
                return i

    def members(self) -> list[int]:
        """Those waiting, in the order they will be called."""
        return [entry[2] for entry in sorted(self._heap) if self._inside[entry[2]]]

    @property
    def issued(self) -> int:
        """Tickets issued so far."""
        return self._ticket

    def tickets(self) -> list[tuple[int, int, int]]:
        """(priority, ticket, customer) of those waiting, in call order (for checks)."""
        return [entry for entry in sorted(self._heap) if self._inside[entry[2]]]
