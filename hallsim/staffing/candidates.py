"""Counter shifts the rules allow, and how much of each interval each one covers.

Rules are the exercise's ``rules`` block (``hallsim.exercise.challenge.Rules``). Shifts
start at an allowed start time (any interval boundary when none are listed), end on an
interval boundary or at closing, last between the minimum and maximum length, and a shift
longer than the break rule's threshold gets a break of the rule's length, placed (on an
interval boundary when one fits) within ``BREAK_WINDOW`` minutes of mid-shift.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ScenarioError
from ..exercise.challenge import BreakRule, Rules
from ..i18n import _
from ..results.intervals import interval_edges
from ..scenario import loading
from ..scenario.clock import format_clock
from ..scenario.schema import ROLES, ScenarioModel

BREAK_WINDOW = 60
DEFAULT_RULES = Rules(min_shift_hours=3.0, max_shift_hours=9.0,
                      break_rule=BreakRule(over_hours=6.0, min_minutes=30.0))
# Rules the gap finder may lift one at a time to see which one leaves intervals uncovered.
RELAXABLE = ("start_times", "min_shift_hours", "max_shift_hours", "break_rule")


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
        minutes = max(0.0, min(b, self.end) - max(a, self.start))
        if self.break_at is not None:
            minutes -= max(0.0, min(b, self.break_at + self.break_minutes) - max(a, self.break_at))
        return minutes

    def shift(self, name: str, count: int) -> dict:
        """The shift as it is written in a scenario or plan file."""
        shift: dict[str, Any] = {"name": name, "role": "counter", "start": format_clock(self.start),
                                 "end": format_clock(self.end), "count": int(count)}
        if self.break_at is not None:
            minutes = self.break_minutes
            shift["breaks"] = [{"at": format_clock(self.break_at),
                                "minutes": int(minutes) if float(minutes).is_integer() else minutes}]
        return shift


def default_rules(exercise_rules: Rules | None = None) -> Rules:
    """The challenge's rules when there are any, else the advisor's defaults."""
    return exercise_rules if exercise_rules is not None else DEFAULT_RULES


def parse_rules(rules: Rules | Mapping[str, Any] | None, origin: str = "rules",
                node: Any = None) -> Rules | None:
    """A rules block from a mapping (``rules:`` inside is accepted too), checked."""
    if rules is None or isinstance(rules, Rules):
        return rules
    data = dict(rules)
    if set(data) == {"rules"}:
        data = data["rules"]
        if node is not None:
            node = next((v for k, v in node.value if k.value == "rules"), None)
    if not isinstance(data, Mapping):
        raise ScenarioError(_("{origin}: rules: expected a mapping of rules (start_times, "
                              "min_shift_hours, max_shift_hours, break_rule, max_on_duty)").format(
            origin=origin))
    model = loading.validate(Rules, dict(data), origin, node)
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


def read_rules(path: str | Path) -> Rules:
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


def generate(sc: ScenarioModel, rules: Rules, relax: str | None = None) -> list[Candidate]:
    """Every counter shift the rules allow (``relax``: one rule of RELAXABLE lifted)."""
    open_, close = sc.hours.open, sc.hours.close
    grid = [int(open_ + t) for t in interval_edges(sc)]
    if rules.start_times is not None and relax != "start_times":
        starts = sorted({int(t) for t in rules.start_times if open_ <= t < close})
    else:
        starts = grid[:-1]
    shortest = 0.0 if relax == "min_shift_hours" else rules.min_shift_hours * 60
    longest = math.inf if relax == "max_shift_hours" else rules.max_shift_hours * 60
    rule = None if relax == "break_rule" else rules.break_rule
    out: list[Candidate] = []
    for start in starts:
        for end in grid:
            length = end - start
            if length <= 0 or length < shortest - 1e-9 or length > longest + 1e-9:
                continue
            if rule is not None and length > rule.over_hours * 60 + 1e-9:
                out += [Candidate(start, end, at, rule.min_minutes)
                        for at in _break_starts(start, end, rule.min_minutes, grid)]
            else:
                out.append(Candidate(start, end))
    return out


def _break_starts(start: int, end: int, minutes: float, grid: list[int]) -> list[int]:
    mid = (start + end) / 2
    low, high = max(start + 1, mid - BREAK_WINDOW), min(end - 1, mid + BREAK_WINDOW) - minutes
    on_grid = [t for t in grid if low <= t <= high]
    return on_grid or [int(round(mid - minutes / 2))]


def coverage(cands: list[Candidate], sc: ScenarioModel) -> np.ndarray:
    """Time-averaged presence: entry [c, k] = share of interval k candidate c is on duty."""
    edges = sc.hours.open + interval_edges(sc)
    width = np.diff(edges)
    return np.array([[c.on_duty(a, b) / w for a, b, w in zip(edges[:-1], edges[1:], width,
                                                             strict=True)] for c in cands])


def segments(cands: list[Candidate], sc: ScenarioModel) -> tuple[np.ndarray, np.ndarray]:
    """Elementary stretches between any two changes, and who is on duty in each (0/1)."""
    points = {float(sc.hours.open), float(sc.hours.close)}
    for c in cands:
        points |= {float(c.start), float(c.end)}
        if c.break_at is not None:
            points |= {float(c.break_at), float(c.break_at + c.break_minutes)}
    times = np.array(sorted(points))
    presence = np.array([[1.0 if c.on_duty(a, b) > 0 else 0.0 for a, b in
                          zip(times[:-1], times[1:], strict=True)] for c in cands])
    return times, presence.reshape(len(cands), len(times) - 1)
