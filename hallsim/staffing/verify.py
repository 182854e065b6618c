"""Verify a shift plan on fresh days and repair it where an interval does not meet the target.

The plan is simulated on ``verify_days`` days from a family of replications the requirement
never saw (replications ``FRESH`` and up of the same seed), so a requirement fitted to the
noise of its own days cannot pass as verified. Every repair round uses the same fresh days
(common random numbers): a change between rounds reflects the plan, not the draw. An
interval whose verdict is not ``met`` (pooled per customer, ``pooled.py``) gets one more
counter staff member than it had on duty, the shift program is solved again and the new
plan simulated, for at most ``MAX_REPAIRS`` rounds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..runs.simulation import Replications, replicate
from ..scenario.scenario import Scenario
from . import milp
from .candidates import Candidate
from .pooled import pooled
from .targets import Target

MAX_REPAIRS = 4
FRESH = 2 ** 40          # first replication of the verification family
VERIFY_DAYS = 200


@dataclass
class Verified:
    plan: Scenario
    cover: milp.Cover
    runs: Replications
    metric: pd.DataFrame          # per interval: mean, ci95, customers, days, verdict
    repairs: int

    @property
    def verdicts(self) -> np.ndarray:
        return self.metric["verdict"].to_numpy(dtype=object)


def measure(runs: Replications, sc: Scenario, target: Target) -> pd.DataFrame:
    """The target metric per interval, pooled per customer over the days, with verdicts."""
    return pooled(runs.customers, sc, target, [day.replication for day in runs.days])


def fresh_days(plan: Scenario, days: int, seed: int, jobs: int = 1) -> Replications:
    """The plan on ``days`` verification days (replications the requirement never used)."""
    return replicate(plan, reps=days, seed=seed, jobs=jobs, first=FRESH)


def verify_and_repair(sc: Scenario, target: Target, cands: list[Candidate], need: np.ndarray,
                      cap: int, build: Callable[[milp.Cover], Scenario], days: int, seed: int,
                      jobs: int = 1, progress: Callable[[int], None] | None = None) -> Verified:
    """Solve, simulate on fresh days, and add cover where the plan does not meet the target,
    a bounded number of times."""
    need = np.asarray(need, dtype=float).copy()
    repairs = 0
    while True:
        cover = milp.solve(cands, sc, need, cap)
        plan = build(cover)
        runs = fresh_days(plan, days, seed, jobs)
        if progress:
            progress(1)
        metric = measure(runs, sc, target)
        short = metric["verdict"].to_numpy(dtype=object) != "met"
        raised = need.copy()
        for k in np.nonzero(short)[0]:
            on_duty = math.ceil(cover.scheduled[k] - 1e-9)
            if on_duty < cap:
                raised[k] = max(need[k], on_duty + 1)
        if repairs >= MAX_REPAIRS or np.array_equal(raised, need):
            return Verified(plan, cover, runs, metric, repairs)
        need = raised
        repairs += 1
