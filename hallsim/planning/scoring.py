"""The weighted score of a plan's metrics (lower is better), shared by the exercise's
leaderboard and ``compare``'s verdict."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from ..scenario.schema import _Strict
from .rules import doc


class Weights(_Strict):
    """Score = Σ weight × metric; lower is better. Rates count in percentage points."""

    mean_wait_min: Annotated[float, Field(ge=0)] = doc("per minute of mean wait", None,
                                                       default=1.0)
    p90_wait_min: Annotated[float, Field(ge=0)] = doc("per minute of p90 wait", None,
                                                      default=0.5)
    abandon_rate: Annotated[float, Field(ge=0)] = doc("per percentage point abandoning", None,
                                                      default=1.0)
    detractor_rate: Annotated[float, Field(ge=0)] = doc("per percentage point of detractors",
                                                        None, default=1.0)
    staff_hours: Annotated[float, Field(ge=0)] = doc("per staff hour used", None, default=0.0)
    overtime_min: Annotated[float, Field(ge=0)] = doc("per minute of overtime", None,
                                                      default=0.0)


def score(means: Any, weights: Weights) -> Any:
    """Weighted penalty of a plan's metrics; lower is better. Rates in percentage points.

    Linear in the metrics, so it works on one day's metrics, their means, or columns of
    a runs table alike (the mean of daily scores is the score of the mean metrics).
    """
    return (weights.mean_wait_min * means["mean_wait_min"]
            + weights.p90_wait_min * means["p90_wait_min"]
            + weights.abandon_rate * 100 * means["abandon_rate"]
            + weights.detractor_rate * 100 * means["detractor_rate"]
            + weights.staff_hours * means["staff_hours"]
            + weights.overtime_min * means["overtime_min"])
