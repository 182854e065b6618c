"""Counter windows in groups (zones, 忙区) and the ticket lanes they call from.

A group has windows and a call list (the services its windows call, ``"*"`` for every
service not named earlier in that list) and a call rule (``calling.py``). Tickets wait in
lanes: services that every group treats alike share one lane, so a hall with one group
and the ticket rule has exactly one lane, the single ticket queue of the contract. Each
window has a number, hall-wide, group by group in file order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .calling import CallRule, make_rule, needs_own_lanes
from .queues import TicketQueue, Tickets

EVERY = "*"


@dataclass(frozen=True)
class GroupSpec:
    """A group as the scenario gives it."""

    name: str
    windows: int
    calls: tuple[str, ...] = (EVERY,)
    rule: str = "ticket"


def specs(sc: Any) -> list[GroupSpec]:
    """The scenario's groups; without ``counters.groups``, one group calling everything."""
    groups = getattr(sc.counters, "groups", None)
    if not groups:
        return [GroupSpec("counters", sc.counters.windows)]
    return [GroupSpec(g.name, g.windows, tuple(g.calls), g.rule) for g in groups]


def resolve_calls(calls: Sequence[str], services: Sequence[str]) -> list[list[str]]:
    """Each entry of a call list as the services it names (``"*"``: those not named
    earlier in the list)."""
    named: set[str] = set()
    out: list[list[str]] = []
    for entry in calls:
        if entry == EVERY:
            out.append([s for s in services if s not in named])
        else:
            out.append([entry] if entry in services else [])
        named.update(out[-1])
    return out


class Lane(TicketQueue):
    """Tickets of some services, called by some groups; closed once none of those groups
    has anybody left on the plan today."""

    __slots__ = ("index", "services", "groups", "callers", "closed")

    def __init__(self, index: int, n: int, priority: Any, tickets: Tickets,
                 services: list[int], groups: list[int]):
        super().__init__(f"counter lane {index}", n, priority, tickets)
        self.index = index
        self.services = services
        self.groups = groups        # indices of the groups that call this lane
        self.callers: list[WindowGroup] = []   # those groups
        self.closed = False


class WindowGroup:
    """Windows that call from the same lanes by the same rule."""

    __slots__ = ("index", "name", "windows", "busy", "free", "lanes", "entries", "rule",
                 "solo", "first_window", "booked_lanes")

    def __init__(self, index: int, name: str, windows: int, first_window: int, rule: CallRule):
        self.index = index
        self.name = name
        self.windows = windows
        self.busy = 0
        self.first_window = first_window
        # Free windows as a stack: the lowest-numbered first, a freed window reused first.
        self.free = list(range(first_window + windows - 1, first_window - 1, -1))
        self.lanes: list[Lane] = []
        self.entries: list[list[Lane]] = []
        self.rule = rule
        self.solo = (index,)    # the station of staff who sit only here
        self.booked_lanes: list[Lane] = []   # lanes where a booking may wait (bookings.py)

    def waiting(self) -> int:
        return sum(len(lane) for lane in self.lanes)

    def __repr__(self) -> str:
        return f"<group {self.name}: {self.busy}/{self.windows} busy, {self.waiting()} waiting>"


class Counters:
    """The groups, the lanes and which lane each service's tickets join."""

    def __init__(self, groups: list[GroupSpec], services: list[str], n: int, priority: Any):
        self.tickets = Tickets()
        self.groups: list[WindowGroup] = []
        first = 0
        calls: list[list[list[str]]] = []
        for k, spec in enumerate(groups):
            rule = make_rule(spec.rule)
            self.groups.append(WindowGroup(k, spec.name, spec.windows, first, rule))
            first += spec.windows
            calls.append(resolve_calls(spec.calls, services))
        self.windows = first
        # A service's signature: for each group, None if the group does not call it;
        # for a rule that tells services apart, (the entry that calls it, the service);
        # else 0. Services with equal signatures share a lane (one lane for one group
        # with the ticket rule: the single ticket queue).
        at: list[list[int | None]] = []
        signature: dict[tuple, list[int]] = {}
        for s, name in enumerate(services):
            key: list[object] = []
            for group, entries in zip(self.groups, calls, strict=True):
                where = next((e for e, names in enumerate(entries) if name in names), None)
                key.append(None if where is None else
                           (where, s) if needs_own_lanes(group.rule) else 0)
            signature.setdefault(tuple(key), []).append(s)
        for entries in calls:
            at.append([next((e for e, names in enumerate(entries) if name in names), None)
                       for name in services])
        self.lanes: list[Lane] = []
        self.lane_of: list[Lane | None] = [None] * len(services)
        for sig, members in signature.items():
            callers = [g for g, where in enumerate(sig) if where is not None]
            if not callers:
                continue
            lane = Lane(len(self.lanes), n, priority, self.tickets, members, callers)
            self.lanes.append(lane)
            for s in members:
                self.lane_of[s] = lane
        for g, group in enumerate(self.groups):
            mine = [lane for lane in self.lanes if g in lane.groups]
            if needs_own_lanes(group.rule):
                for e in range(len(calls[g])):
                    entry = [lane for lane in mine if at[g][lane.services[0]] == e]
                    if entry:
                        group.entries.append(entry)
            elif mine:
                group.entries.append(mine)
            group.lanes = [lane for entry in group.entries for lane in entry]
        for lane in self.lanes:
            lane.callers = [self.groups[g] for g in lane.groups]

    def uncalled(self, services: list[str]) -> list[str]:
        """Services no group calls."""
        return [name for s, name in enumerate(services) if self.lane_of[s] is None]

    def waiting(self) -> int:
        return sum(len(lane) for lane in self.lanes)

    def lanes_of(self, groups: Sequence[int]) -> list[Lane]:
        """The lanes any of ``groups`` calls from."""
        return [lane for lane in self.lanes if any(g in groups for g in lane.groups)]
