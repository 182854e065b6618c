"""Counter shifts the rules allow, and who is on duty (or on break) minute by minute.

Rules are ``hallsim.planning.rules.PlanningRules``. Shifts start at an allowed start time
(any interval boundary when none are listed), end on an interval boundary or at closing, and
last between the minimum and maximum length. A shift longer than the break rule's threshold
gets a break: in the ``lunch`` window when the shift spans a slot of it (every
``LUNCH_STEP`` minutes, so breaks can be staggered), else of the rule's length within
``BREAK_WINDOW`` minutes of mid-shift (on an interval boundary when one fits).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ScenarioError
from ..i18n import _
from ..planning.rules import BreakRule, PlanningRules, Rules
from ..results.intervals import interval_edges
from ..scenario import loading
from ..scenario.clock import format_clock
from ..scenario.schema import ROLES, ScenarioModel

BREAK_WINDOW = 60
LUNCH_STEP = 15
LUNCH_OVER_HOURS = 6.0      # shifts longer than this take the lunch when no break_rule says
DEFAULT_RULES = PlanningRules(min_shift_hours=3.0, max_shift_hours=9.0,
                              break_rule=BreakRule(over_hours=6.0, min_minutes=30.0))
# Rules the gap finder may lift one at a time to see which one leaves intervals uncovered,
# and the value that lifts each.
RELAXABLE: dict[str, Any] = {"start_times": None, "min_shift_hours": 0.0,
                             "max_shift_hours": 24.0, "break_rule": None, "lunch": None,
                             "max_on_break": None, "part_time": None}


@dataclass(frozen=True)
class Candidate:
    start: int                 # minutes since midnight
    end: int
    break_at: int | None = None
    break_minutes: float = 0.0

    @property
    def paid_minutes(self) -> float:
        return self.end - self.start - self.break_minutes

    def on_duty(self, a: float, b: float) -> float:
        """Minutes on duty (on shift, not on break) within [a, b)."""
        return max(0.0, min(b, self.end) - max(a, self.start)) - self.on_break(a, b)

    def on_break(self, a: float, b: float) -> float:
        """Minutes on break within [a, b)."""
        if self.break_at is None:
            return 0.0
        return max(0.0, min(b, self.break_at + self.break_minutes) - max(a, self.break_at))

    def shift(self, name: str, count: int) -> dict:
        """The shift as it is written in a scenario or plan file."""
        shift: dict[str, Any] = {"name": name, "role": "counter", "start": format_clock(self.start),
                                 "end": format_clock(self.end), "count": int(count)}
        if self.break_at is not None:
            minutes = self.break_minutes
            shift["breaks"] = [{"at": format_clock(self.break_at),
                                "minutes": int(minutes) if float(minutes).is_integer() else minutes}]
        return shift


def default_rules(exercise_rules: Rules | None = None) -> PlanningRules:
    """The challenge's rules when there are any, else the advisor's defaults."""
    if exercise_rules is None:
        return DEFAULT_RULES
    if isinstance(exercise_rules, PlanningRules):
        return exercise_rules
    return PlanningRules(**exercise_rules.model_dump())


def parse_rules(rules: Rules | Mapping[str, Any] | None, origin: str = "rules",
                node: Any = None) -> PlanningRules | None:
    """A rules block from a mapping (``rules:`` inside is accepted too), checked."""
    if rules is None or isinstance(rules, Rules):
        return default_rules(rules) if rules is not None else None
    data = dict(rules)
    if set(data) == {"rules"}:
        data = data["rules"]
        if node is not None:
            node = next((v for k, v in node.value if k.value == "rules"), None)
    if not isinstance(data, Mapping):
        raise ScenarioError(_("{origin}: rules: expected a mapping of rules (start_times, "
                              "min_shift_hours, max_shift_hours, break_rule, max_on_duty)").format(
            origin=origin))
    model = loading.validate(PlanningRules, dict(data), origin, node)
    for role in model.max_on_duty:
        if role not in ROLES:
            line = loading.line_of(("max_on_duty", role), node)
            where = f"{origin}:{line}" if line else origin
            raise ScenarioError(_("{where}: max_on_duty.{role}: unknown role; expected one of "
                                  "{roles}").format(where=where, role=role, roles=", ".join(ROLES)))
    if model.min_shift_hours > model.max_shift_hours:
        line = loading.line_of(("min_shift_hours",), node)
        where = f"{origin}:{line}" if line else origin
        raise ScenarioError(_("{where}: min_shift_hours: {low:g} is more than max_shift_hours "
                              "({high:g})").format(where=where, low=model.min_shift_hours,
                                                   high=model.max_shift_hours))
    return model


def read_rules(path: str | Path) -> PlanningRules:
    """A ``--rules`` file: the rules block itself, or a mapping with a ``rules:`` key."""
    data, node = loading.read_yaml(path)
    rules = parse_rules(data, str(path), node)
    assert rules is not None
    return rules


def counter_cap(sc: ScenarioModel, rules: Rules) -> tuple[int, str]:
    """Most counter staff allowed on duty at once, and the field that sets it."""
    windows = sc.counters.windows
    limit = rules.max_on_duty.get("counter")
    if limit is not None and limit < windows:
        return int(limit), "rules.max_on_duty.counter"
    return windows, "counters.windows"


def break_rule(rules: PlanningRules) -> BreakRule | None:
    """Which shifts need a break and how long: the break rule, lengthened to the lunch."""
    rule = rules.break_rule
    if rules.lunch is None:
        return rule
    over = rule.over_hours if rule is not None else LUNCH_OVER_HOURS
    minutes = max(rules.lunch.minutes, rule.min_minutes if rule is not None else 0.0)
    return BreakRule(over_hours=over, min_minutes=minutes)


def generate(sc: ScenarioModel, rules: Rules) -> list[Candidate]:
    """Every counter shift the rules allow (the exercise's ``Rules`` or ``PlanningRules``)."""
    rules = default_rules(rules)
    open_, close = sc.hours.open, sc.hours.close
    grid = [int(open_ + t) for t in interval_edges(sc)]
    if rules.start_times is not None:
        starts = sorted({int(t) for t in rules.start_times if open_ <= t < close})
    else:
        starts = grid[:-1]
    shortest, longest = rules.min_shift_hours * 60, rules.max_shift_hours * 60
    rule = break_rule(rules)
    out: list[Candidate] = []
    for start in starts:
        for end in grid:
            length = end - start
            if length <= 0 or length < shortest - 1e-9 or length > longest + 1e-9:
                continue
            if rule is not None and length > rule.over_hours * 60 + 1e-9:
                out += [Candidate(start, end, at, minutes)
                        for at, minutes in _breaks(start, end, rule, rules, grid)]
            else:
                out.append(Candidate(start, end))
    return out


def lunch_slots(start: int, end: int, minutes: float, rules: PlanningRules) -> list[int]:
    """The starts a break of ``minutes`` may take in the lunch window within a shift
    ``start``-``end`` (every ``LUNCH_STEP`` minutes); none without a lunch window."""
    lunch = rules.lunch
    if lunch is None:
        return []
    first = max(int(lunch.start), start + 1)
    last = min(int(lunch.end), end - 1) - minutes
    return [t for t in range(int(lunch.start), int(lunch.end) + 1, LUNCH_STEP)
            if first <= t <= last]


def _breaks(start: int, end: int, rule: BreakRule, rules: PlanningRules,
            grid: list[int]) -> list[tuple[int, float]]:
    slots = lunch_slots(start, end, rule.min_minutes, rules)
    if slots:
        return [(t, rule.min_minutes) for t in slots]
    mid = (start + end) / 2
    low = max(start + 1, mid - BREAK_WINDOW)
    high = min(end - 1, mid + BREAK_WINDOW) - rule.min_minutes
    on_grid = [t for t in grid if low <= t <= high]
    return [(t, rule.min_minutes) for t in on_grid or [int(round(mid - rule.min_minutes / 2))]]


def coverage(cands: list[Candidate], sc: ScenarioModel) -> np.ndarray:
    """Time-averaged presence: entry [c, k] = share of interval k candidate c is on duty."""
    edges = sc.hours.open + interval_edges(sc)
    width = np.diff(edges)
    return np.array([[c.on_duty(a, b) / w for a, b, w in zip(edges[:-1], edges[1:], width,
                                                             strict=True)] for c in cands])


@dataclass(frozen=True)
class Segments:
    """The day cut at every change of anyone's duty and at every interval boundary."""

    times: np.ndarray          # boundaries, minutes since midnight
    interval: np.ndarray       # the interval each stretch lies in
    present: np.ndarray        # (candidates, stretches): 1 if on duty throughout
    resting: np.ndarray        # (candidates, stretches): 1 if on break throughout


def segments(cands: list[Candidate], sc: ScenarioModel) -> Segments:
    """Elementary stretches between any two changes, and who is on duty or on break in each."""
    edges = sc.hours.open + interval_edges(sc)
    points = {float(t) for t in edges}
    for c in cands:
        points |= {float(c.start), float(c.end)}
        if c.break_at is not None:
            points |= {float(c.break_at), float(c.break_at + c.break_minutes)}
    times = np.array(sorted(t for t in points if edges[0] <= t <= edges[-1]))
    spans = list(zip(times[:-1], times[1:], strict=True))
    present = np.array([[1.0 if c.on_duty(a, b) > 0 else 0.0 for a, b in spans] for c in cands])
    resting = np.array([[1.0 if c.on_break(a, b) > 0 else 0.0 for a, b in spans] for c in cands])
    which = np.searchsorted(edges, times[:-1], side="right") - 1
    shape = (len(cands), len(spans))
    return Segments(times, which, present.reshape(shape), resting.reshape(shape))


def shift_names(chosen: list[tuple[Candidate, int]], taken: set[str]) -> list[dict]:
    """The chosen shifts (with their counts) as scenario entries, named by their hours
    (``c0900_1530``) and unlike any name in ``taken``."""
    out: list[dict] = []
    used = set(taken)
    for cand, count in sorted(chosen, key=lambda cc: (cc[0].start, cc[0].end,
                                                            cc[0].break_at or 0)):
        base = f"c{format_clock(cand.start).replace(':', '')}_{format_clock(cand.end).replace(':', '')}"
        name, n = base, 2
        while name in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        out.append(cand.shift(name, count))
    return out
