"""Time-weighted averages of step series (queue lengths, staff on duty) over intervals."""

from __future__ import annotations

import numpy as np


def integrate(times: np.ndarray, values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Integral of a step function over each ``[edges[k], edges[k+1])``.

    The function is 0 before ``times[0]`` and takes ``values[j]`` from ``times[j]``
    on; of several changes at one instant the last one holds.
    """
    if len(times) == 0:
        return np.zeros(len(edges) - 1)
    t = np.concatenate(([min(times[0], edges[0])], times))
    v = np.concatenate(([0.0], values))
    area = np.concatenate(([0.0], np.cumsum(v[:-1] * np.diff(t))))
    j = np.searchsorted(t, edges, side="right") - 1
    j = np.clip(j, 0, None)
    at_edges = area[j] + v[j] * (edges - t[j])
    return np.diff(at_edges)

