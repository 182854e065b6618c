"""Routing: where a customer goes at the door, after the greeter, and on their own.

A routing is any object with the three methods of ``Routing``; each returns one of
``TO_TRIAGE``, ``TO_KIOSK``, ``TO_COUNTER`` (and, after triage, ``TO_ONLINE``).
``Hall(..., routing=)`` takes a factory ``routing(hall) -> Routing``; the default is the
contract's ``DoorRouting``.
"""

from __future__ import annotations

from typing import Any, Protocol

from .codes import Role

TO_TRIAGE, TO_KIOSK, TO_COUNTER, TO_ONLINE = 0, 1, 2, 3
_TRIAGE_ROLE = int(Role.TRIAGE)


class Routing(Protocol):
    def at_door(self, i: int) -> int:
        """Customer ``i`` walks in."""

    def after_triage(self, i: int) -> int:
        """The greeter has asked customer ``i`` what they need."""

    def on_own(self, i: int) -> int:
        """No greeter will see customer ``i``: they choose for themselves."""


class DoorRouting:
    """The contract's routing: booked customers take a ticket; the greeter intercepts the
    other arrivals while one is on duty and fewer than ``triage.max_queue`` wait; everybody
    else takes a ticket, or a kiosk with the ``self_select`` share. A greeter sends online
    the customers drawn to go, then to a kiosk the kiosk-eligible with the
    ``divert_self_service`` share."""

    def __init__(self, hall: Any):
        sc = hall.scenario
        triage = sc.triage
        self.divert_kiosk = triage.divert_self_service if triage is not None else 0.0
        self.self_select = triage.self_select if triage is not None else 0.0
        limit = getattr(triage, "max_queue", None) if triage is not None else None
        self.max_queue = limit if limit is not None else float("inf")
        self.available = hall.staffing.available
        self.triage_q = hall.triage_q
        c = hall.customers
        self.kiosk_ok, self.kiosk_draw, self.goes_online = c.kiosk_eligible, c.kiosk_draw, c.goes_online
        self.booked = c.booked
        if not (hall.staffing.potential[_TRIAGE_ROLE] or hall.kiosks or
                c.population.any_booked):
            self.at_door = self.ticket  # type: ignore[method-assign]  # no choice at the door

    def at_door(self, i: int) -> int:
        if self.booked[i]:  # a booking: straight to a ticket
            return TO_COUNTER
        if self.available[_TRIAGE_ROLE] > 0 and self.triage_q.count < self.max_queue:
            return TO_TRIAGE
        return self.on_own(i)

    def ticket(self, i: int) -> int:
        return TO_COUNTER

    def after_triage(self, i: int) -> int:
        if self.goes_online[i]:
            return TO_ONLINE
        if self.kiosk_ok[i] and self.kiosk_draw[i] < self.divert_kiosk:
            return TO_KIOSK
        return TO_COUNTER

    def on_own(self, i: int) -> int:
        if self.kiosk_ok[i] and self.kiosk_draw[i] < self.self_select:
            return TO_KIOSK
        return TO_COUNTER
