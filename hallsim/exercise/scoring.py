"""Scoring trainee plans: simulate each on the same customers, score, rank, explain."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pandas as pd

from ..errors import ScenarioError
from ..i18n import N_, _, display, translate
from ..planning.scoring import score
from ..results.summary import mean_ci95
from ..runs.simulation import Replications, replicate
from .challenge import Challenge, Plan, load_plan, over_budget, staff_hours, violations
from .levers import Purchase


@dataclass
class PlanScore:
    plan: Plan
    result: Replications
    violations: list[str]
    score: float
    reference: bool = False
    rank: int = 0
    daily: Any = None                 # the score of each simulated day (common random numbers)
    ahead_of_next: dict = field(default_factory=dict)
    reference_score: float | None = None   # the trainer's reference plan's, if it was scored

    @property
    def team(self) -> str:
        return self.plan.team

    @property
    def valid(self) -> bool:
        return not self.violations

    @property
    def lever_hours(self) -> float:
        """What the plan's levers cost, hours-equivalent."""
        return self.plan.lever_hours

    @property
    def bought(self) -> list[Purchase]:
        """The levers the plan pulls (changes something, or is not open), with their costs."""
        return [p for p in self.plan.bought if p.amount > 0 or not p.opened]

    @property
    def budget_used(self) -> float:
        """Scheduled staff hours plus what the levers cost: what the budget is held against."""
        return round(staff_hours(self.plan.scenario) + self.lever_hours, 6)

    @property
    def over_budget(self) -> bool:
        """Staff and lever hours beyond the challenge's budget: marked wherever it is shown."""
        return self.plan.budget is not None and over_budget(self.budget_used, self.plan.budget)

    @property
    def vs_reference(self) -> float | None:
        """Score minus the reference plan's (positive: worse than the reference)."""
        return None if self.reference_score is None else self.score - self.reference_score

    @cached_property
    def means(self) -> dict[str, float]:
        return {k: v["mean"] for k, v in self.result.summary["metrics"].items()}

    @cached_property
    def worst_interval(self) -> dict:
        """The interval with the longest mean wait, and what was happening then."""
        iv = self.result.intervals.groupby(["start", "end"], sort=False).mean(numeric_only=True)
        iv = iv.reset_index()
        if iv["mean_wait_min"].isna().all():
            return {"start": "", "end": "", "mean_wait_min": 0.0, "why": _("no customers")}
        row = iv.loc[iv["mean_wait_min"].idxmax()]
        queue, length = max([("counter", row["queue_counter"]), ("triage", row["queue_triage"]),
                             ("kiosk", row["queue_kiosk"])], key=lambda q: q[1])
        staff = {"counter": row["staff_counter"], "triage": row["staff_triage"],
                 "kiosk": row["kiosks_busy"]}[queue]
        why = translate(WHY[queue]).format(rate=row["arrival_rate_per_hour"], length=length,
                                           staff=staff)
        return {"start": row["start"], "end": row["end"],
                "mean_wait_min": float(row["mean_wait_min"]), "why": why}


@dataclass(frozen=True)
class Rejected:
    """A plan file that could not be read as a plan: it is listed, not scored."""

    path: Path
    errors: list[str]


def load_plans(challenge: Challenge, paths: Sequence[str | Path]) -> tuple[list[Plan],
                                                                          list[Rejected]]:
    """Every plan that loads, and every file that does not with its located errors."""
    plans, rejected = [], []
    for path in paths:
        try:
            plans.append(load_plan(challenge, path))
        except ScenarioError as exc:
            rejected.append(Rejected(Path(path), exc.messages))
    return plans, rejected


def score_plans(challenge: Challenge, plan_paths: Sequence[str | Path | Plan],
                reps: int | None = None, seed: int = 1, jobs: int = 1,
                with_reference: bool = True,
                progress: Callable[[int], None] | None = None) -> list[PlanScore]:
    """Check and simulate every plan (and the reference), ranked: valid plans first.

    Plans may be given as files (a malformed one raises ScenarioError; use ``load_plans``
    first to score the others) or as loaded ``Plan`` objects.
    """
    plans = [p if isinstance(p, Plan) else load_plan(challenge, p) for p in plan_paths]
    ref_path = challenge.reference_path if with_reference else None
    if ref_path is not None:
        reference = load_plan(challenge, ref_path)
        if reference.team == REFERENCE_TEAM:      # the shipped name, shown in the reader's words
            reference = replace(reference, team=translate(REFERENCE_TEAM))
        plans.append(reference)
    reps = reps or challenge.exercise.reps
    scores = []
    for i, plan in enumerate(plans):
        result = replicate(plan.scenario, reps=reps, seed=seed, jobs=jobs, progress=progress)
        means = {k: v["mean"] for k, v in result.summary["metrics"].items()}
        scores.append(PlanScore(plan, result, violations(plan, challenge),
                                score(means, challenge.exercise.scoring),
                                reference=ref_path is not None and i == len(plans) - 1,
                                daily=score(result.runs, challenge.exercise.scoring).to_numpy()))
    return rank(scores)


REFERENCE_TEAM = N_("trainer's reference")
# Why the worst interval was worst, by the queue that was longest then.
WHY = {"counter": N_("{rate:.0f} arrivals/hour; the counter queue averaged {length:.1f} with "
                     "{staff:.1f} counter staff on average"),
       "triage": N_("{rate:.0f} arrivals/hour; the triage queue averaged {length:.1f} with "
                    "{staff:.1f} greeters on average"),
       "kiosk": N_("{rate:.0f} arrivals/hour; the kiosk queue averaged {length:.1f} with "
                   "{staff:.1f} kiosks busy on average")}


class Rankable(Protocol):
    """What ranking reads and writes: a ``PlanScore``, or a scored plan kept by the server."""

    score: float
    reference: bool
    daily: Any
    rank: int
    reference_score: float | None
    ahead_of_next: dict

    @property
    def team(self) -> str: ...

    @property
    def valid(self) -> bool: ...


R = TypeVar("R", bound=Rankable)


def rank(scores: list[R]) -> list[R]:
    """Valid plans by score, then plans that break rules (flagged) by score; ties by team name."""
    ordered = sorted(scores, key=lambda s: (not s.valid, s.score, s.team))
    reference = next((s for s in ordered if s.reference), None)
    for position, entry in enumerate(ordered, start=1):
        entry.rank = position
        entry.reference_score = reference.score if reference is not None else None
    for entry, following in zip(ordered, ordered[1:], strict=False):
        same_group = entry.valid == following.valid  # across groups, the rules decide
        if same_group and entry.daily is not None and following.daily is not None:
            # Paired: day k of every plan has the same customers.
            gap, half = mean_ci95(following.daily - entry.daily)
            entry.ahead_of_next = {"gap": gap, "ci95": half, "clear": abs(gap) > half > 0
                                   or (half == 0 and gap != 0)}
    return ordered


def leaderboard(scores: list[PlanScore], challenge: Challenge) -> pd.DataFrame:
    budget = challenge.exercise.budget_staff_hours
    return pd.DataFrame([{
        "rank": s.rank, "team": s.team, "score": s.score, "valid": s.valid,
        "over_budget": s.over_budget, "rules_broken": len(s.violations),
        "staff_hours": s.means["staff_hours"],
        "lever_hours": s.lever_hours, "levers": "; ".join(p.short() for p in s.bought),
        "budget_used": s.budget_used, "budget": budget, "mean_wait_min": s.means["mean_wait_min"],
        "p90_wait_min": s.means["p90_wait_min"], "service_level": s.means["service_level"],
        "abandon_rate": s.means["abandon_rate"], "detractor_rate": s.means["detractor_rate"],
        "reference": s.reference, "promoter_rate": s.means["promoter_rate"],
        "nps": s.means["nps"],
    } for s in scores])


def purchase_document(p: Purchase) -> dict:
    return {"lever": p.lever, "choice": p.choice, "hall": p.hall, "amount": p.amount,
            "cost_hours": p.cost, "opened": p.opened}


def document(scores: list[PlanScore], challenge: Challenge,
             rejected: Sequence[Rejected] = ()) -> dict:
    """The machine-readable leaderboard (``--json``)."""
    return {
        "challenge": display(challenge.exercise.title),
        "budget_staff_hours": challenge.exercise.budget_staff_hours,
        "levers_open": challenge.exercise.levers.model_dump(mode="json", exclude_none=True),
        "seed": scores[0].result.seed if scores else None,
        "replications": len(scores[0].result.days) if scores else 0,
        "plans": [plan_document(s) for s in scores],
        "rejected": [{"file": str(r.path), "errors": r.errors} for r in rejected],
    }


def plan_document(s: PlanScore) -> dict:
    """One plan's leaderboard entry: rank, score, rules, levers bought, metrics."""
    return {
        "rank": s.rank, "team": s.team, "file": str(s.plan.path), "score": s.score,
        "vs_reference": s.vs_reference,
        "valid": s.valid, "over_budget": s.over_budget, "violations": s.violations,
        "reference": s.reference,
        "levers": [purchase_document(p) for p in s.bought],
        "lever_hours": s.lever_hours, "budget_used_hours": s.budget_used,
        "ahead_of_next": s.ahead_of_next or None,
        "metrics": s.result.summary["metrics"], "worst_interval": s.worst_interval,
    }
