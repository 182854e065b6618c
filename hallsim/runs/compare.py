"""A/B comparison of two scenarios on common random numbers (the same customers)."""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ..results.metrics import METRICS
from ..results.summary import mean_ci95
from ..scenario.scenario import Scenario
from .simulation import Replications, replicate


class Comparison:
    """Two plans, replication k of each on the same customers; differences are b − a."""

    def __init__(self, a: Replications, b: Replications):
        self.a = a
        self.b = b

    @cached_property
    def differences(self) -> pd.DataFrame:
        """Per replication, per metric: b − a."""
        return self.b.runs[list(METRICS)] - self.a.runs[list(METRICS)]

    @cached_property
    def summary(self) -> dict:
        """The compare document: per metric a, b, the paired diff, its 95% CI and significance."""
        n = len(self.a.days)
        metrics = {}
        for name in METRICS:
            diff, half = mean_ci95(self.differences[name].to_numpy())
            metrics[name] = {
                "a": float(np.mean(self.a.runs[name])),
                "b": float(np.mean(self.b.runs[name])),
                "diff": diff,
                "ci95": half,
                "significant": bool(n > 1 and abs(diff) > half),
            }
        return {"a": self.a.scenario.name, "b": self.b.scenario.name, "seed": self.a.seed,
                "replications": n, "metrics": metrics}


def compare(a: Scenario, b: Scenario, reps: int = 10, seed: int = 0, jobs: int = 1,
            progress=None) -> Comparison:
    """Run both plans with the same seeds: replication k of each sees the same customers."""
    return Comparison(replicate(a, reps=reps, seed=seed, jobs=jobs, progress=progress),
                      replicate(b, reps=reps, seed=seed, jobs=jobs, progress=progress))
