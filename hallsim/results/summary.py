"""The summary document (contract section 5): mean and 95% t-interval half-width per metric."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .metrics import METRICS


def mean_ci95(values: Sequence[float]) -> tuple[float, float]:
    """Mean and the half-width of its 95% Student-t confidence interval (0 for one value)."""
    x = np.asarray(values, dtype=float)
    mean = float(x.mean()) if len(x) else 0.0
    if len(x) < 2:
        return mean, 0.0
    from scipy import stats  # imported here: only intervals need it, and it is large

    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.975, len(x) - 1)) * sd / math.sqrt(len(x))
    return mean, half


def summary_document(scenario: str, seed: int, runs: Sequence[dict[str, float]]) -> dict:
    """Build the summary dict from each replication's metrics, in replication order."""
    metrics = {}
    for name in METRICS:
        mean, half = mean_ci95([run[name] for run in runs])
        metrics[name] = {"mean": mean, "ci95": half}
    return {"scenario": scenario, "seed": seed, "replications": len(runs), "metrics": metrics}
