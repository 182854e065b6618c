"""Percentiles as ``numpy.percentile`` computes them by default (``method="linear"``), to
the last bit, for small arrays. numpy's general machinery costs about 25 µs a call, and a
day with counter groups asks for one per group and per service; this does the same
arithmetic (order statistics by ``numpy.partition``, numpy's interpolation) in a few."""

from __future__ import annotations

import math

import numpy as np


def percentile(values: np.ndarray, q: float) -> float:
    """The ``q``-th percentile of ``values`` (not empty, no NaN), exactly as
    ``float(np.percentile(values, q))``."""
    n = len(values)
    at = (n - 1) * (q / 100)
    below = math.floor(at)
    above = min(below + 1, n - 1)
    part = np.partition(values, (below, above))
    a, b = float(part[below]), float(part[above])
    t = at - below
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t
