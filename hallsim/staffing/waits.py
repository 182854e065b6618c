"""A counter customer's wait, given how many were in the counter stage when they arrived.

Both requirements use this one formula. An arriving counter customer finds ``n`` customers in
the counter stage (queueing or being served) with probability ``pi[n]``; with ``s`` staff, one
who finds ``n >= s`` has ``j = n - s`` customers ahead in the queue. Each step forward comes
at rate ``s·mu + i·theta`` while ``i`` are ahead (a service ends, or someone ahead gives up),
and the customer's own patience runs out at rate ``theta``: the exponential-phase picture of
M/M/s+M. With ``pi`` the stationary M/M/s+M distribution (Erlang A, or C when ``theta = 0``)
this gives exactly the Erlang formulas (SIPP); with ``pi`` read from a simulated day it gives
the infinite-server approximation's staffing step (ISA).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import integrate, linalg, sparse
from scipy.sparse.linalg import expm_multiply

from ..results.detractor import curve
from ..scenario.schema import Detractor

_GRID = 400


def evaluate(metric: str, pi: np.ndarray, s: int, mu: float, theta: float,
             target_wait: float, detractor: Detractor,
             patience: Callable[[np.ndarray], np.ndarray] | None = None) -> float:
    """The metric (names as in ``targets.METRICS``) for arrivals seeing ``pi`` with ``s`` staff.

    ``mu``: service rate per staff member per minute; ``theta``: abandonment rate per minute
    of the customers ahead, and of the arriving customer too unless ``patience`` (the
    survival function of their own patience, ``P(patience > x)``) is given.
    """
    pi = np.asarray(pi, dtype=float)
    total = pi.sum()
    if total <= 0:
        raise ValueError("'pi' must have positive mass")
    pi = pi / total
    ahead = pi[s:]                       # weight of j = n - s customers ahead in the queue
    p_wait = float(ahead.sum())
    if metric == "wait_probability":
        return p_wait
    no_wait = 1.0 - p_wait
    if p_wait <= 1e-15:
        return {"service_level": 1.0, "mean_wait_min": 0.0, "p90_wait_min": 0.0,
                "abandon_rate": 0.0, "detractor_rate": float(curve(0.0, detractor))}[metric]
    rates = s * mu + np.arange(len(ahead)) * theta          # steps forward with i ahead
    if patience is not None:
        return _own_patience(metric, ahead, rates, patience, target_wait, detractor)
    advance = rates / (rates + theta)                      # a step forward beats own patience
    if metric == "abandon_rate":
        return float((ahead * (1.0 - np.cumprod(advance))).sum())
    if metric == "mean_wait_min":
        expected = np.empty(len(ahead))
        previous = 0.0
        for j, (r, g) in enumerate(zip(rates, advance, strict=True)):
            previous = 1.0 / (r + theta) + g * previous       # E_j = 1/(r_j+θ) + g_j E_{j-1}
            expected[j] = previous
        return float((ahead * expected).sum())
    generator = _generator(rates, theta)
    if metric == "service_level":
        if target_wait <= 0:
            return no_wait
        state = _propagate(generator, ahead, target_wait)
        return no_wait + float(state[-1])
    horizon = _horizon(rates, theta)
    times, states = _grid(generator, ahead, horizon)
    waiting = states[:, :-1].sum(axis=1)                    # P(W > x), for x > 0
    if metric == "p90_wait_min":
        while waiting[-1] > 0.1:
            horizon *= 2
            times, states = _grid(generator, ahead, horizon)
            waiting = states[:, :-1].sum(axis=1)
        if p_wait <= 0.1:
            return 0.0
        k = int(np.argmax(waiting <= 0.1))
        x0, x1, y0, y1 = times[k - 1], times[k], waiting[k - 1], waiting[k]
        return float(x0 + (y0 - 0.1) / (y0 - y1) * (x1 - x0)) if y0 > y1 else float(x1)
    # detractor_rate: served customers by the wait they had, abandoned ones by their own rate
    served = states[:, -1]
    served_mass = np.diff(served)
    mid = (times[1:] + times[:-1]) / 2
    p_served = float((served_mass * curve(mid, detractor)).sum())
    abandoned = float((ahead * (1.0 - np.cumprod(advance))).sum())
    later = max(p_wait - abandoned - float(served[-1]), 0.0)   # served after the horizon
    p_served += later * float(curve(times[-1], detractor))
    return (no_wait * float(curve(0.0, detractor)) + p_served
            + abandoned * detractor.abandoned)


def _own_patience(metric: str, ahead: np.ndarray, rates: np.ndarray,
                  patience: Callable[[np.ndarray], np.ndarray], target_wait: float,
                  detractor: Detractor) -> float:
    """As ``evaluate``, with the customer's own patience from its real distribution: the wait
    is min(H, P), H the time until called (a chain without the customer's own abandonment)."""
    p_wait = float(ahead.sum())
    no_wait = 1.0 - p_wait
    generator = _generator(rates, 0.0)
    if metric == "service_level":
        if target_wait <= 0:
            return no_wait
        times, states = _grid(generator, ahead, target_wait)
        called = states[:, -1]
        keep = patience((times[1:] + times[:-1]) / 2)
        return no_wait + float((np.diff(called) * keep).sum())
    horizon = _horizon(rates, 0.0)
    while True:
        times, states = _grid(generator, ahead, horizon)
        called = states[:, -1]
        keep = patience(times)
        still = (p_wait - called) * keep                    # P(W > x): not called, not gone
        if still[-1] <= 1e-4 or horizon > 1e5:
            break
        horizon *= 2
    if metric == "mean_wait_min":
        return float(integrate.trapezoid(still, times))
    if metric == "p90_wait_min":
        if p_wait <= 0.1:
            return 0.0
        k = int(np.argmax(still <= 0.1))
        x0, x1, y0, y1 = times[k - 1], times[k], still[k - 1], still[k]
        return float(x0 + (y0 - 0.1) / (y0 - y1) * (x1 - x0)) if y0 > y1 else float(x1)
    mid = (times[1:] + times[:-1]) / 2
    served_at = np.diff(called) * patience(mid)
    served = float(served_at.sum()) + float(still[-1])
    abandoned = max(p_wait - served, 0.0)
    if metric == "abandon_rate":
        return abandoned
    return (no_wait * float(curve(0.0, detractor)) + float((served_at * curve(mid, detractor)).sum())
            + float(still[-1]) * float(curve(times[-1], detractor)) + abandoned * detractor.abandoned)


def patience_survival(dist: object, draws: int = 20_000) -> Callable[[np.ndarray], np.ndarray]:
    """``P(patience > x)`` for any scenario distribution, from a fixed-seed sample (so the
    same scenario always gives the same staffing)."""
    sample = np.sort(dist.sample(np.random.default_rng(0), draws))  # type: ignore[attr-defined]

    def survival(x: np.ndarray) -> np.ndarray:
        return 1.0 - np.searchsorted(sample, np.asarray(x, dtype=float), side="right") / draws

    return survival


def _generator(rates: np.ndarray, theta: float) -> sparse.csr_matrix:
    """Forward generator on stages 0..J (customers ahead) plus an absorbing 'served' state.

    Abandonment leaves the system (probability mass simply disappears), which is why the
    rows need not sum to zero.
    """
    m = len(rates)
    diag = np.append(-(rates + theta), 0.0)
    rows = np.concatenate((np.arange(m + 1), np.arange(1, m), [0]))
    cols = np.concatenate((np.arange(m + 1), np.arange(0, m - 1), [m]))
    vals = np.concatenate((diag, rates[1:], [rates[0]]))
    # Transposed: we propagate the distribution (a row vector) as a column.
    return sparse.csr_matrix((vals, (cols, rows)), shape=(m + 1, m + 1))


def _start(ahead: np.ndarray) -> np.ndarray:
    return np.append(ahead, 0.0)


def _propagate(generator: sparse.csr_matrix, ahead: np.ndarray, t: float) -> np.ndarray:
    return expm_multiply(generator * t, _start(ahead))


def _grid(generator: sparse.csr_matrix, ahead: np.ndarray,
          horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """States at ``_GRID`` evenly spaced times: one matrix exponential for the step, then
    repeated products (much faster than a fresh exponential per time for these sizes)."""
    times = np.linspace(0.0, horizon, _GRID)
    step = linalg.expm(generator.toarray() * (times[1] - times[0]))
    states = np.empty((_GRID, generator.shape[0]))
    states[0] = _start(ahead)
    for k in range(1, _GRID):
        states[k] = step @ states[k - 1]
    return times, np.clip(states, 0.0, None)


def _horizon(rates: np.ndarray, theta: float) -> float:
    """A time by which nearly every waiting customer has been served or given up."""
    mean = float((1.0 / rates).sum())
    spread = math.sqrt(float((1.0 / rates**2).sum()))
    horizon = mean + 8.0 * spread
    if theta > 0:
        horizon = min(horizon, 25.0 / theta)
    return max(horizon, 1.0)
