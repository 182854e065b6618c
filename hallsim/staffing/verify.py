"""Verify a shift plan in the simulator and repair it where an interval misses the target.

Every plan is simulated with the same seed, so the days share their customers (common random
numbers): a change between rounds reflects the plan, not the draw. An interval misses when
the target lies outside the 95% confidence interval of its metric (mean over simulated days).
A miss gets one more counter staff member than it had on duty, the shift program is solved
again, and the new plan simulated, for at most ``MAX_REPAIRS`` rounds.
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
from .targets import Target, by_interval

MAX_REPAIRS = 4


@dataclass
class Verified:
    plan: Scenario
    cover: milp.Cover
    runs: Replications
    metric: pd.DataFrame          # per interval: mean, ci95, days, meets
    repairs: int

    @property
    def missed(self) -> np.ndarray:
        return ~self.metric["meets"].to_numpy(dtype=bool)


def measure(runs: Replications, sc: Scenario, target: Target) -> pd.DataFrame:
    """The target metric per interval with its CI, and whether each interval meets it."""
    frame = by_interval(runs.customers, sc, target)
    frame["meets"] = [True if math.isnan(m) else target.met_within(m, None if math.isnan(c) else c)
                      for m, c in zip(frame["mean"], frame["ci95"], strict=True)]
    return frame


def verify_and_repair(sc: Scenario, target: Target, cands: list[Candidate], need: np.ndarray,
                      cap: int, build: Callable[[milp.Cover], Scenario], reps: int, seed: int,
                      jobs: int = 1, progress: Callable[[int], None] | None = None) -> Verified:
    """Solve, simulate, and add cover where the plan misses, a bounded number of times."""
    need = np.asarray(need, dtype=float).copy()
    repairs = 0
    while True:
        cover = milp.solve(cands, sc, need, cap)
        plan = build(cover)
        runs = replicate(plan, reps=reps, seed=seed, jobs=jobs)
        if progress:
            progress(1)
        metric = measure(runs, sc, target)
        missed = ~metric["meets"].to_numpy(dtype=bool)
        raised = need.copy()
        for k in np.nonzero(missed)[0]:
            on_duty = math.ceil(cover.scheduled[k] - 1e-9)
            if on_duty < cap:
                raised[k] = max(need[k], on_duty + 1)
        if repairs >= MAX_REPAIRS or np.array_equal(raised, need):
            return Verified(plan, cover, runs, metric, repairs)
        need = raised
        repairs += 1
