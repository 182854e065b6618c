"""``hallsim.advise``: from a service target to a verified counter shift plan (contract §6)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import ScenarioError
from ..i18n import _
from ..planning.rules import PlanningRules, Rules
from ..results.intervals import interval_edges
from ..runs.arguments import whole
from ..runs.simulation import check_runs
from ..scenario.clock import format_clock
from ..scenario.scenario import Scenario
from ..scenario.schema import ROLES
from . import gaps as gap_finder
from .candidates import counter_cap, default_rules, generate, parse_rules, shift_names
from .intervals import interval_frame, interval_rows, num, verdict_counts
from .milp import Cover
from .overtime import expected_hours, measured_minutes
from .requirement import MAX_REPS, Requirement, abandonment_rate, requirement, with_counter_shifts
from .targets import Target, parse_targets
from .verify import VERIFY_DAYS, Verified, verify_and_repair
from .zones import GroupAdvice, advise_groups

TEAM = "hallsim-advisor"


@dataclass
class Advice:
    """What ``advise`` returns: the advised plan, the day in intervals, the verdicts.

    The plan is ``.plan`` (a Scenario, ready for ``simulate``), the day is ``.intervals`` (a
    DataFrame, one row per interval) and ``.document`` is advice.json as a dict. A hall with
    counter groups has ``.groups``: each group's part (``name``, ``requirement``, ``cover``,
    ``verdicts``, ``intervals(scenario, targets)``, ``document(scenario, targets)``), in
    file order; the hall's ``.intervals`` then add the groups up, each verdict the worst
    group's.
    """

    scenario: Scenario
    targets: list[Target]
    rules: PlanningRules
    requirement: Requirement
    verified: Verified
    gaps: list[gap_finder.Gap]
    reps: int
    seed: int
    verify_days: int = VERIFY_DAYS
    notes: list[str] = field(default_factory=list)
    groups: list[GroupAdvice] = field(default_factory=list)   # a hall with counter groups

    @property
    def target(self) -> Target:
        """The first target.

        Returns
        -------
        Target
            The target whose metric advice.json's intervals show as ``verified``.
        """
        return self.targets[0]

    @property
    def plan(self) -> Scenario:
        """The hall with the advised counter shifts.

        Returns
        -------
        Scenario
            The scenario with its counter shifts replaced; other roles and flex as they were.
        """
        return self.verified.plan

    @property
    def cover(self) -> Cover:
        """The shift program's solution.

        Returns
        -------
        Cover
            The chosen shifts with their counts, and staff on duty per interval.
        """
        return self.verified.cover

    @property
    def intervals(self) -> pd.DataFrame:
        """The day in intervals.

        Returns
        -------
        pandas.DataFrame
            One row per interval: ``start``, ``end``, ``arrivals_per_hour``, ``offered_load``,
            ``required_isa``, ``required_sipp``, ``scheduled``, ``uncovered``,
            ``verified_mean``, ``verified_ci95``, ``verdict`` (met, close or missed) and
            ``meets``; with several targets also ``<metric>_mean``, ``_ci95``, ``_verdict``.
        """
        return interval_frame(self.scenario, self.requirement.frame, self.cover,
                              self.verified.by_target, self.targets)

    @property
    def meets_target(self) -> bool:
        """Whether the plan meets every target in every interval on the fresh days.

        Returns
        -------
        bool
            True only when every interval's verdict is ``met``.
        """
        return bool((self.verified.metric["verdict"] == "met").all())

    @property
    def verdict_counts(self) -> dict[str, int]:
        """How many intervals got each verdict.

        Returns
        -------
        dict
            ``{"met": n, "close": n, "missed": n}``.
        """
        return verdict_counts(self.verified.metric["verdict"].to_numpy(dtype=object))

    @property
    def staff_hours(self) -> float:
        """Staff hours of the whole plan.

        Returns
        -------
        float
            Scheduled hours minus breaks, all roles (as ``run`` reports them).
        """
        return float(sum(s.count * ((s.end - s.start) - sum(b.minutes for b in s.breaks))
                         for s in self.plan.shifts) / 60.0)

    @property
    def overtime_min(self) -> float:
        """Counter staff overtime on the fresh days.

        Returns
        -------
        float
            Minutes per day, the mean over the verification days.
        """
        return measured_minutes(self.verified.runs)

    @property
    def cost(self) -> float:
        """What the plan costs, in staff hours.

        Returns
        -------
        float
            Counter staff hours plus overtime hours priced at the rules' ``overtime_weight``.
        """
        return self.cover.staff_hours + self.rules.overtime_weight * self.overtime_min / 60.0

    @property
    def document(self) -> dict:
        """advice.json as a dict.

        Returns
        -------
        dict
            Strict JSON (no NaN): scenario, targets, staff hours, ``meets_target``, the
            verdict counts, the intervals, gaps, rules, how the ISA settled and the
            verification, and notes.
        """
        rows = interval_rows(self.intervals, self.targets, self.verified.by_target)
        return {
            "scenario": self.scenario.name,
            "target": self.target.document(),
            "targets": [t.document() for t in self.targets],
            "staff_hours": num(self.staff_hours, 2),
            "meets_target": self.meets_target,
            "verdicts": self.verdict_counts,
            "intervals": rows,
            "counter_staff_hours": num(self.cover.staff_hours, 2),
            "counter_overtime_min": num(self.overtime_min, 1),
            "cost": {"staff_hours": num(self.cover.staff_hours, 2),
                     "overtime_weight": self.rules.overtime_weight,
                     "total": num(self.cost, 2)},
            "gaps": [g.document() for g in self.gaps],
            "rules": rules_document(self.rules),
            "seed": self.seed,
            "isa": {"replications": self.requirement.replications,
                    "rounds": self.requirement.rounds,
                    "simulated_days": self.requirement.days,
                    "converged": self.requirement.converged,
                    "note": None if self.requirement.converged else self.requirement.notes[-1]},
            "verification": {"days": self.verify_days, "fresh_days": True,
                             "repairs": self.verified.repairs},
            "notes": list(self.notes),
            **({"groups": {g.name: g.document(self.scenario, self.targets) for g in self.groups}}
               if self.groups else {}),
        }

    def plan_file(self) -> dict:
        """plan.yaml's content.

        Returns
        -------
        dict
            ``team``, ``shifts`` (every role) and ``flex``: a plan file for the exercise.
        """
        data = self.plan.to_dict()
        return {"team": TEAM, "shifts": data.get("shifts", []), "flex": data.get("flex", [])}


def rules_document(rules: Rules) -> dict:
    """The rules in their file format (times as "HH:MM")."""
    data = rules.model_dump(mode="json", by_alias=True)
    if rules.start_times is not None:
        data["start_times"] = [format_clock(t) for t in rules.start_times]
    lunch = getattr(rules, "lunch", None)
    if lunch is not None:
        data["lunch"].update({"from": format_clock(lunch.start), "to": format_clock(lunch.end)})
    return data


def plan_scenario(sc: Scenario, cover: Cover) -> Scenario:
    """The scenario with the cover's counter shifts instead of its own."""
    taken = {s.name for s in sc.shifts if s.role != "counter"}
    plan = with_counter_shifts(sc, shift_names(cover.chosen, taken))
    data = plan.to_dict()
    data["name"] = f"{sc.name}-advised"
    return Scenario.from_dict(data, sc.origin)


def advise(sc: Scenario, target: Mapping[str, Any] | str | Target | list[Any],
           rules: Rules | Mapping[str, Any] | None = None,
           reps: int = 20, seed: int = 1, jobs: int = 1,
           progress: Callable[[int], None] | None = None,
           verify_days: int = VERIFY_DAYS, max_reps: int = MAX_REPS) -> Advice:
    """Draft counter shifts that hold a service target in every interval, verified on
    fresh simulated days.

    Parameters
    ----------
    sc : Scenario
        The hall; only its counter shifts change.
    target : mapping, str, Target or list
        ``{"wait_probability": 0.2}``, ``"service_level=0.8@20s"`` (served within 20 s; or
        ``@10m``), several metrics in one mapping, or a list of these: every target is held
        in every interval.
    rules : mapping, Rules or PlanningRules, optional
        The shift rules (``hallsim schema --kind rules``): the exercise's rules plus
        ``shrinkage``, ``lunch``, ``max_on_break``, ``part_time``, ``overtime_weight``.
        Default: starts on any interval boundary, 3-9 h shifts, a 30-minute break in shifts
        over 6 hours.
    reps : int
        Simulated days per ISA round to start with (doubled when the requirement wavers).
    seed : int
        Base seed of every simulated day.
    jobs : int
        Worker processes (0: all cores).
    progress : callable, optional
        Called with 1 after each simulated round.
    verify_days : int
        Fresh days (replications the ISA never used) the plan is verified on.
    max_reps : int
        Most simulated days per ISA round.

    Returns
    -------
    Advice
        ``.plan``, ``.intervals`` (with a verdict per interval), ``.document``.

    Raises
    ------
    ScenarioError
        A bad target or rule, named with its field.
    """
    check_runs(reps, jobs)
    whole(verify_days, "verify_days", 1)
    whole(max_reps, "max_reps", 1)
    goals = parse_targets(target, sc)
    chosen = default_rules(parse_rules(rules))
    if any(goal.metric == "abandon_rate" for goal in goals) and sc.patience is None:
        raise ScenarioError(_("target.abandon_rate: nobody abandons in this scenario "
                              "(patience: none); choose another metric"))
    for role in chosen.max_on_duty:
        if role not in ROLES:
            raise ScenarioError(_("rules.max_on_duty.{role}: unknown role; expected one of "
                                  "{roles}").format(role=role, roles=", ".join(ROLES)))
    if sc.counters.groups:
        need, verified, parts, notes = advise_groups(sc, goals, chosen, reps, seed, jobs, progress,
                                                     verify_days, max_reps)
        found = [gap for part in parts for gap in part.gaps]
        return Advice(sc, goals, chosen, need, verified, found, reps, seed, verify_days,
                      _with_patience_note(sc, need.notes + notes), parts)
    need = requirement(sc, goals, reps, seed, jobs, progress, max_reps)
    cands = generate(sc, chosen)
    cap, _field = counter_cap(sc, chosen)
    overtime = expected_hours(cands, sc, need.frame, need.isa) if chosen.overtime_weight else None
    verified = verify_and_repair(sc, goals, cands, need.isa, cap, lambda c: plan_scenario(sc, c),
                                 verify_days, seed, jobs, progress, chosen, overtime)
    found = named_gaps(verified, sc, chosen)
    return Advice(sc, goals, chosen, need, verified, found, reps, seed, verify_days,
                  _with_patience_note(sc, need.notes))


def _with_patience_note(sc: Scenario, notes: list[str]) -> list[str]:
    """The notes, and the one on non-exponential patience if it is not among them."""
    out = list(notes)
    _theta, note = abandonment_rate(sc)
    if note and note not in out:
        out.append(note)
    return out


def named_gaps(verified: Verified, sc: Scenario,
               rules: PlanningRules) -> list[gap_finder.Gap]:
    """The gaps to name: a shortfall against the estimated requirement is a gap only where
    the plan does not meet the target on the fresh days (a met interval is met, whatever the
    estimate said), so no output names a shortfall beside "met in every interval"."""
    return gap_finder.find(verified.cover, sc, rules, interval_edges(sc),
                           only=verified.verdicts != "met")
