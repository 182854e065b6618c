"""The flexible-scheduling exercise (弹性排班): challenge files, trainee plans and their rules.

A challenge is a scenario plus an ``exercise:`` block (budget, shift rules, scoring
weights, learning goal). A plan is a trainee's ``shifts:`` (and optionally
``flex:``) and nothing else; it is simulated in the challenge's hall.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import Field

from ..errors import ScenarioError
from ..scenario import loading
from ..scenario.clock import format_clock
from ..scenario.scenario import Scenario
from ..scenario.schema import ROLES, Clock, FlexRule, ScenarioModel, Shift, _Strict

Hours = Annotated[float, Field(gt=0, le=24)]


class BreakRule(_Strict):
    over_hours: Hours              # shifts longer than this ...
    min_minutes: Annotated[float, Field(gt=0)]   # ... need a break of at least this


class Rules(_Strict):
    start_times: list[Clock] | None = None      # allowed start times; any if absent
    min_shift_hours: Annotated[float, Field(ge=0)] = 0.0
    max_shift_hours: Hours = 24.0
    break_rule: BreakRule | None = None
    max_on_duty: dict[str, Annotated[int, Field(ge=0)]] = {}   # per role, at once


class Weights(_Strict):
    """Score = Σ weight × metric; lower is better. Rates count in percentage points."""

    mean_wait_min: Annotated[float, Field(ge=0)] = 1.0
    p90_wait_min: Annotated[float, Field(ge=0)] = 0.5
    abandon_rate: Annotated[float, Field(ge=0)] = 1.0     # per percentage point
    detractor_rate: Annotated[float, Field(ge=0)] = 1.0   # per percentage point
    staff_hours: Annotated[float, Field(ge=0)] = 0.0      # per staff hour used
    overtime_min: Annotated[float, Field(ge=0)] = 0.0


class Exercise(_Strict):
    title: Annotated[str, Field(min_length=1)]
    goal: Annotated[str, Field(min_length=1)]
    budget_staff_hours: Annotated[float, Field(gt=0)]
    rules: Rules = Rules()
    scoring: Weights = Weights()
    reps: Annotated[int, Field(ge=1)] = 20
    reference_plan: str | None = None            # path relative to the challenge file


class ChallengeFile(ScenarioModel):
    exercise: Exercise


class PlanFile(_Strict):
    team: str | None = None
    shifts: Annotated[list[Shift], Field(min_length=1)]
    flex: list[FlexRule] = []


@dataclass(frozen=True)
class Challenge:
    path: Path
    exercise: Exercise
    scenario: Scenario          # the hall and the challenge's own (example) plan

    @property
    def reference_path(self) -> Path | None:
        ref = self.exercise.reference_plan
        return (self.path.parent / ref) if ref else None


@dataclass(frozen=True)
class Plan:
    path: Path
    team: str
    scenario: Scenario          # the challenge's hall with this plan's shifts and flex


def load_challenge(path: str | Path) -> Challenge:
    path = Path(path)
    data, node = loading.read_yaml(path)
    model = loading.validate(ChallengeFile, data, str(path), node)
    hall = {k: v for k, v in data.items() if k != "exercise"}
    scenario = Scenario.from_data(hall, str(path), node)
    challenge = Challenge(path, model.exercise, scenario)
    for role in model.exercise.rules.max_on_duty:
        if role not in ROLES:
            line = loading.line_of(("exercise", "rules", "max_on_duty", role), node)
            raise ScenarioError(f"{path}:{line}: exercise.rules.max_on_duty.{role}: unknown role; "
                                f"expected one of {', '.join(ROLES)}")
    ref = challenge.reference_path
    if ref is not None and not ref.exists():
        line = loading.line_of(("exercise", "reference_plan"), node)
        raise ScenarioError(f"{path}:{line}: exercise.reference_plan: no such file {ref}")
    return challenge


def load_plan(challenge: Challenge, path: str | Path) -> Plan:
    """A trainee's plan in the challenge's hall; errors name the plan file, line and field."""
    path = Path(path)
    data, node = loading.read_yaml(path)
    loading.validate(PlanFile, data, str(path), node)
    combined = challenge.scenario.to_dict()
    combined["shifts"] = data["shifts"]
    combined["flex"] = data.get("flex", [])
    scenario = Scenario.from_data(combined, str(path), node)
    return Plan(path, str(data.get("team") or path.stem), scenario)


def on_duty_profile(sc: ScenarioModel, role: str) -> tuple[np.ndarray, np.ndarray]:
    """Scheduled staff on duty for a role: change times (minutes since midnight), counts after."""
    changes: dict[float, int] = {}
    for shift in sc.shifts:
        if shift.role != role or shift.count == 0:
            continue
        spans = [(float(shift.start), 1), (float(shift.end), -1)]
        for brk in shift.breaks:
            spans += [(float(brk.at), -1), (brk.at + brk.minutes, 1)]
        for t, delta in spans:
            changes[t] = changes.get(t, 0) + delta * shift.count
    times = np.array(sorted(changes))
    counts = np.cumsum([changes[t] for t in times]) if len(times) else np.zeros(0)
    return times, counts


def violations(plan: Plan, challenge: Challenge) -> list[str]:
    """Every rule the plan breaks, in plain words, naming the shift."""
    rules, sc = challenge.exercise.rules, plan.scenario
    found: list[str] = []
    for shift in sc.shifts:
        hours = (shift.end - shift.start) / 60
        where = f"shift '{shift.name}' ({format_clock(shift.start)}-{format_clock(shift.end)})"
        if rules.start_times is not None and shift.start not in rules.start_times:
            allowed = ", ".join(format_clock(t) for t in rules.start_times)
            found.append(f"{where} starts at {format_clock(shift.start)}; allowed starts: {allowed}")
        if hours < rules.min_shift_hours:
            found.append(f"{where} is {hours:g} h long; the minimum is {rules.min_shift_hours:g} h")
        if hours > rules.max_shift_hours:
            found.append(f"{where} is {hours:g} h long; the maximum is {rules.max_shift_hours:g} h")
        br = rules.break_rule
        if br is not None and hours > br.over_hours and not any(
                b.minutes >= br.min_minutes for b in shift.breaks):
            found.append(f"{where} is over {br.over_hours:g} h and needs a break of at least "
                         f"{br.min_minutes:g} min")
    caps = dict(rules.max_on_duty)
    caps["counter"] = min(caps.get("counter", sc.counters.windows), sc.counters.windows)
    for role, cap in caps.items():
        times, counts = on_duty_profile(sc, role)
        if len(counts) and counts.max() > cap:
            when = format_clock(times[int(np.argmax(counts))])
            what = "windows" if role == "counter" and cap == sc.counters.windows else "the limit"
            found.append(f"{int(counts.max())} {role} staff on duty at {when}; {what} allow {cap}")
    used = sum(s.count * ((s.end - s.start) - sum(b.minutes for b in s.breaks))
               for s in sc.shifts) / 60
    budget = challenge.exercise.budget_staff_hours
    if used > budget + 1e-9:
        found.append(f"the plan uses {used:g} staff hours; the budget is {budget:g}")
    return found


def plan_template(challenge: Challenge) -> str:
    """An empty plan for trainees to fill in (YAML with comments)."""
    open_, close = (format_clock(challenge.scenario.hours.open),
                    format_clock(challenge.scenario.hours.close))
    return f"""# Shift plan for: {challenge.exercise.title}
# Budget: {challenge.exercise.budget_staff_hours:g} staff hours (shift length minus breaks, all roles).
# Hall open {open_}-{close}. Roles: counter (柜台), triage (引导/greeter), preprocess (预处理/floor).
team: our-team-name
shifts:
  - {{name: early, role: counter, start: "{open_}", end: "13:00", count: 2}}
  - {{name: day,   role: counter, start: "{open_}", end: "17:00", count: 2,
     breaks: [{{at: "12:00", minutes: 30}}]}}
  # add shifts here: name, role, start, end, count, and breaks for long shifts
flex: []   # e.g. [{{from: preprocess, to: counter, queue_at_least: 6, queue_at_most: 2}}]
"""
