"""The target metric per interval over many simulated days, pooled per customer, and a verdict.

An interval's metric counts every counter customer of every day alike: the sum of the
numerators over the days divided by the sum of the denominators (``p90_wait_min``: the 90th
percentile of all the interval's waits). A mean of daily shares would weigh a quiet day's
few customers like a busy day's many. The uncertainty treats days as independent clusters
(customers of one day share its queue): the ratio estimator's linearised variance,
``D/(D-1) · Σ_d (y_d − R·n_d)² / (Σ_d n_d)²``.

Verdicts: ``met`` when the pooled value meets the target; ``missed`` when it does not and a
one-sided test at 95% says the true value misses; ``close`` when it misses, not
significantly. ``p90_wait_min`` is tested through the share of waits above the target value,
which is at most 10% exactly when the 90th percentile is within it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ..results.intervals import interval_edges
from ..scenario.schema import ScenarioModel
from .targets import Target, arrival_interval, counter_customers

VERDICTS = ("met", "close", "missed")
Z_TEST = float(stats.norm.ppf(0.95))      # one-sided 95%
Z_CI = float(stats.norm.ppf(0.975))       # the two-sided 95% interval shown beside it
P90 = 0.9


def customer_values(customers: pd.DataFrame, sc: ScenarioModel, target: Target) -> pd.DataFrame:
    """One row per counter customer: replication, interval, and ``x``, what the metric
    averages (``p90_wait_min``: the counter-queue wait)."""
    c = customers.loc[counter_customers(customers)]
    if "replication" not in c.columns:
        c = c.assign(replication=0)
    wait = c["wait_counter_min"].fillna(0.0).to_numpy()
    unserved = (c["outcome"] != "counter").to_numpy()
    turned = (c["outcome"] == "turned_away").to_numpy()
    metric = target.metric
    if metric == "wait_probability":
        x = ((wait > 0) | turned).astype(float)
    elif metric == "service_level":
        x = ((wait <= target.wait_limit(sc)) & ~unserved).astype(float)
    elif metric in ("mean_wait_min", "p90_wait_min"):
        x = wait
    elif metric == "abandon_rate":
        x = unserved.astype(float)
    else:
        x = c["detractor_p"].to_numpy(dtype=float)
    return pd.DataFrame({"replication": c["replication"].to_numpy(),
                         "interval": arrival_interval(sc, c["arrival_min"].to_numpy()),
                         "x": x})


def ratio(y: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Pooled ratio ``Σy/Σn`` over days and its standard error (days as clusters; NaN with
    fewer than two days or no customers)."""
    total = float(n.sum())
    if total <= 0:
        return math.nan, math.nan
    r = float(y.sum()) / total
    days = len(n)
    if days < 2:
        return r, math.nan
    resid = y - r * n
    return r, math.sqrt(days / (days - 1) * float((resid ** 2).sum())) / total


def verdict(target: Target, value: float, se: float, tested: float | None = None,
            bound: float | None = None) -> str:
    """``met`` / ``missed`` / ``close`` for a pooled ``value`` with standard error ``se``.

    ``tested`` and ``bound`` (the p90 case): the statistic tested against its own bound
    (the share of waits above the target value, against 10%) instead of value vs target.
    """
    if math.isnan(value) or target.met(value):
        return "met"
    stat = value if tested is None else tested
    limit = target.value if bound is None else bound
    excess = (limit - stat) if (target.at_least and tested is None) else (stat - limit)
    if math.isnan(se):
        return "close"
    return "missed" if excess > Z_TEST * se else "close"


def pooled(customers: pd.DataFrame, sc: ScenarioModel, target: Target,
           days: list[int]) -> pd.DataFrame:
    """Per interval: pooled ``mean`` (the metric), ``ci95`` (half-width), ``customers``,
    ``days`` and ``verdict``, over the simulated ``days`` (replication numbers)."""
    n_intervals = len(interval_edges(sc)) - 1
    values = customer_values(customers, sc, target)
    day_index = {d: i for i, d in enumerate(days)}
    rows = []
    for k in range(n_intervals):
        mine = values.loc[values["interval"] == k]
        which = mine["replication"].map(day_index).to_numpy(dtype=int)
        x = mine["x"].to_numpy(dtype=float)
        n = np.bincount(which, minlength=len(days)).astype(float)
        if target.metric == "p90_wait_min":
            mean, ci, verdict_ = _p90(target, x, which, n)
        else:
            y = np.bincount(which, weights=x, minlength=len(days))
            mean, se = ratio(y, n)
            ci = Z_CI * se
            verdict_ = verdict(target, mean, se)
        rows.append({"interval": k, "mean": mean, "ci95": ci, "customers": int(n.sum()),
                     "days": len(days), "verdict": verdict_})
    return pd.DataFrame(rows)


def _p90(target: Target, x: np.ndarray, which: np.ndarray,
         n: np.ndarray) -> tuple[float, float, str]:
    if len(x) == 0:
        return math.nan, math.nan, "met"
    value = float(np.quantile(x, P90))
    above = np.bincount(which, weights=(x > target.value).astype(float), minlength=len(n))
    share, se = ratio(above, n)
    # The interval (Woodruff): the quantiles at 0.9 ± 1.96 se of the share below the estimate.
    _below, se_q = ratio(np.bincount(which, weights=(x <= value).astype(float),
                                     minlength=len(n)), n)
    if math.isnan(se_q):
        ci = math.nan
    else:
        lo, hi = np.quantile(x, [max(P90 - Z_CI * se_q, 0.0), min(P90 + Z_CI * se_q, 1.0)])
        ci = float(hi - lo) / 2
    return value, ci, verdict(target, value, se, tested=share, bound=1.0 - P90)
