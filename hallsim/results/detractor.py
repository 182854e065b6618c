"""Waiting → probability of becoming an NPS detractor (score 0-6) or promoter (9-10).
Pure functions.

The curves are assumptions to calibrate with the hall's own survey data; see
``schema.Detractor`` and ``schema.Promoter`` for the defaults and where they come from.
Only waiting (让我等) is modelled: the other detractor points of the course are not.
"""

from __future__ import annotations

import numpy as np

from ..scenario.curve import curve
from ..scenario.schema import Detractor

__all__ = ["curve", "felt_wait", "probability", "promoter_probability"]


def felt_wait(wait: np.ndarray, occupied: np.ndarray, d: Detractor) -> np.ndarray:
    """Waiting as the customer feels it: time being pre-processed counts ``occupied_weight``."""
    return wait - (1.0 - d.occupied_weight) * occupied


def probability(wait: np.ndarray, occupied: np.ndarray, abandoned: np.ndarray,
                d: Detractor) -> np.ndarray:
    """Each customer's detractor probability; abandoned customers get ``d.abandoned``."""
    return np.where(abandoned, d.abandoned, curve(felt_wait(wait, occupied, d), d))


def promoter_probability(wait: np.ndarray, occupied: np.ndarray, abandoned: np.ndarray,
                         d: Detractor) -> np.ndarray:
    """Each customer's promoter probability, on the same felt wait as the detractor curve;
    abandoned customers get ``d.promoter.abandoned``. Never more than 1 − the detractor
    probability: the default promoter curve gives way under a hall's own detractor curve."""
    p = np.where(abandoned, d.promoter.abandoned, curve(felt_wait(wait, occupied, d), d.promoter))
    return np.minimum(p, 1.0 - probability(wait, occupied, abandoned, d))
