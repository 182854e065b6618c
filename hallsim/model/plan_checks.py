"""The hall against its plan (invariant 6 of ``invariants.py``): what the scenario says,
read from the scenario itself rather than from the model's own copies of it.

- Nobody is on duty, or starts a job, while the scenario's shifts and breaks have them off:
  before their shift, after a shift that ends before closing, or inside a break (a break
  taken late, after the customer in hand, still lasts its full length, so it only ends
  later; a job may start at the very instant a shift or break begins, before the member
  has been told).
- No ticket lane is closed, and nobody is turned away, while a member who may serve one
  of its groups (their own or by a flex rule) has not reached the end of their shift.
- A booked customer takes a ticket at once: never the greeter, never a kiosk.
- A flexed member starts another job at the post they moved to only while its queue is
  longer than the rule's ``queue_at_most`` (counted from the queues themselves).
"""

from __future__ import annotations

from collections.abc import Callable

from .codes import Outcome, Role, State
from .hall import Hall

COUNTER, TRIAGE = int(Role.COUNTER), int(Role.TRIAGE)
NOT_AT_DESK = tuple(int(s) for s in (State.Q_TRIAGE, State.IN_TRIAGE, State.Q_KIOSK,
                                     State.IN_KIOSK))
TURNED_AWAY = int(Outcome.TURNED_AWAY)
SLACK = 1e-6   # minutes: a break's end is reached by adding to a clock, not read from it


class Plan:
    """Each member's shift and breaks as the scenario states them (index as in the roster:
    shift by shift, ``count`` each), in minutes after opening."""

    def __init__(self, hall: Hall):
        sc = hall.scenario
        open_ = sc.hours.open
        self.close = hall.close
        self.shifts: list[tuple[float, float, list[tuple[float, float]]]] = []
        for shift in sc.shifts:
            breaks = [(float(b.at - open_), float(b.at - open_ + b.minutes))
                      for b in shift.breaks]
            self.shifts += [(float(shift.start - open_), float(shift.end - open_), breaks)
                            ] * shift.count

    def off(self, member: int, t: float) -> str | None:
        """Why member ``member`` may not be working at minute ``t``; None if they may."""
        start, end, breaks = self.shifts[member]
        if t < start - SLACK:
            return f"before their shift's start (minute {start:g})"
        if end < self.close and t > end + SLACK:
            return f"after their shift's end (minute {end:g})"
        for at, back in breaks:
            if at + SLACK < t < back - SLACK:
                return f"in their break (minutes {at:g} to {back:g})"
        return None

    def still_due(self, member: int, t: float) -> bool:
        """Has member ``member`` not yet reached the end of their shift at minute ``t``?"""
        return t < self.shifts[member][1] - SLACK


class PlanChecks:
    """Invariant 6, for one hall; ``check`` after every event."""

    def __init__(self, hall: Hall, fail: Callable[[str], None]):
        self.hall = hall
        self.plan = Plan(hall)
        self.fail = fail
        self.jobs: dict[int, float] = {}   # member -> start of the job last checked

    def check(self, changed: list[int]) -> None:
        hall, plan = self.hall, self.plan
        now = hall.env.now
        new_jobs = []
        for s in hall.staffing.members:
            if s.on_duty and (why := plan.off(s.index, now)):
                self.fail(f"{s} is on duty {why}")
            if s.busy and self.jobs.get(s.index) != s.busy_since:
                self.jobs[s.index] = s.busy_since
                new_jobs.append(s)
                if why := plan.off(s.index, s.busy_since):
                    self.fail(f"{s} started a job at minute {s.busy_since:g}, {why}")
        self._lanes_open(changed, now)
        c = hall.customers
        for i in changed:
            if c.booked[i] and c.state[i] in NOT_AT_DESK:
                self.fail(f"customer {i}, who booked, is sent to the greeter or a kiosk")
        self._flexed_back(new_jobs, now)

    def _lanes_open(self, changed: list[int], now: float) -> None:
        hall, c = self.hall, self.hall.customers
        reach = hall.staffing.reach
        due = [s.index for s in hall.staffing.members if self.plan.still_due(s.index, now)]
        due_groups = {g for m in due for g in reach[m][1]}
        for lane in hall.counters.lanes:
            if lane.closed and due_groups.intersection(lane.groups):
                self.fail(f"{lane.name} is closed while staff who may serve it have not "
                          "reached the end of their shift")
        for i in changed:
            if c.outcome[i] == TURNED_AWAY and \
                    due_groups.intersection(hall.lane_of[c.service[i]].groups):
                self.fail(f"customer {i} is turned away while staff who may serve them have "
                          "not reached the end of their shift")

    def _flexed_back(self, new_jobs: list, now: float) -> None:
        hall = self.hall
        for s in new_jobs:
            rule = s.flex_rule
            if rule is None or s.busy_since != now:
                continue
            target = rule.target
            if target.role == COUNTER:
                waiting = sum(lane.count for lane in target.lanes)
            else:
                waiting = (hall.triage_q if target.role == TRIAGE else hall.pre_q).count
            started = sum(1 for m in hall.staffing.members
                          if m.busy and m.role == target.role and m.busy_since == now)
            if waiting + started <= rule.at_most:
                self.fail(f"{s} started another job at the post a flex rule took them to "
                          f"with its queue down to queue_at_most ({rule.at_most})")
