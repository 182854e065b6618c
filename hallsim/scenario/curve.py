"""The survey curves' shape (waiting → probability), as the scenario defines them.

Used by the results (each customer's detractor and promoter probability) and by the
scenario's own checks (the two probabilities may not add up to more than 1).
"""

from __future__ import annotations

import numpy as np

from .schema import Detractor, Promoter


def curve(minutes: np.ndarray | float, d: Detractor | Promoter) -> np.ndarray:
    """p(w) for a felt wait of ``minutes`` (logistic, or linear between table points)."""
    w = np.asarray(minutes, dtype=float)
    if d.curve == "table":
        assert d.points is not None
        xs, ps = zip(*d.points, strict=True)
        return np.interp(w, xs, ps)  # flat beyond the first and last points
    return d.base + (d.max - d.base) / (1.0 + np.exp(-(w - d.midpoint_minutes) / d.scale_minutes))


def overlap(d: Detractor) -> tuple[float, float]:
    """The largest detractor + promoter probability over waits, and the wait where it is
    (0 to 8 hours, every table point included)."""
    grid = np.linspace(0.0, 480.0, 4801)
    for c in (d, d.promoter):
        if c.points:
            grid = np.union1d(grid, [m for m, _p in c.points])
    total = curve(grid, d) + curve(grid, d.promoter)
    at = int(np.argmax(total))
    return float(total[at]), float(grid[at])
