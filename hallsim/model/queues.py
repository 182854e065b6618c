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

    __slots__ = ("name", "_order", "_inside", "count")

    def __init__(self, name: str, n: int):
        self.name = name
        self._order: deque[int] = deque()
        self._inside = bytearray(n)
        self.count = 0

    def __len__(self) -> int:
        return self.count   # hot code reads .count itself

    def __contains__(self, i: int) -> bool:
        return bool(self._inside[i])

    def push(self, i: int) -> None:
        """Join at the back."""
        self._order.append(i)
        self._inside[i] = 1
        self.count += 1

    def remove(self, i: int) -> None:
        """Leave from wherever one stands."""
        self._inside[i] = 0
        self.count -= 1

    def pop(self) -> int:
        """Take the first customer still waiting off the queue."""
        order, inside = self._order, self._inside
        while True:
            i = order.popleft()
            if inside[i]:
                inside[i] = 0
                self.count -= 1
                return i

    def members(self) -> list[int]:
        """Those waiting, front first."""
        return [i for i in self._order if self._inside[i]]


BOOKED = -(2**62)   # the priority a promoted booking reads as: ahead of every class


class Tickets:
    """The ticket dispenser: numbers rise with the time a ticket is taken, hall-wide."""

    __slots__ = ("issued",)

    def __init__(self) -> None:
        self.issued = 0

    def take(self) -> int:
        self.issued += 1
        return self.issued


class TicketQueue:
    """Lowest priority number first, then ticket order (the pre-processing queue, and each
    ticket lane of the counters). Customers promoted as booked (past their slot) come
    before everyone else, among themselves by ticket."""

    __slots__ = ("name", "_heap", "_booked", "_order", "_inside", "count", "promoted",
                 "_tickets", "_priority")

    def __init__(self, name: str, n: int, priority: Any, tickets: Tickets | None = None):
        self.name = name
        self._heap: list[tuple[int, int, int]] = []
        self._booked: list[tuple[int, int]] = []   # (ticket, customer), promoted bookings
        self._order: deque[tuple[int, int]] | None = None   # (ticket, customer), as taken
        self._inside = bytearray(n)   # 0 out, 1 waiting as a walk-in, 2 promoted as booked
        self.count = 0
        self.promoted = 0             # promoted bookings waiting
        self._tickets = tickets if tickets is not None else Tickets()
        self._priority = priority

    def __len__(self) -> int:
        return self.count   # hot code reads .count itself

    def __contains__(self, i: int) -> bool:
        return bool(self._inside[i])

    def push(self, i: int) -> int:
        """Take the next ticket: behind everyone of the same or a more urgent class.
        Returns the ticket number."""
        tickets = self._tickets
        tickets.issued = ticket = tickets.issued + 1
        heappush(self._heap, (self._priority[i], ticket, i))
        if self._order is not None:
            self._order.append((ticket, i))
        self._inside[i] = 1
        self.count += 1
        return ticket

    def promote(self, i: int, ticket: int) -> None:
        """A booked customer's slot has come: called before every walk-in from now on
        (promoted bookings among themselves by ticket). Nothing if they no longer wait."""
        if self._inside[i] == 1:
            self._inside[i] = 2
            self.promoted += 1
            heappush(self._booked, (ticket, i))

    def remove(self, i: int) -> None:
        """Leave from wherever one stands."""
        if self._inside[i] == 2:
            self.promoted -= 1
        self._inside[i] = 0
        self.count -= 1

    def _clean(self) -> None:
        booked, heap, inside = self._booked, self._heap, self._inside
        while booked and inside[booked[0][1]] != 2:
            heappop(booked)
        while heap and inside[heap[0][2]] != 1:
            heappop(heap)

    def head(self) -> tuple[int, int, int]:
        """The key of the next to be called, ``(priority, ticket, customer)`` (a promoted
        booking's priority reads as ``BOOKED``, ahead of every class); the queue must not
        be empty."""
        self._clean()
        if self._booked:
            ticket, i = self._booked[0]
            return (BOOKED, ticket, i)
        return self._heap[0]

    def keep_order(self) -> None:
        """Keep the tickets in the order taken, for ``oldest`` (staff who float over groups
        need it; other halls are spared a list of every ticket of the day)."""
        if self._order is None:
            self._order = deque((t, i) for _, t, i in sorted(self._heap, key=lambda e: e[1]))

    def oldest(self) -> int:
        """The number of the longest-waiting ticket, whatever its class (booked or not);
        the queue must not be empty, and must ``keep_order``."""
        order, inside = self._order, self._inside
        assert order is not None, "oldest() needs keep_order()"
        while not inside[order[0][1]]:
            order.popleft()
        return order[0][0]

    def pop(self) -> int:
        """Take the next customer to be called off the queue."""
        inside = self._inside
        if self.promoted:
            booked = self._booked
            while True:
                i = heappop(booked)[1]
                if inside[i] == 2:
                    inside[i] = 0
                    self.count -= 1
                    self.promoted -= 1
                    return i
        heap = self._heap
        while True:
            i = heappop(heap)[2]
            if inside[i] == 1:
                inside[i] = 0
                self.count -= 1
                return i

    def members(self) -> list[int]:
        """Those waiting, in the order they will be called."""
        return [entry[2] for entry in self.tickets()]

    @property
    def issued(self) -> int:
        """Tickets issued so far (hall-wide when the dispenser is shared)."""
        return self._tickets.issued

    def tickets(self) -> list[tuple[int, int, int]]:
        """(priority, ticket, customer) of those waiting, in call order (for checks); a
        promoted booking reads with priority ``BOOKED``."""
        booked = [(BOOKED, t, i) for t, i in sorted(self._booked) if self._inside[i] == 2]
        return booked + [e for e in sorted(self._heap) if self._inside[e[2]] == 1]
