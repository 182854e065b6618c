"""A/B comparison of two scenarios on common random numbers (the same customers)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..planning.scoring import Weights, score
from ..results.metrics import METRICS
from ..results.summary import mean_ci95
from ..scenario.scenario import Scenario
from .arguments import DEFAULT_JOBS, DEFAULT_SEED, check_hour_cost, check_scenario
from .simulation import Replications, replicate

# A higher service level, promoter rate and NPS are better; for waits, abandonment,
# detractors, staff hours and overtime lower is better. Where customers were served, and how
# busy the counters were, are trade-offs with no better side.
HIGHER_IS_BETTER = frozenset({"service_level", "promoter_rate", "nps"})
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


# Paid-hour differences below this do not show at the verdict's 0.1 h precision: no side
# is called cheaper for them.
HOURS_SHOWN = 0.05


class Comparison:
    """Two plans, replication k of each on the same customers; differences are b − a.

    Usually made by :func:`compare`; build one directly from two ``Replications`` run with
    the same seed and number of days.

    Parameters
    ----------
    a, b : Replications
        The two plans' days, replication k of each on the same customers.
    weights : mapping of str to float, optional
        The exercise's scoring weights (``hallsim.planning.scoring.Weights`` fields); None:
        the exercise defaults. They give the verdict: each plan's weighted score (lower is
        better), paired over days.
    labels : (str, str), optional
        The plans' names in the summary; None: their scenario names, or file stems when both
        names are the same.
    hour_cost : float, optional
        Folds cost into the score: this much per scheduled staff hour and a sixtieth of it per
        overtime minute, in place of the weights' own ``staff_hours`` and ``overtime_min``.

    Returns
    -------
    Comparison
        Its ``differences``, ``daily_scores``, ``cost``, ``verdict`` and ``summary`` are
        computed on first use.
    """

    def __init__(self, a: Replications, b: Replications, weights: Mapping[str, float] | None = None,
                 labels: tuple[str, str] | None = None, hour_cost: float | None = None):
        hour_cost = check_hour_cost(hour_cost)
        self.a = a
        self.b = b
        self.weights = dict(weights or {})
        if hour_cost is not None:
            self.weights.update(staff_hours=float(hour_cost), overtime_min=float(hour_cost) / 60)
        self.labels = labels or plan_labels(a.scenario, b.scenario)

    @cached_property
    def differences(self) -> pd.DataFrame:
        """The paired differences b − a, one per replication and metric.

        Returns
        -------
        pandas.DataFrame
            One row per day, one column per summary metric.
        """
        return self.b.runs[list(METRICS)] - self.a.runs[list(METRICS)]

    def _daily_scores(self, weights: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        model = Weights(**weights)
        return (np.asarray(score(self.a.runs, model), dtype=float),
                np.asarray(score(self.b.runs, model), dtype=float))

    @cached_property
    def daily_scores(self) -> tuple[np.ndarray, np.ndarray]:
        """Each day's weighted exercise score (lower is better) of plan a and of plan b.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Plan a's and plan b's score, one value per day.
        """
        return self._daily_scores(self.weights)

    @cached_property
    def cost(self) -> dict:
        """What plan b costs beyond plan a (b − a), in staff hours and overtime minutes, and
        which plan is cheaper in paid hours (both together), when the days settle it.

        Returns
        -------
        dict
            ``staff_hours_diff`` and ``overtime_min_diff`` (means over days, b − a) and
            ``cheaper``: "a", "b", or None when the paired 95% interval of paid hours
            contains 0 or the difference is under 0.05 h.
        """
        staff = self.differences["staff_hours"].to_numpy()
        overtime = self.differences["overtime_min"].to_numpy()
        paid, half = mean_ci95(staff + overtime / 60)
        cheaper = None
        if abs(paid) > half and abs(paid) >= HOURS_SHOWN:
            cheaper = "b" if paid < 0 else "a"
        return {"staff_hours_diff": float(staff.mean()), "overtime_min_diff": float(overtime.mean()),
                "cheaper": cheaper}

    @cached_property
    def verdict(self) -> dict:
        """Which plan scores better (lower), by the paired difference of the daily scores,
        beside what it costs: ``service_better`` is the same call on the score without staff
        hours and overtime, ``cheaper`` the plan that needs fewer paid hours.

        Returns
        -------
        dict
            ``better`` ("a", "b" or None: too close to call), ``score_a``, ``score_b``,
            ``diff`` (b − a) and its ``ci95`` half-width (None with one day),
            ``service_better``, ``cheaper``, ``hour_cost`` and ``cost``.
        """
        better, diff, ci = _paired_call(*self.daily_scores)
        priced = any(self.weights.get(k, 0.0) > 0 for k in ("staff_hours", "overtime_min"))
        service_better = better
        if priced:
            unpriced = {**self.weights, "staff_hours": 0.0, "overtime_min": 0.0}
            service_better = _paired_call(*self._daily_scores(unpriced))[0]
        score_a, score_b = self.daily_scores
        cost = self.cost
        return {"better": better, "score_a": float(score_a.mean()),
                "score_b": float(score_b.mean()), "diff": diff, "ci95": ci,
                "service_better": service_better, "cheaper": cost["cheaper"],
                "hour_cost": float(self.weights.get("staff_hours", 0.0)),
                "cost": {"staff_hours_diff": cost["staff_hours_diff"],
                         "overtime_min_diff": cost["overtime_min_diff"]}}

    @cached_property
    def summary(self) -> dict:
        """The compare document, with per metric a, b, the paired diff, its 95% CI, significance
        and which plan is better; and the verdict on the weighted score, with the cost.

        Returns
        -------
        dict
            ``a``, ``b`` (labels), ``seed``, ``replications``, ``metrics`` (per metric:
            ``a``, ``b``, ``diff``, ``ci95``, ``significant``, ``better``), ``verdict``
            and ``cost``: the document ``hallsim compare`` writes as ``compare.json``.
        """
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
        # The cost stands at the top (contract 6b) as well as inside the verdict it qualifies.
        return {"a": self.labels[0], "b": self.labels[1], "seed": self.a.seed,
                "replications": n, "metrics": metrics, "verdict": self.verdict,
                "cost": dict(self.verdict["cost"])}


def _paired_call(score_a: np.ndarray, score_b: np.ndarray) -> tuple[str | None, float, float | None]:
    """The lower-scoring plan ("a", "b", or None when the paired 95% interval contains 0 or
    there is one day), the mean paired difference b − a, and its half-width (None: one day)."""
    diff, half = mean_ci95(score_b - score_a)
    ci = half if len(score_a) > 1 else None
    better = None if ci is None or abs(diff) <= ci else ("b" if diff < 0 else "a")
    return better, diff, ci


def compare(a: Scenario, b: Scenario, reps: int = 10, seed: int = DEFAULT_SEED,
            jobs: int = DEFAULT_JOBS, progress=None, weights: Mapping[str, float] | None = None,
            hour_cost: float | None = None, labels: tuple[str, str] | None = None) -> Comparison:
    """Run both plans with the same seeds: replication k of each sees the same customers.

    Parameters
    ----------
    a, b : Scenario
        The two plans (``hallsim.load_scenario``); differences are b − a.
    reps : int
        Days simulated for each plan (default 10).
    seed : int
        Base seed shared by both plans (default 1, as everywhere; it was 0 before).
    jobs : int
        Worker processes (default 1; 0: all cores). Results do not depend on it.
    progress : callable or bool, optional
        As for :func:`replicate`.
    weights : mapping of str to float, optional
        The scoring weights for the verdict: a challenge's ``exercise.scoring`` (default:
        waits, abandonment and detractors weighed as an exercise weighs them; staff hours
        and overtime free).
    hour_cost : float, optional
        What a staff hour weighs in the verdict's score (overtime pro rata).
    labels : tuple of str, optional
        The plans' names in the document (default: the scenarios' names, or their file
        names when the names are equal).

    Returns
    -------
    Comparison
        The paired comparison; ``.summary`` is the compare document.
    """
    check_scenario(a, "a")
    check_scenario(b, "b")
    check_hour_cost(hour_cost)
    return Comparison(replicate(a, reps=reps, seed=seed, jobs=jobs, progress=progress),
                      replicate(b, reps=reps, seed=seed, jobs=jobs, progress=progress),
                      weights=weights, labels=labels, hour_cost=hour_cost)
