"""A/B comparison of two scenarios on common random numbers (the same customers)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..results.metrics import METRICS
from ..results.summary import mean_ci95
from ..scenario.scenario import Scenario
from .arguments import check_scenario
from .simulation import Replications, replicate

# A higher service level is better; for waits, abandonment, detractors, staff hours and
# overtime lower is better. Where customers were served, and how busy the counters were, are
# trade-offs with no better side.
HIGHER_IS_BETTER = frozenset({"service_level"})
NO_DIRECTION = frozenset({"customers", "served_counter", "served_self_service",
                          "diverted_online", "counter_utilisation"})


def better_of(metric: str, diff: float, ci95: float | None) -> str | None:
    """"a", "b", or None when the paired interval around ``diff`` (b − a) contains 0."""
    if metric in NO_DIRECTION or ci95 is None or not np.isfinite(diff) or abs(diff) <= ci95:
        return None
    b_higher = diff > 0
    return "b" if b_higher == (metric in HIGHER_IS_BETTER) else "a"


def plan_labels(a: Scenario, b: Scenario) -> tuple[str, str]:
    """The plans' names, or their file stems when both scenarios have the same name."""
    if a.name != b.name:
        return a.name, b.name
    stems = Path(a.origin).stem, Path(b.origin).stem
    if stems[0] != stems[1] and not any(s.startswith("<") for s in stems):
        return stems
    return a.name, b.name


class Comparison:
    """Two plans, replication k of each on the same customers; differences are b − a.

    ``weights`` are the exercise's scoring weights (``exercise.scoring``); None: the exercise
    defaults. They give the verdict: the weighted score of each plan, paired over days.
    """

    def __init__(self, a: Replications, b: Replications, weights: Mapping[str, float] | None = None,
                 labels: tuple[str, str] | None = None):
        self.a = a
        self.b = b
        self.weights = weights
        self.labels = labels or plan_labels(a.scenario, b.scenario)

    @cached_property
    def differences(self) -> pd.DataFrame:
        """Per replication, per metric: b − a."""
        return self.b.runs[list(METRICS)] - self.a.runs[list(METRICS)]

    @cached_property
    def daily_scores(self) -> tuple[np.ndarray, np.ndarray]:
        """Each day's weighted exercise score (lower is better) of plan a and of plan b."""
        from ..exercise.challenge import Weights
        from ..exercise.scoring import score

        weights = Weights(**(self.weights or {}))
        return (np.asarray(score(self.a.runs, weights), dtype=float),
                np.asarray(score(self.b.runs, weights), dtype=float))

    @cached_property
    def verdict(self) -> dict:
        """Which plan scores better (lower), by the paired difference of the daily scores."""
        score_a, score_b = self.daily_scores
        n = len(score_a)
        diff, half = mean_ci95(score_b - score_a)
        ci = half if n > 1 else None
        better = None if ci is None or abs(diff) <= ci else ("b" if diff < 0 else "a")
        return {"better": better, "score_a": float(score_a.mean()),
                "score_b": float(score_b.mean()), "diff": diff, "ci95": ci}

    @cached_property
    def summary(self) -> dict:
        """The compare document: per metric a, b, the paired diff, its 95% CI, significance,
        which plan is better; and the verdict on the weighted score."""
        n = len(self.a.days)
        metrics = {}
        for name in METRICS:
            diff, half = mean_ci95(self.differences[name].to_numpy())
            ci = half if n > 1 else None
            metrics[name] = {
                "a": float(np.mean(self.a.runs[name])),
                "b": float(np.mean(self.b.runs[name])),
                "diff": diff,
                "ci95": ci,
                "significant": bool(n > 1 and abs(diff) > half),
                "better": better_of(name, diff, ci),
            }
        return {"a": self.labels[0], "b": self.labels[1], "seed": self.a.seed,
                "replications": n, "metrics": metrics, "verdict": self.verdict}


def compare(a: Scenario, b: Scenario, reps: int = 10, seed: int = 0, jobs: int = 1,
            progress=None, weights: Mapping[str, float] | None = None) -> Comparison:
    """Run both plans with the same seeds: replication k of each sees the same customers.

    ``weights``: the exercise's scoring weights for the verdict (default: the exercise's).
    """
    check_scenario(a, "a")
    check_scenario(b, "b")
    return Comparison(replicate(a, reps=reps, seed=seed, jobs=jobs, progress=progress),
                      replicate(b, reps=reps, seed=seed, jobs=jobs, progress=progress),
                      weights=weights)
