"""Verify a shift plan on fresh days and repair it where an interval does not meet the target.

The plan is simulated on ``verify_days`` days from a family of replications the requirement
never saw (replications ``FRESH`` and up of the same seed), so a requirement fitted to the
noise of its own days cannot pass as verified. Every repair round uses the same fresh days
(common random numbers): a change between rounds reflects the plan, not the draw. An
interval whose verdict is not ``met`` (pooled per customer, ``pooled.py``) gets one more
counter staff member than it had on duty, the shift program is solved again and the new
plan simulated, for at most ``MAX_REPAIRS`` rounds.

With ``shrinkage`` in the rules, each scheduled counter member is absent on each fresh day
with that probability (drawn from a stream of its own, so the customers stay the same):
the plan is verified on the days it will meet, not on days with everybody in.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from ..model.streams import Streams
from ..planning.rules import PlanningRules
from ..runs.simulation import Day, Replications, Runner, replicate, run_day
from ..scenario.scenario import Scenario
from . import milp
from .candidates import Candidate
from .pooled import VERDICTS, pooled
from .targets import Target

MAX_REPAIRS = 4
FRESH = 2 ** 40          # first replication of the verification family
VERIFY_DAYS = 200


@dataclass
class Verified:
    plan: Scenario
    cover: milp.Cover
    runs: Replications
    by_target: list[pd.DataFrame]   # per target, per interval: mean, ci95, customers, verdict
    repairs: int

    @property
    def verdicts(self) -> np.ndarray:
        """Per interval, the worst verdict of any target (missed, then close, then met)."""
        return combined([frame["verdict"].to_numpy(dtype=object) for frame in self.by_target])

    @property
    def metric(self) -> pd.DataFrame:
        """The first target's metric per interval, with the verdict over all targets."""
        frame = self.by_target[0].copy()
        frame["verdict"] = self.verdicts
        return frame


def combined(verdicts: list[np.ndarray]) -> np.ndarray:
    """The worst verdict per interval over several targets."""
    rank = {v: i for i, v in enumerate(VERDICTS)}             # met < close < missed
    worst = np.max([[rank[v] for v in row] for row in verdicts], axis=0)
    return np.array([VERDICTS[i] for i in worst], dtype=object)


def measure(runs: Replications, sc: Scenario, targets: list[Target]) -> list[pd.DataFrame]:
    """Each target's metric per interval, pooled per customer over the days, with verdicts."""
    days = [day.replication for day in runs.days]
    return [pooled(runs.customers, sc, target, days) for target in targets]


def measured(runs: Replications, sc: Scenario, targets: list[Target]) -> pd.DataFrame:
    """The first target's metric per interval with the verdict over all ``targets`` and
    ``meets`` (the verdict is ``met``): one frame for callers that verify many plans."""
    by_target = measure(runs, sc, targets)
    frame = by_target[0].copy()
    frame["verdict"] = combined([f["verdict"].to_numpy(dtype=object) for f in by_target])
    frame["meets"] = frame["verdict"] == "met"
    return frame


def fresh_days(plan: Scenario, days: int, seed: int, jobs: int = 1,
               shrinkage: float = 0.0) -> Replications:
    """The plan on ``days`` verification days (replications the requirement never used),
    each counter member absent with probability ``shrinkage``."""
    if shrinkage <= 0:
        return replicate(plan, reps=days, seed=seed, jobs=jobs, first=FRESH)
    indices = range(FRESH, FRESH + days)
    with Runner(partial(absent_day, plan, seed, shrinkage), min(jobs or os.cpu_count() or 1,
                                                                days)) as runner:
        found = dict(runner.run(indices))
    return Replications(plan, seed, [found[k] for k in indices])


def absent_day(plan: Scenario, seed: int, shrinkage: float, replication: int) -> Day:
    """Replication ``replication`` of the plan with each counter member absent with
    probability ``shrinkage`` (stream ``absence``: the customers are the same)."""
    rng = Streams(seed, replication)("absence")
    data = plan.to_dict()
    for shift in data.get("shifts", []):
        if shift.get("role") == "counter":
            shift["count"] = int(rng.binomial(int(shift["count"]), 1.0 - shrinkage))
    return run_day(Scenario.from_dict(data, plan.origin), seed, replication)


def verify_and_repair(sc: Scenario, targets: list[Target], cands: list[Candidate], need: np.ndarray,
                      cap: int, build: Callable[[milp.Cover], Scenario], days: int, seed: int,
                      jobs: int = 1, progress: Callable[[int], None] | None = None,
                      rules: PlanningRules | None = None,
                      overtime: np.ndarray | None = None) -> Verified:
    """Solve, simulate on fresh days, and add cover where the plan does not meet the target,
    a bounded number of times."""
    rules = rules or PlanningRules()
    need = np.asarray(need, dtype=float).copy()
    repairs = 0
    while True:
        cover = milp.solve(cands, sc, need, cap, rules, overtime)
        plan = build(cover)
        runs = fresh_days(plan, days, seed, jobs, rules.shrinkage)
        if progress:
            progress(1)
        by_target = measure(runs, sc, targets)
        short = combined([f["verdict"].to_numpy(dtype=object) for f in by_target]) != "met"
        raised = raised_need(need, cover, short, cap)
        if repairs >= MAX_REPAIRS or np.array_equal(raised, need):
            return Verified(plan, cover, runs, by_target, repairs)
        need = raised
        repairs += 1


def raised_need(need: np.ndarray, cover: milp.Cover, short: np.ndarray, cap: int) -> np.ndarray:
    """The requirement for the next repair round: one more staff member than were available
    at the thinnest minute of each interval that is ``short`` (not met), where the cap
    leaves room."""
    raised = np.asarray(need, dtype=float).copy()
    for k in np.nonzero(short)[0]:
        if math.ceil(cover.scheduled[k] - 1e-9) < cap:
            raised[k] = max(raised[k], math.floor(cover.lowest[k] + 1e-9) + 1)
    return raised
