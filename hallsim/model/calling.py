"""Call rules: which waiting ticket a free window of a group takes next.

A rule is any object with ``choose(group) -> lane or None``: it looks at the group's
ticket lanes (``group.lanes``, or ``group.entries``: the lanes grouped by the entry of
the group's ``calls`` list they come from, in list order) and names the lane whose front
ticket is called; ``None`` when nothing it calls is waiting. A lane's ``head()`` is the
front ticket's key ``(priority, ticket, customer)`` (ticket numbers rise with the time of
taking one); ``len(lane)`` (or ``lane.count``) is the number waiting. Booked customers
past their slot are called before any rule is asked.

Register a rule under a name to use it from a scenario file (``rule: NAME``)::

    from hallsim.model.calling import register_call_rule

    @register_call_rule("longest_wait")
    class LongestWait:
        by_service = False            # the rule does not tell the group's services apart
        def choose(self, group):
            waiting = [lane for lane in group.lanes if len(lane)]
            return min(waiting, key=lambda lane: lane.head()[1], default=None)

``by_service`` (default True) says whether the rule needs each entry of the call list in
lanes of its own; a rule that only compares tickets can share one lane between entries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar


class Lane(Protocol):
    """What a call rule may read of a ticket lane."""

    count: int   # the number waiting, as len(lane)

    def __len__(self) -> int: ...
    def head(self) -> tuple[int, int, int]: ...


class Group(Protocol):
    """What a call rule may read of a window group."""

    @property
    def name(self) -> str: ...
    @property
    def lanes(self) -> Sequence[Any]: ...
    @property
    def entries(self) -> Sequence[Sequence[Any]]: ...


class CallRule(Protocol):
    """Which lane a free window of ``group`` calls from next (``None``: nobody waiting)."""

    def choose(self, group: Group) -> Any: ...


CALL_RULES: dict[str, Callable[[], CallRule]] = {}
T = TypeVar("T")


def register_call_rule(name: str) -> Callable[[T], T]:
    """Class decorator (or call with a factory): make a call rule usable as ``rule: NAME``."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"'name' must be a non-empty string (got {name!r})")

    def add(factory: T) -> T:
        if not callable(getattr(factory, "choose", None)) and not callable(factory):
            raise TypeError(f"call rule {name!r} must have a choose(group) method")
        CALL_RULES[name] = factory  # type: ignore[assignment]
        return factory

    return add


def make_rule(name: str) -> CallRule:
    """A fresh instance of the rule registered as ``name``."""
    return CALL_RULES[name]()


def needs_own_lanes(rule: CallRule) -> bool:
    """Does the rule tell the entries of its call list apart (each in lanes of its own)?"""
    return bool(getattr(rule, "by_service", True))


def earliest(lanes: Sequence[Any]) -> Any:
    """The lane whose front ticket is most urgent: lowest priority number, then earliest."""
    best, key = None, None
    for lane in lanes:
        if lane.count:   # len(lane), without the call (this runs at every call of a window)
            if best is None:
                best = lane
            else:
                if key is None:
                    key = best.head()
                head = lane.head()
                if head < key:
                    best, key = lane, head
    return best


@register_call_rule("ticket")
class TicketRule:
    """Lowest ``priority``, then earliest ticket, among every service the group calls."""

    by_service = False

    def choose(self, group: Group) -> Any:
        lanes = group.lanes
        if len(lanes) == 1:
            lane = lanes[0]
            return lane if lane.count else None
        return earliest(lanes)


@register_call_rule("order")
class OrderRule:
    """The first entry of the call list with anyone waiting; earliest ticket first in it."""

    by_service = True

    def choose(self, group: Group) -> Any:
        for entry in group.entries:
            lane = earliest(entry)
            if lane is not None:
                return lane
        return None
