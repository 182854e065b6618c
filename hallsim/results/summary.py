"""The summary document (contract section 5): mean and 95% t-interval half-width per metric."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .metrics import METRICS, STAFF_METRICS, nps


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


def coverage(warmup_minutes: float) -> dict:
    """Which part of the day each metric covers: customer statistics the arrivals after the
    warm-up, staff statistics the whole day (contract section 1)."""
    return {
        "customers": {"window": "arrivals at or after warmup_minutes after opening",
                      "warmup_minutes": float(warmup_minutes),
                      "metrics": [m for m in METRICS if m not in STAFF_METRICS]},
        "staff": {"window": "the whole day, opening to the last staff member leaving",
                  "metrics": list(STAFF_METRICS)},
    }


def summary_document(scenario: str, seed: int, runs: Sequence[dict[str, float]],
                     warmup_minutes: float = 0.0) -> dict:
    """Build the summary dict from each replication's metrics, in replication order.

    ``ci95`` is None (JSON null) with one replication: there is no interval.
    """
    def cell(name: str) -> dict[str, float | None]:
        mean, half = mean_ci95([run[name] for run in runs])
        return {"mean": mean, "ci95": half if len(runs) > 1 else None}

    metrics = {name: cell(name) for name in METRICS}
    # The mean NPS is the NPS of the mean shares exactly (averaging per-day scores would
    # differ in the last bits); its interval is that of the per-day scores.
    if "nps" in metrics:
        metrics["nps"]["mean"] = nps(float(metrics["promoter_rate"]["mean"] or 0.0),
                                     float(metrics["detractor_rate"]["mean"] or 0.0))
    doc: dict = {"scenario": scenario, "seed": seed, "replications": len(runs),
                 "metrics": metrics, "coverage": coverage(warmup_minutes)}
    for key in (runs[0] if runs else {}):
        prefix, _, rest = key.partition(".")
        if prefix in ("groups", "services"):   # groups.NAME.METRIC, services.NAME.METRIC
            name, _, metric = rest.rpartition(".")
            doc.setdefault(prefix, {}).setdefault(name, {})[metric] = cell(key)
        elif prefix == "booked":               # booked.METRIC
            doc.setdefault(prefix, {})[rest] = cell(key)
    return doc
