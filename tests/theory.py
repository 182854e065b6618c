"""Queueing theory for the tests: M/M/c (Erlang C) and M/M/c+M (Erlang A), solved exactly."""

from __future__ import annotations

import numpy as np


def mmc_abandonment(lam: float, mu: float, servers: int, theta: float = 0.0,
                    states: int = 2000) -> dict[str, float]:
    """Stationary M/M/c+M by its birth-death chain (theta = 0 gives Erlang C).

    Returns P(wait > 0) (PASTA), the mean wait over all arrivals (waits of those who
    abandon counted up to abandonment; Little's law: Lq / lambda) and P(abandon)
    = theta * Lq / lambda.
    """
    weights = [1.0]
    for n in range(1, states):
        death = min(n, servers) * mu + max(n - servers, 0) * theta
        weights.append(weights[-1] * lam / death)
        if weights[-1] < 1e-300:
            break
    p = np.asarray(weights)
    p /= p.sum()
    n = np.arange(len(p))
    lq = float((np.clip(n - servers, 0, None) * p).sum())
    return {"p_wait": float(p[servers:].sum()), "mean_wait": lq / lam,
            "p_abandon": theta * lq / lam}
