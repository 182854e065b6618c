"""The dispatcher: which idle staff member and machine takes which waiting customer.

Policy, in order: kiosks take their queue; greeters take theirs; each counter group, in
file order, seats its own idle staff at its free windows, calling a booking past its slot
first, else by its rule; idle staff who float over several groups then go where the
longest-waiting ticket is (of any class); floor
staff take their queue; then flex rules move idle members to a post whose queue has
reached ``queue_at_least``. A flexed member keeps serving that post until its queue is
down to ``queue_at_most``, then goes back. After closing, idle members in overtime go
home once nobody inside needs them.

There is one path: every change to a queue or to who is free ends in ``dispatch(parts)``,
naming the parts of the hall it touched (``KIOSKS``, ``GREETERS``, ``COUNTERS`` (a window
or a counter member became free), ``TICKETS`` (the ticket lanes changed, nothing freed),
``PAPERWORK``; ``EVERYTHING`` when staffing changed). The pass looks only at those (and at
flex rules that involve them, and overtime): between events every part is settled, so an
untouched part has nothing to start. A customer who joins a queue after the hall found
nobody free to take them changes only what flex rules watch (``joined``).
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

from ..scenario.schema import ScenarioModel
from .bookings import Bookings
from .codes import Role
from .counters import Counters, Lane, WindowGroup
from .queues import FifoQueue, TicketQueue
from .staff import StaffMember
from .staffing import Staffing

COUNTER, TRIAGE, PREPROCESS = int(Role.COUNTER), int(Role.TRIAGE), int(Role.PREPROCESS)
KIOSKS, GREETERS, COUNTERS, PAPERWORK, TICKETS = 1, 2, 4, 8, 16
EVERYTHING = KIOSKS | GREETERS | COUNTERS | PAPERWORK | TICKETS
PART = {COUNTER: COUNTERS, TRIAGE: GREETERS, PREPROCESS: PAPERWORK}   # of each role
# What a flex rule from or to a role watches: for counters also the ticket lanes.
WATCH = {COUNTER: COUNTERS | TICKETS, TRIAGE: GREETERS, PREPROCESS: PAPERWORK}


class Floor(Protocol):
    """What the dispatcher needs from the hall: its queues, machines and the starts."""

    triage_q: FifoQueue
    kiosk_q: FifoQueue
    pre_q: TicketQueue
    counters: Counters
    bookings: Bookings
    kiosks: int
    kiosks_busy: int
    close: float

    def upstream(self) -> int: ...
    def start_kiosk(self, i: int, now: float) -> None: ...
    def start_triage(self, s: StaffMember, i: int, now: float) -> None: ...
    def start_counter(self, s: StaffMember, group: WindowGroup, i: int, now: float) -> None: ...
    def start_preprocess(self, s: StaffMember, i: int, now: float) -> None: ...


class Post:
    """Where a flex rule moves staff from or to: a role, and for counters some groups."""

    __slots__ = ("role", "groups", "lanes")

    def __init__(self, role: int, groups: tuple[int, ...], lanes: list[Lane]):
        self.role = role
        self.groups = groups    # counter groups (every group for a plain "counter")
        self.lanes = lanes      # the ticket lanes those groups call from


class Flex:
    """A flex rule: idle staff of ``source`` help ``target`` while its queue is long."""

    __slots__ = ("source", "target", "at_least", "at_most")

    def __init__(self, source: Post, target: Post, at_least: int, at_most: int):
        self.source = source
        self.target = target
        self.at_least = at_least
        self.at_most = at_most

    def takes(self, s: StaffMember) -> bool:
        """Is ``s`` (in their own post) one this rule may move?"""
        source = self.source
        return s.base == source.role and (
            source.role != COUNTER or any(g in source.groups for g in s.home))


def flex_rules(sc: ScenarioModel, counters: Counters) -> list[Flex]:
    """The scenario's flex rules as posts: ``counter`` is every group, ``counter.G`` one."""
    names = [g.name for g in counters.groups]

    def post(text: str) -> Post:
        role, _, group = text.partition(".")
        if Role[role.upper()] != Role.COUNTER:
            return Post(int(Role[role.upper()]), (), [])
        groups = (names.index(group),) if group else tuple(range(len(names)))
        return Post(COUNTER, groups, counters.lanes_of(groups))

    return [Flex(post(r.from_role), post(r.to_role), r.queue_at_least, r.queue_at_most)
            for r in sc.flex]


class Dispatcher:
    """Assigns work; reentrant calls (a start that frees someone) are folded into one loop."""

    def __init__(self, floor: Floor, staffing: Staffing, flex: list[Flex]):
        self.floor = floor
        self.staffing = staffing
        self.flex = flex
        self.groups = floor.counters.groups
        self.bookings = floor.bookings
        self.dispatching = False
        self.pending = 0               # parts touched during the running pass
        self.deferred: list[int] = []  # roles whose drop is announced at the next pass
        self.flex_parts = 0            # parts whose change may make a flex rule due
        for rule in flex:
            self.flex_parts |= WATCH[rule.source.role] | WATCH[rule.target.role]
        self._lanes: dict[tuple[int, ...], list[Lane]] = {}
        # Staff may float over several groups (a shift's groups, or a flex rule to several)?
        self.floating = any(len(s.home) > 1 for s in staffing.members) or any(
            len(rule.target.groups) > 1 for rule in flex)
        if self.floating or any(rule.target.role == COUNTER for rule in flex):
            for lane in floor.counters.lanes:   # best_group: where the oldest ticket is
                lane.keep_order()

    # -------------------------------------------------------------- full pass
    def dispatch(self, parts: int = EVERYTHING, now: float | None = None) -> None:
        """Give waiting work in ``parts`` to idle staff and machines, by the policy of the
        module docstring; go round again for the parts a start touched. (A call from inside
        a pass adds to the running pass.) ``now``: the clock, if the caller has it."""
        self.pending |= parts
        if self.dispatching:
            return
        self.dispatching = True
        floor, staffing = self.floor, self.staffing
        if now is None:
            now = staffing.env.now
        idle = staffing.idle
        greeters, clerks, floor_staff = idle[TRIAGE], idle[COUNTER], idle[PREPROCESS]
        while self.pending or self.deferred:
            while self.deferred:
                staffing.announce(self.deferred.pop())
            parts, self.pending = self.pending, 0
            # One pass over ``parts`` and any part a start in this pass touched (a call that
            # stopped someone's paperwork).
            if parts & KIOSKS:
                kiosk_q = floor.kiosk_q
                while kiosk_q.count and floor.kiosks_busy < floor.kiosks:
                    floor.start_kiosk(kiosk_q.pop(), now)
            if greeters and (parts | self.pending) & GREETERS:
                triage_q = floor.triage_q
                while greeters and triage_q.count:
                    floor.start_triage(greeters.popleft(), triage_q.pop(), now)
            if clerks and (parts | self.pending) & COUNTERS:
                start = floor.start_counter
                for group in self.groups:  # each group seats its own idle staff
                    while group.busy < group.windows and clerks:
                        first = clerks[0]   # whom to seat before what to call: cheaper
                        s = first if first.groups == group.solo else self._solo(group, clerks)
                        if s is None:
                            break
                        lane = self.next_lane(group)
                        if lane is None:
                            break
                        if s is first:
                            clerks.popleft()
                        else:
                            clerks.remove(s)
                        start(s, group, lane.pop(), now)
                if self.floating:
                    self._floaters(clerks, now)
            if floor_staff and (parts | self.pending) & PAPERWORK:
                pre_q = floor.pre_q
                while floor_staff and pre_q.count:
                    floor.start_preprocess(floor_staff.popleft(), pre_q.pop(), now)
            if (parts | self.pending) & self.flex_parts:
                self._flex(idle, now)
            if staffing.in_overtime and now >= floor.close:
                self._release_overtime()
        self.dispatching = False

    def joined(self, part: int) -> None:
        """A customer joined the queue of ``part`` and nobody could take them at once (the
        hall has just tried): only a flex rule watching that part may start something."""
        if part & self.flex_parts:
            self.dispatch(part)

    def _flex(self, idle: tuple[deque[StaffMember], ...], now: float) -> None:
        """Idle members move where a flex rule is due."""
        for rule in self.flex:
            source = idle[rule.source.role]
            while source and self.due(rule):
                s = next((m for m in source if rule.takes(m)), None)
                if s is None:
                    break
                source.remove(s)
                target = rule.target
                self.staffing.switch(s, target.role, target.groups)
                s.flex_rule = rule
                self.start_work(s, now)

    def _floaters(self, idle: deque[StaffMember], now: float) -> None:
        """Idle staff floating over several groups go where the longest-waiting ticket is."""
        for s in [m for m in idle if len(m.groups) > 1]:
            chosen = self.best_group(s.groups)
            if chosen is not None:
                idle.remove(s)
                self.call(s, chosen, now)

    @staticmethod
    def _solo(group: WindowGroup, idle: deque[StaffMember]) -> StaffMember | None:
        """The longest-idle member who sits only at ``group`` (left on the idle list)."""
        solo = group.solo
        for s in idle:
            if s.groups == solo:
                return s
        return None

    def seat(self, group: WindowGroup) -> StaffMember | None:
        """An idle member for a free window of ``group``, taken off the idle list: one who
        sits only there, else the longest-idle one floating over it."""
        idle = self.staffing.idle[COUNTER]
        s = self._solo(group, idle)
        if s is None:
            s = next((m for m in idle if group.index in m.groups), None)
        if s is not None:
            idle.remove(s)
        return s

    def best_group(self, groups: tuple[int, ...]) -> WindowGroup | None:
        """Of ``groups``, one with a free window whose longest-waiting ticket (of any
        class, not the one its rule would call) waited longest (ties: the group listed
        first); None if none can call anybody."""
        best, oldest = None, 0
        for g in groups:
            group = self.groups[g]
            if group.busy >= group.windows:
                continue
            for lane in group.lanes:
                if lane.count:
                    ticket = lane.oldest()
                    if best is None or ticket < oldest:
                        best, oldest = group, ticket
        return best

    def next_lane(self, group: WindowGroup) -> Lane | None:
        """The lane a free window of ``group`` calls from: a booking past its slot first,
        else the group's rule (None: nothing it calls is waiting)."""
        if group.booked_lanes:
            lane = self.bookings.first(group.booked_lanes)
            if lane is not None:
                return lane
        return group.rule.choose(group)

    def call(self, s: StaffMember, group: WindowGroup, now: float) -> None:
        """``s`` calls the next ticket of ``group`` (someone is waiting)."""
        lane = self.next_lane(group)
        assert lane is not None
        self.floor.start_counter(s, group, lane.pop(), now)

    def start_work(self, s: StaffMember, now: float) -> None:
        """``s`` takes the next customer of the post they are doing (someone is waiting)."""
        floor, role = self.floor, s.role
        if role == COUNTER:
            group = self.best_group(s.groups)
            assert group is not None
            self.call(s, group, now)
        elif role == TRIAGE:
            floor.start_triage(s, floor.triage_q.pop(), now)
        else:
            floor.start_preprocess(s, floor.pre_q.pop(), now)

    def waiting(self, post: Post) -> int:
        """The length of a post's queue (for counters: tickets its groups call)."""
        if post.role == COUNTER:
            lanes = post.lanes
            return lanes[0].count if len(lanes) == 1 else sum([lane.count for lane in lanes])
        return (self.floor.triage_q if post.role == TRIAGE else self.floor.pre_q).count

    def due(self, rule: Flex) -> bool:
        """Has the rule's target queue reached ``queue_at_least``, with work one could start?"""
        target = rule.target
        if target.role != COUNTER:
            return self.waiting(target) >= rule.at_least
        waiting = 0   # self.waiting(target), without the calls: this runs at most passes
        for lane in target.lanes:
            waiting += lane.count
        return waiting >= rule.at_least and self.best_group(target.groups) is not None

    # ------------------------------------------------------ a member is free
    def after_job(self, s: StaffMember, now: float, dispatch: bool = True) -> None:
        """A member's customer is done: leave if due, carry on flexed, or go idle; then
        the pass. With ``dispatch`` False (a job stopped in the middle of moving a
        customer) the member is only placed, and the running pass goes round again."""
        staffing = self.staffing
        s.busy = False
        s.serving = -1
        s.busy_time += now - s.busy_since
        freed = PART[s.role]  # the part of the hall where the job was (a window is free)
        if s.leaving:
            staffing.finish_leaving(s)
        elif s.flex_rule is not None:   # flexed (a move between counter groups keeps the role)
            rule = s.flex_rule
            target = rule.target
            if self.waiting(target) > rule.at_most and (
                    target.role != COUNTER or self.best_group(target.groups) is not None):
                self.start_work(s, now)
            else:
                # Going back may leave the role with nobody: announced now, or, in the
                # middle of moving a customer, at the next pass.
                old = s.role
                s.flex_rule = None
                staffing.switch(s, s.base, s.home, announce=dispatch)
                staffing.idle[s.role].append(s)
                if not dispatch:
                    self.deferred.append(old)
        else:
            staffing.idle[s.role].append(s)
        if dispatch:
            self.dispatch(freed | PART[s.role], now)
        else:
            self.pending |= freed | PART[s.role]  # picked up by the pass that is running

    # -------------------------------------------------------------- overtime
    def lanes_for(self, groups: tuple[int, ...]) -> list[Lane]:
        lanes = self._lanes.get(groups)
        if lanes is None:
            lanes = self._lanes[groups] = self.floor.counters.lanes_of(groups)
        return lanes

    def still_needed(self, s: StaffMember) -> bool:
        """Does anybody inside still need ``s`` (counter staff also wait for those at
        triage or at a kiosk, who may yet need a counter)?"""
        floor, role = self.floor, s.role
        if role == TRIAGE:
            return len(floor.triage_q) > 0 or self.staffing.env.now < floor.close
        if role == COUNTER:
            return any(lane.count for lane in self.lanes_for(s.groups)) or floor.upstream() > 0
        return len(floor.pre_q) > 0 or floor.upstream() > 0

    def _release_overtime(self) -> None:
        """Idle members in overtime whom nobody inside needs go home."""
        idle = self.staffing.idle
        for role in (COUNTER, TRIAGE, PREPROCESS):
            for s in [m for m in idle[role] if m.overtime and not self.still_needed(m)]:
                self.staffing.release(s)
