"""Booked customers at the ticket lanes (contract 9): a booking waits like a walk-in until
its slot; from the slot on it is called before the walk-ins of every group that calls its
service, whatever the group's call rule (bookings among themselves: earliest ticket).

A booking is promoted by reading the clock, not by a timer: before a window calls, every
booking whose slot is at or before now is promoted. A window that frees at the very
instant of a slot therefore already sees the booking ahead (a slot timer would fire after
every event armed earlier for the same instant), and a customer who leaves first leaves
nothing behind to cancel.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush
from typing import Any

import simpy

from .counters import Counters, Lane


class Bookings:
    """The bookings of the day still waiting for their slot, and the lanes where each
    group may find one (``group.booked_lanes``: empty where no booked service is called,
    so a hall without bookings never looks)."""

    def __init__(self, env: simpy.Environment, counters: Counters, slot: Any,
                 booked_services: set[int]):
        self._env = env
        self._slot = slot
        self._before_slot: list[tuple[float, int, int, Lane]] = []  # (slot, ticket, i, lane)
        for group in counters.groups:
            group.booked_lanes = [lane for lane in group.lanes
                                  if booked_services.intersection(lane.services)]

    def took_ticket(self, i: int, lane: Lane, ticket: int) -> None:
        """Booked customer ``i`` waits in ``lane`` with ``ticket``: ahead from the slot on."""
        heappush(self._before_slot, (self._slot[i], ticket, i, lane))

    def catch_up(self) -> None:
        """Promote every booking whose slot has come (those gone already are skipped)."""
        waiting, now = self._before_slot, self._env.now
        while waiting and waiting[0][0] <= now:
            _, ticket, i, lane = heappop(waiting)
            lane.promote(i, ticket)

    def first(self, lanes: Sequence[Lane]) -> Lane | None:
        """Of ``lanes``, the one holding the earliest-ticket booking past its slot; None if
        no booking of theirs is past its slot."""
        waiting = self._before_slot
        if waiting and waiting[0][0] <= self._env.now:
            self.catch_up()
        best, ticket = None, 0
        for lane in lanes:
            if lane.promoted:
                head = lane.head()[1]
                if best is None or head < ticket:
                    best, ticket = lane, head
        return best
