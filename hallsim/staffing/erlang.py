"""Stationary M/M/s (Erlang C) and M/M/s+M (Erlang A): the formulas behind SIPP staffing.

SIPP ("stationary independent period by period") treats every interval as if it had been in
steady state with that interval's arrival rate forever, and staffs it by these formulas.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ..scenario.schema import Detractor
from . import waits

_TAIL = 1e-13
_MAX_STATES = 200_000


def erlang_b(s: int, a: float) -> float:
    """Erlang's loss formula B(s, a) by its stable recursion."""
    b = 1.0
    for k in range(1, s + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(s: int, a: float) -> float:
    """P(wait) in M/M/s with offered load ``a`` = lambda/mu; 1 when ``a >= s`` (unstable)."""
    if s <= 0 or a >= s:
        return 1.0
    if a <= 0:
        return 0.0
    b = erlang_b(s, a)
    return s * b / (s - a * (1.0 - b))


def stationary(lam: float, mu: float, s: int, theta: float) -> np.ndarray | None:
    """Stationary distribution of the number in an M/M/s+M system (``theta = 0``: M/M/s).

    By PASTA it is also what arrivals find. ``None`` when there is no steady state
    (``theta = 0`` and ``lam >= s·mu``).
    """
    if lam <= 0:
        return np.array([1.0])
    if theta <= 0 and lam >= s * mu:
        return None
    # Length: with abandonment the tail dies beyond the fluid point; without, geometrically.
    if theta > 0:
        extra = max(lam - s * mu, 0.0) / theta + 12.0 * math.sqrt(lam / theta) + 50
    else:
        rho = lam / (s * mu)
        extra = math.log(_TAIL) / math.log(rho) + 50
    size = int(min(s + extra, _MAX_STATES))
    n = np.arange(1, size)
    death = np.minimum(n, s) * mu + np.maximum(n - s, 0) * theta
    log_w = np.concatenate(([0.0], np.cumsum(math.log(lam) - np.log(death))))
    w = np.exp(log_w - special.logsumexp(log_w))
    keep = np.nonzero(w > _TAIL * w.max())[0]
    return w[: keep[-1] + 1] / w[: keep[-1] + 1].sum()


def metric(name: str, lam: float, mu: float, s: int, theta: float, target_wait: float,
           detractor: Detractor) -> float:
    """The stationary value of a target metric with ``s`` staff (inf when unstable)."""
    pi = stationary(lam, mu, s, theta)
    if pi is None:
        return -math.inf if name == "service_level" else math.inf
    if len(pi) <= s:
        pi = np.append(pi, np.zeros(s + 1 - len(pi)))
    return waits.evaluate(name, pi, s, mu, theta, target_wait, detractor)
