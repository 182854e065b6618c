"""The flexible-scheduling exercise (弹性排班): challenge files, trainee plans and their rules.

A challenge is a scenario plus an ``exercise:`` block (budget, shift rules, scoring
weights, learning goal, and the floor levers it opens). A plan is a trainee's ``shifts:``,
optionally ``flex:`` and ``levers:``, and nothing else; it is simulated in the challenge's
hall, changed by the levers it pulls (see ``levers.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import Field

from .. import inputs
from ..errors import ScenarioError
from ..i18n import _, display
from ..planning.rules import Rules
from ..planning.rules import doc as _doc
from ..planning.scoring import ExerciseWeights
from ..scenario import loading
from ..scenario.clock import format_clock
from ..scenario.scenario import Scenario
from ..scenario.schema import ROLES, DisplayName, FlexRule, ScenarioModel, Shift, _Strict
from . import levers as lever_rules
from .levers import Choices, Levers, Purchase


class Exercise(_Strict):
    """The exercise: goal, budget, rules, scoring and the trainer's reference plan."""

    title: Annotated[str, Field(min_length=1)] | DisplayName = _doc(
        "the challenge's title: text, or by language {en: ..., zh: ..., zh-Hant: ...}")
    goal: Annotated[str, Field(min_length=1)] | DisplayName = _doc(
        "the learning goal, one sentence: text, or by language {en: ..., zh: ..., zh-Hant: ...}")
    budget_staff_hours: Annotated[float, Field(gt=0)] = _doc(
        "most staff hours a plan may use (shift length minus breaks, all roles; levers "
        "included)", "hours")
    rules: Rules = _doc("shift rules", None, default=Rules())
    scoring: ExerciseWeights = _doc("score weights (lower score is better); overtime is priced "
                                    "unless set to 0", None, default=ExerciseWeights())
    reps: Annotated[int, Field(ge=1)] = _doc("simulated days per plan", "days", default=20)
    reference_plan: str | None = _doc("the trainer's plan file, relative to the challenge file",
                                      None, default=None)
    levers: Levers = _doc("floor levers open to teams, with caps and prices", None,
                          default=Levers())


class ChallengeFile(ScenarioModel):
    """A scenario with an exercise: block."""

    exercise: Exercise = _doc("the exercise")


class PlanFile(_Strict):
    """A team's plan: its shifts, flex rules and levers, in the challenge's hall."""

    team: str | None = _doc("the team's name on the leaderboard (default: the file name)", None,
                            default=None)
    shifts: Annotated[list[Shift], Field(min_length=1)] = _doc("the team's shift plan")
    flex: list[FlexRule] = _doc("flexible help between roles", None, default=[])
    levers: Choices | None = _doc("changes to the hall, from the levers the challenge opens",
                                  None, default=None)


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
    scenario: Scenario          # the challenge's hall with this plan's shifts, flex and levers
    choices: Choices = Choices()                 # the plan's ``levers:`` block
    bought: list[Purchase] = field(default_factory=list)   # each lever set, and its cost
    budget: float | None = None                 # the challenge's budget, staff and lever hours

    @property
    def lever_hours(self) -> float:
        """What the plan's levers cost, in hours-equivalent."""
        return lever_rules.lever_hours(self.bought)


def load_challenge(path: str | Path) -> Challenge:
    path = Path(path)
    data, node = loading.read_yaml(path)
    model = loading.validate(ChallengeFile, data, str(path), node)
    hall = {k: v for k, v in data.items() if k != "exercise"}
    scenario = Scenario.from_data(hall, str(path), node)
    challenge = Challenge(path, model.exercise, scenario)
    lever_rules.check_levers(model.exercise.levers, scenario, str(path), node)
    for role in model.exercise.rules.max_on_duty:
        if role not in ROLES:
            line = loading.line_of(("exercise", "rules", "max_on_duty", role), node)
            raise ScenarioError(_("{path}:{line}: exercise.rules.max_on_duty.{role}: unknown "
                                  "role; expected one of {roles}").format(
                path=path, line=line, role=role, roles=", ".join(ROLES)))
    ref = challenge.reference_path
    inputs.note(ref)   # read when plans are scored; no output may replace it
    if ref is not None and not ref.exists():
        line = loading.line_of(("exercise", "reference_plan"), node)
        raise ScenarioError(_("{path}:{line}: exercise.reference_plan: no such file {ref}")
                            .format(path=path, line=line, ref=ref))
    return challenge


def load_plan(challenge: Challenge, path: str | Path) -> Plan:
    """A trainee's plan in the challenge's hall; errors name the plan file, line and field."""
    path = Path(path)
    data, node = loading.read_yaml(path)
    model = loading.validate(PlanFile, data, str(path), node, by_name=True)
    hall, opened = challenge.scenario, challenge.exercise.levers
    choices = model.levers or Choices()
    lever_rules.check_choices(choices, hall, str(path), node)
    combined = lever_rules.apply(hall.to_dict(), choices, opened)
    combined["shifts"] = data["shifts"]
    combined["flex"] = data.get("flex", [])
    loading.validate(ScenarioModel, combined, str(path), node, by_name=True)
    scenario = Scenario.from_data(combined, str(path), node)
    return Plan(path, str(data.get("team") or path.stem), scenario, choices,
                lever_rules.purchases(choices, opened, hall),
                budget=challenge.exercise.budget_staff_hours)


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
    """Every rule the plan breaks, in plain words, naming the shift or the lever."""
    rules, sc = challenge.exercise.rules, plan.scenario
    found: list[str] = []
    for shift in sc.shifts:
        hours = (shift.end - shift.start) / 60
        where = _("shift '{name}' ({start}-{end})").format(
            name=shift.name, start=format_clock(shift.start), end=format_clock(shift.end))
        if rules.start_times is not None and shift.start not in rules.start_times:
            allowed = ", ".join(format_clock(t) for t in rules.start_times)
            found.append(_("{where} starts at {start}; allowed starts: {allowed}").format(
                where=where, start=format_clock(shift.start), allowed=allowed))
        if hours < rules.min_shift_hours:
            found.append(_("{where} is {hours:g} h long; the minimum is {limit:g} h").format(
                where=where, hours=hours, limit=rules.min_shift_hours))
        if hours > rules.max_shift_hours:
            found.append(_("{where} is {hours:g} h long; the maximum is {limit:g} h").format(
                where=where, hours=hours, limit=rules.max_shift_hours))
        br = rules.break_rule
        if br is not None and hours > br.over_hours and not any(
                b.minutes >= br.min_minutes for b in shift.breaks):
            found.append(_("{where} is over {hours:g} h and needs a break of at least "
                           "{minutes:g} min").format(where=where, hours=br.over_hours,
                                                     minutes=br.min_minutes))
    caps = dict(rules.max_on_duty)
    caps["counter"] = min(caps.get("counter", sc.counters.windows), sc.counters.windows)
    for role, cap in caps.items():
        times, counts = on_duty_profile(sc, role)
        if len(counts) and counts.max() > cap:
            when = format_clock(times[int(np.argmax(counts))])
            if role == "counter" and cap == sc.counters.windows:
                text = _("{n} counter staff on duty at {when}; the hall has {cap} windows")
            else:
                text = _("{n} {role} staff on duty at {when}; the limit allows {cap}")
            found.append(text.format(n=int(counts.max()), role=role, when=when, cap=cap))
    found += lever_rules.violations(plan.choices, challenge.exercise.levers, challenge.scenario)
    used, levers = staff_hours(sc), plan.lever_hours
    budget = challenge.exercise.budget_staff_hours
    if over_budget(used + levers, budget):
        if levers:
            found.append(_("the plan uses {staff:g} staff hours and {levers:g} hours of levers, "
                           "{total:g} in all; the budget is {budget:g}").format(
                staff=used, levers=levers, total=round(used + levers, 6), budget=budget))
        else:
            found.append(_("the plan uses {staff:g} staff hours; the budget is {budget:g}")
                         .format(staff=used, budget=budget))
    return found


def over_budget(used: float, budget: float) -> bool:
    """More hours (staff and levers) than the budget allows."""
    return used > budget + 1e-9


def staff_hours(sc: ScenarioModel) -> float:
    """Scheduled staff hours of a plan: shift lengths minus breaks, all roles."""
    return sum(s.count * ((s.end - s.start) - sum(b.minutes for b in s.breaks))
               for s in sc.shifts) / 60


def expected_arrivals(sc: ScenarioModel, start: float, end: float) -> float:
    """Customers expected between two times of day (minutes since midnight)."""
    total = 0.0
    for period in sc.profile:
        per_hour = sc.loads[period.load] if period.load is not None else period.rate or 0.0
        overlap = min(end, period.end) - max(start, period.start)
        if overlap > 0:
            total += per_hour * sc.load_factor * overlap / 60
    return total


def quietest_break(sc: ScenarioModel, start: int, end: int, minutes: float) -> int:
    """The half-hour start, at least 2 h into a shift and 2 h before its end, at which a
    break misses the fewest customers (the earliest of equals): never inside the peak."""
    candidates = list(range(start + 120, int(end - 120 - minutes) + 1, 30)) or [start]
    return min(candidates, key=lambda t: (round(expected_arrivals(sc, t, t + minutes), 9), t))


def plan_template(challenge: Challenge) -> str:
    """An empty plan for trainees to fill in (YAML with comments)."""
    sc, ex = challenge.scenario, challenge.exercise
    opens, closes = sc.hours.open, sc.hours.close
    early_end = min(opens + 240, closes)
    day_end = max(early_end, min(opens + 480, closes - 60))
    pause = max(30.0, ex.rules.break_rule.min_minutes if ex.rules.break_rule else 0.0)
    at = quietest_break(sc, opens, day_end, pause)
    clock = format_clock
    groups = sc.counters.groups or []
    early_at = day_at = zones = flex = ""
    if groups:
        # a hall with zones refuses a counter shift that names none: the template places
        # one at the first zone and floats the other over all of them, and says which are which
        early_at = f" group: {groups[0].name},"
        day_at = " groups: [" + ", ".join(g.name for g in groups) + "],"
        zones = "".join("\n# " + _("Zone {zone} (group: {key}): {windows} windows.").format(
            zone=display(g.label, g.name), key=g.name, windows=g.windows) for g in groups)
        zones += "\n# " + _("A counter shift sits at one zone (group: {one}) or floats over "
                             "several (groups: [{one}, {two}]).").format(
            one=groups[0].name, two=groups[-1].name)
        flex = f" [{{from: counter.{groups[0].name}, to: counter.{groups[-1].name}, " \
            "queue_at_least: 4, queue_at_most: 0}]"
    text = "\n".join([
        "# " + _("Shift plan for: {title}").format(title=display(ex.title)),
        "# " + (_("Budget: {budget:g} staff hours (shift length minus breaks, all roles), "
                  "levers included.") if ex.levers.opened() else
                _("Budget: {budget:g} staff hours (shift length minus breaks, all roles)."))
        .format(budget=ex.budget_staff_hours),
        "# " + _("Hall open {open}-{close}. Roles: counter (柜台), triage (引导/greeter), "
                 "preprocess (预处理/floor).").format(open=clock(opens), close=clock(closes))
        + zones,
        "team: our-team-name",
        "shifts:",
        f'  - {{name: early, role: counter,{early_at} start: "{clock(opens)}", '
        f'end: "{clock(early_end)}", count: 2}}',
        f'  - {{name: day,   role: counter,{day_at} start: "{clock(opens)}", '
        f'end: "{clock(day_end)}", count: 2,',
        f'     breaks: [{{at: "{clock(at)}", minutes: {pause:g}}}]}}   # '
        + _("breaks when the fewest customers come"),
        "  # " + _("add shifts here: name, role, start, end, count, and breaks for long shifts"),
        "flex: []   # " + _("e.g.") + (flex or " [{from: preprocess, to: counter, "
                                       "queue_at_least: 6, queue_at_most: 2}]"),
    ]) + "\n"
    return text + lever_rules.template_block(ex.levers, sc)
