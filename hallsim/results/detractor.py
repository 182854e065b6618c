"""Waiting → probability of becoming an NPS detractor (score 0-6). Pure functions.

The curve is an assumption to calibrate with the hall's own survey data; see
``schema.Detractor`` for the defaults and where they come from.
"""

from __future__ import annotations

import numpy as np

from ..scenario.schema import Detractor


def curve(minutes: np.ndarray | float, d: Detractor) -> np.ndarray:
    """p(w) for a felt wait of ``minutes`` (logistic, or linear between table points)."""
    w = np.asarray(minutes, dtype=float)
    if d.curve == "table":
        assert d.points is not None
        xs, ps = zip(*d.points, strict=True)
        return np.interp(w, xs, ps)  # flat beyond the first and last points
    return d.base + (d.max - d.base) / (1.0 + np.exp(-(w - d.midpoint_minutes) / d.scale_minutes))


def felt_wait(wait: np.ndarray, occupied: np.ndarray, d: Detractor) -> np.ndarray:
    """Waiting as the customer feels it: time being pre-processed counts ``occupied_weight``."""
    return wait - (1.0 - d.occupied_weight) * occupied


def probability(wait: np.ndarray, occupied: np.ndarray, abandoned: np.ndarray,
                d: Detractor) -> np.ndarray:
    """Each customer's detractor probability; abandoned customers get ``d.abandoned``."""
    return np.where(abandoned, d.abandoned, curve(felt_wait(wait, occupied, d), d))
