"""``hallsim.draft_roster``: a week file's staff list and a service target in, a verified
roster out (contract section 10).

requirement per kind of open day (the advisor's ISA; days with the same scenario share one,
on streams of their own kind) → one MILP over
(person, day, shift) for each role on the staff list (``problem.py``) → each day simulated
with its rostered people on fresh days (streams the requirement never used) → intervals that
miss the target (on ``reps`` fresh days) get one more person and the program is solved
again, a bounded number of times → the roster verified on ``verify_days`` fresh days per open
day → every gap someone is free to fill gets them (``fill.py``) and its day is verified again
→ gaps named where the people cannot cover the target, with the rules that bind.

Counter staff are rostered to the target; people of other roles (greeters, floor staff) to
the day's own plan of that role (as many on duty in each interval as its shifts put there).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..i18n import _
from ..planning.rules import Rules
from ..results.intervals import interval_edges
from ..runs.simulation import check_runs, replicate
from ..scenario.coverage import on_duty
from ..scenario.scenario import Scenario
from ..staffing.candidates import Candidate, counter_cap, coverage, generate, parse_rules, segments
from ..staffing.requirement import MAX_REPS, requirement
from ..staffing.targets import Target, parse_targets
from ..staffing.verify import measured
from ..week.contracts import roster_rules
from ..week.people import Member, Roster
from ..week.run import day_seed
from ..week.weekfile import Week
from . import fill, problem
from . import gaps as gap_finder

MAX_REPAIRS = 2        # rounds of repair, each checked on --reps fresh days
VERIFY_DAYS = 200      # the final verification's fresh days per open day


@dataclass
class DayResult:
    """One open day: its requirement and the rostered day measured on fresh days."""

    day: str
    inputs: dict[str, problem.DayInput]       # role -> the program's input for the day
    plan: Scenario
    metric: pd.DataFrame                      # per interval: mean, ci95, verdict, meets


@dataclass
class Draft:
    """The drafted roster (``.roster``), the week with it (``.week``) and ``.document``."""

    week: Week
    target: Target                            # the first target (the one the table shows)
    targets: list[Target]                     # every target held (and verified)
    rules: Rules
    people: list[Member]
    roster: Roster
    days: dict[str, DayResult]
    gaps: list[gap_finder.Gap]
    optimal: bool
    repairs: int
    reps: int
    seed: int
    verify_days: int

    @property
    def meets_target(self) -> bool:
        return all(bool(d.metric["meets"].all()) for d in self.days.values()) and not self.gaps

    @property
    def paid_hours(self) -> float:
        return sum(d.paid_minutes for r in self.roster.values() for d in r.values()
                   if d is not None) / 60.0

    def hours(self, name: str) -> float:
        """Paid hours of ``name`` in the week."""
        duties = [r.get(name) for r in self.roster.values()]
        return sum(d.paid_minutes for d in duties if d is not None) / 60.0

    @property
    def document(self) -> dict:
        """roster.json: the roster per person, every day's intervals, the gaps."""
        from .output import document

        return document(self)


def _one_break(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per (start, end): the break nearest mid-shift keeps the program small."""
    best: dict[tuple[int, int], Candidate] = {}
    for c in cands:
        mid = (c.start + c.end) / 2
        off = abs((c.break_at if c.break_at is not None else mid) + c.break_minutes / 2 - mid)
        kept = best.get((c.start, c.end))
        if kept is None:
            best[c.start, c.end] = c
            continue
        kept_off = abs((kept.break_at if kept.break_at is not None else mid)
                       + kept.break_minutes / 2 - mid)
        if off < kept_off:
            best[c.start, c.end] = c
    return list(best.values())


def plan_need(sc: Scenario, role: str) -> np.ndarray:
    """Staff of ``role`` the day's own plan puts on duty, the most in each interval."""
    edges = sc.hours.open + interval_edges(sc)
    pieces = on_duty(sc, role)
    return np.array([max((n for lo, hi, n in pieces if lo < b and hi > a), default=0)
                     for a, b in zip(edges[:-1], edges[1:], strict=True)], dtype=float)


def day_input(day: str, sc: Scenario, rules: Rules, role: str, need: np.ndarray,
              people: int) -> problem.DayInput:
    cands = _one_break(generate(sc, rules))
    edges = interval_edges(sc)
    if role == "counter":
        cap, cap_field = counter_cap(sc, rules)
    else:
        cap, cap_field = int(rules.max_on_duty.get(role, people)), f"rules.max_on_duty.{role}"
    return problem.DayInput(day, cands, np.asarray(need, dtype=float), sc.hours.open + edges,
                            coverage(cands, sc), segments(cands, sc).present, cap, cap_field)


def day_kind(sc: Scenario) -> str:
    """What a day's requirement depends on: its scenario, name aside (days alike share one
    requirement, on random numbers of their own kind, so changing one day never changes
    another's)."""
    data = sc.to_dict()
    data.pop("name", None)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def draft_roster(week: Week, target: Mapping[str, Any] | str | Target,
                 rules: Rules | Mapping | None = None, reps: int = 20, seed: int = 1,
                 verify_days: int = VERIFY_DAYS, jobs: int = 1,
                 progress: Callable[[int], None] | None = None,
                 max_reps: int = MAX_REPS) -> Draft:
    """Draft the week's roster for a service target and verify each day on fresh days.

    Parameters
    ----------
    week : Week
        From ``load_week``, with a staff list.
    target : mapping or str
        One of the advisor's targets: ``{"wait_probability": 0.2}`` or
        ``"service_level=0.8"``.
    rules : Rules or mapping, optional
        Shift rules in the advisor's ``--rules`` format; default the week file's ``rules``, else
        3-9 h shifts with a 30-minute break over 6 h.
    reps : int
        Replications per simulated day for the requirement and the repair rounds.
    seed : int
        Base seed.
    verify_days : int
        Fresh simulated days per open day for the final verification (default 200).
    jobs : int
        Parallel processes (0: all cores).
    progress : callable, optional
        Called with 1 after each simulation step.
    max_reps : int
        Most simulated days per round of the requirement (default 160).

    Returns
    -------
    Draft
        ``.roster`` (weekday → person → Duty or None), ``.week`` (the week with it),
        ``.gaps``, ``.meets_target`` and ``.document``.

    Raises
    ------
    ScenarioError
        No staff list, a bad target or rules, or contracts no roster can keep together.
    """
    if not isinstance(week, Week):
        raise TypeError(f"'week' must be a hallsim Week (hallsim.load_week(path)), got "
                        f"{type(week).__name__}")
    check_runs(reps, jobs)
    check_runs(verify_days, jobs)
    people = week.people
    if not people:
        raise ScenarioError(_("{origin}: staff: the week file lists nobody; a roster needs "
                              "the people (staff: name, role, weekly_hours, days_off)").format(
            origin=week.origin))
    if week.hall.counters.groups:
        raise ScenarioError(_("{origin}: the week's hall has counter groups (counters.groups); "
                              "the week roster staffs one counter pool. Advise each day's hall "
                              "with hallsim staff, which staffs each group").format(
            origin=week.origin))
    goals = parse_targets(target, week.hall)
    goal = goals[0]
    chosen = parse_rules(rules) or roster_rules(week.model)
    roles = sorted({p.role for p in people})
    inputs: dict[str, dict[str, problem.DayInput]] = {r: {} for r in roles}
    own = week.without_roster()
    needs: dict[str, np.ndarray] = {}
    for wd in own.open_days:
        assert wd.scenario is not None
        sc = wd.scenario
        for role in roles:
            if role == "counter":
                key = day_kind(sc)
                if key not in needs:
                    needs[key] = requirement(sc, goals, reps, day_seed(seed, f"need:{key}"),
                                             jobs, progress, max_reps=max_reps).isa
                elif progress:
                    progress(1)
                need = needs[key].copy()
            else:
                need = plan_need(sc, role)
            count = sum(p.role == role for p in people)
            inputs[role][wd.day] = day_input(wd.day, sc, chosen, role, need, count)
    repairs = 0
    while True:
        roster, optimal = _solve_all(people, roles, inputs, week.origin)
        drafted = week.with_roster(roster, chosen)
        if "counter" not in roles or repairs >= MAX_REPAIRS:
            break
        quick = _verify(drafted, inputs, roles, goals, reps, seed, jobs, progress)
        if not _raise_need(roster, inputs["counter"], quick):
            break
        repairs += 1
    results = _verify(drafted, inputs, roles, goals, verify_days, seed, jobs, progress)
    found = gap_finder.find(people, roles, inputs, roster, results)
    for _round in range(fill.MAX_FILLS):
        roster, changed = fill.cover(people, inputs, roster, found)
        if not changed:
            break
        drafted = week.with_roster(roster, chosen)
        results.update(_verify(drafted, inputs, roles, goals, verify_days, seed, jobs, progress,
                               only=changed))
        found = gap_finder.find(people, roles, inputs, roster, results)
    return Draft(drafted, goal, goals, chosen, people, roster, results, found, optimal, repairs,
                 reps, seed, verify_days)


def _verify(week: Week, inputs: dict[str, dict[str, problem.DayInput]], roles: list[str],
            goals: list[Target], days: int, seed: int, jobs: int,
            progress: Callable[[int], None] | None,
            only: set[str] | None = None) -> dict[str, DayResult]:
    """Each rostered day (or those in ``only``) simulated on ``days`` fresh days:
    replications of a stream family of its own (``verify:DAY``), which the requirement never
    used."""
    results = {}
    for wd in week.open_days:
        assert wd.scenario is not None
        if only is not None and wd.day not in only:
            continue
        runs = replicate(wd.scenario, reps=days, seed=day_seed(seed, f"verify:{wd.day}"),
                         jobs=jobs)
        if progress:
            progress(1)
        results[wd.day] = DayResult(wd.day, {r: inputs[r][wd.day] for r in roles}, wd.scenario,
                                    measured(runs, wd.scenario, goals))
    return results


def _solve_all(people: list[Member], roles: list[str],
               inputs: dict[str, dict[str, problem.DayInput]], origin: str) -> tuple[Roster, bool]:
    roster: Roster = {}
    optimal = True
    for role in roles:
        group = [p for p in people if p.role == role]
        solution = problem.solve(group, list(inputs[role].values()))
        if not solution.feasible:
            raise ScenarioError(gap_finder.infeasible_message(group, list(inputs[role].values()),
                                                              role, origin))
        optimal &= solution.optimal
        for day, by_person in solution.roster.items():
            roster.setdefault(day, {}).update(by_person)
    return roster, optimal


def _raise_need(roster: Roster, inputs: dict[str, problem.DayInput],
                results: dict[str, DayResult]) -> bool:
    """One more counter person where a verified interval misses and a window is free;
    whether anything changed."""
    changed = False
    for day, d in inputs.items():
        missed = ~results[day].metric["meets"].to_numpy(dtype=bool)
        on = problem.scheduled(roster[day], d)
        for k in np.nonzero(missed)[0]:
            staffed = math.ceil(on[k] - 1e-9)
            if staffed < d.cap and d.need[k] < staffed + 1:
                d.need[k] = staffed + 1
                changed = True
    return changed
