"""The debrief (复盘): why a plan won or lost, hour by hour, against the trainer's reference
plan and the winner, on the same simulated customers as the scorecards.

``build`` gives plain data (numbers, no sentences); ``debrief_text.sentences`` says it in
the current language and ``debrief_page`` draws it as HTML, so one debrief can be shown
in every language a room uses.

Each lever a plan pulls is priced by what the plan loses without it: the plan is simulated
again with that lever back at the hall's own setting, on the same days (common random
numbers), and the saving is the paired difference of the daily scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..planning.scoring import Weights, score
from ..results.summary import mean_ci95
from ..runs.simulation import replicate
from ..scenario.scenario import Scenario
from ..scenario.schema import DisplayName
from . import levers as lever_rules
from .causes import Cause, cause
from .challenge import Challenge, Plan
from .hourly import Hours, hourly
from .levers import Purchase
from .scoring import PlanScore, score_plans

# Hours next to the worst one are part of the decisive stretch when they lost at least this
# share of what the worst hour lost.
NEIGHBOUR_SHARE = 0.5


@dataclass(frozen=True)
class Stretch:
    """Consecutive hours (indices) where one plan lost or gained most on another, what they
    came to in score points and in mean wait per customer, and why."""

    hours: list[int]
    points: float                 # this plan − the other, summed over the hours
    wait: float                   # mean wait per customer arriving then, this − the other
    cause: Cause                  # from the side that did worse in these hours


@dataclass(frozen=True)
class Versus:
    """One plan against another (the reference, or the winner), hour by hour."""

    other: str                    # the other plan's team name
    kind: str                     # "reference" or "winner"
    gap: float                    # score − the other's (positive: behind it)
    ci95: float                   # paired over the simulated days
    points: list[float]           # per hour, this plan's part of the score − the other's
    wait: list[float]             # per hour, mean wait − the other's
    lost: Stretch | None          # where it lost most (None: it lost nowhere)
    gained: Stretch | None        # where it gained most


@dataclass(frozen=True)
class LeverSaving:
    """What one lever a plan pulls saved: its score without the lever minus with it."""

    purchase: Purchase
    saving: float                 # score points (positive: the lever helped)
    ci95: float
    wait_saved: list[float]       # per hour, minutes of mean wait the lever took off


@dataclass(frozen=True)
class TeamDebrief:
    team: str
    rank: int
    score: float
    reference: bool
    winner: bool
    valid: bool
    over_budget: bool
    budget_used: float
    violations: list[str]
    scenario: Scenario
    hours: Hours
    versus: list[Versus]
    levers: list[LeverSaving]


@dataclass(frozen=True)
class Debrief:
    title: str | DisplayName
    goal: str | DisplayName
    budget: float
    seed: int | None
    replications: int
    teams: list[TeamDebrief]

    @property
    def reference(self) -> TeamDebrief | None:
        return next((t for t in self.teams if t.reference), None)

    @property
    def winner(self) -> TeamDebrief | None:
        return next((t for t in self.teams if t.winner), None)

    def team(self, name: str) -> TeamDebrief:
        """A team's debrief by its name on the leaderboard (KeyError if there is none)."""
        for t in self.teams:
            if t.team == name:
                return t
        raise KeyError(name)


def build(challenge: Challenge, plans: Sequence[str | Path | Plan | PlanScore],
          reps: int | None = None, seed: int = 1, jobs: int = 1, levers: bool = True,
          progress: Callable[[int], None] | None = None) -> Debrief:
    """The debrief of every plan (and the reference), ranked as ``exercise score`` ranks them.

    ``plans``: plan files or loaded ``Plan`` objects, simulated here with the challenge's
    reference (``reps``, ``seed`` and ``jobs`` as for ``score_plans``); or the
    ``PlanScore`` list ``score_plans`` returned, reused as it is so the numbers are the
    scorecards' own. ``levers``: also price each lever a plan pulls (one more simulation of
    the plan per lever).
    """
    if plans and all(isinstance(p, PlanScore) for p in plans):
        scores = [p for p in plans if isinstance(p, PlanScore)]
    else:
        scores = score_plans(challenge, [p for p in plans if not isinstance(p, PlanScore)],
                             reps=reps, seed=seed, jobs=jobs, progress=progress)
    weights = challenge.exercise.scoring
    budget = challenge.exercise.budget_staff_hours
    hours = {id(s): hourly(s.result, weights) for s in scores}
    reference = next((s for s in scores if s.reference), None)
    winner = scores[0] if scores and scores[0].valid else None
    teams = []
    for s in scores:
        against = [(reference, "reference")] if reference is not None else []
        if winner is not None and winner is not s and winner is not reference:
            against.append((winner, "winner"))
        versus = [_versus(s, o, kind, hours[id(s)], hours[id(o)])
                  for o, kind in against if o is not s]
        savings = _levers(s, challenge, weights, hours[id(s)], jobs) if levers else []
        teams.append(TeamDebrief(
            team=s.team, rank=s.rank, score=s.score, reference=s.reference,
            winner=s is winner, valid=s.valid, over_budget=s.over_budget,
            budget_used=s.budget_used, violations=list(s.violations),
            scenario=s.plan.scenario, hours=hours[id(s)], versus=versus, levers=savings))
    first = scores[0].result if scores else None
    return Debrief(challenge.exercise.title, challenge.exercise.goal, budget,
                   first.seed if first else None, len(first.days) if first else 0, teams)


def _versus(s: PlanScore, other: PlanScore, kind: str, mine: Hours, theirs: Hours) -> Versus:
    points = mine.points - theirs.points
    wait = mine.mean_wait - theirs.mean_wait
    gap, half = mean_ci95(np.asarray(s.daily) - np.asarray(other.daily))
    lost = _stretch(points, wait, mine, s.plan.scenario, other.plan.scenario, mine, theirs)
    gained = _stretch(-points, -wait, mine, other.plan.scenario, s.plan.scenario, theirs, mine)
    if gained is not None:      # kept as this plan − the other
        gained = Stretch(gained.hours, -gained.points, -gained.wait, gained.cause)
    return Versus(other.team, kind, gap, half, [float(p) for p in points],
                  [float(w) for w in wait], lost, gained)


def _stretch(loss: np.ndarray, wait: np.ndarray, mine: Hours, worse: Scenario,
             better: Scenario, worse_hours: Hours, better_hours: Hours) -> Stretch | None:
    """The worst hour by ``loss`` and its neighbours that lost nearly as much."""
    if not len(loss):
        return None
    top = int(np.argmax(loss))
    if loss[top] <= 0.005:
        return None
    lo = hi = top
    while lo > 0 and loss[lo - 1] >= NEIGHBOUR_SHARE * loss[top]:
        lo -= 1
    while hi + 1 < len(loss) and loss[hi + 1] >= NEIGHBOUR_SHARE * loss[top]:
        hi += 1
    span = list(range(lo, hi + 1))
    arrivals = mine.arrivals[span]
    mean_wait = float((wait[span] * arrivals).sum() / max(float(arrivals.sum()), 1e-9))
    return Stretch(span, float(loss[span].sum()), mean_wait,
                   cause(worse, better, worse_hours, better_hours, span))


def _levers(s: PlanScore, challenge: Challenge, weights: Weights, mine: Hours,
            jobs: int) -> list[LeverSaving]:
    """Each lever the plan buys, priced by simulating the plan without it on the same days."""
    out = []
    days = len(s.result.days)
    for purchase in s.bought:
        if not purchase.opened or purchase.amount <= 0:
            continue
        without = replicate(_without(s.plan, challenge, purchase.lever), reps=days,
                            seed=s.result.seed, jobs=jobs)
        daily = np.asarray(score(without.runs, weights), dtype=float)
        saving, half = mean_ci95(daily - np.asarray(s.daily, dtype=float))
        wait_saved = hourly(without, weights).mean_wait - mine.mean_wait
        out.append(LeverSaving(purchase, saving, half, [float(w) for w in wait_saved]))
    return out


def _without(plan: Plan, challenge: Challenge, lever: str) -> Scenario:
    """The plan's hall with one lever back at the hall's own setting."""
    choices = plan.choices.model_copy(update={lever: None})
    data = lever_rules.apply(challenge.scenario.to_dict(), choices, challenge.exercise.levers)
    own = plan.scenario.to_dict()
    data["shifts"], data["flex"] = own["shifts"], own.get("flex", [])
    return Scenario.from_data(data, str(plan.path))


__all__ = ["Debrief", "LeverSaving", "Stretch", "TeamDebrief", "Versus", "build"]
