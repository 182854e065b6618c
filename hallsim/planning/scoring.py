"""The weighted score of a plan's metrics (lower is better), shared by the exercise's
leaderboard and ``compare``'s verdict."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, Field

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
    overtime_min: Annotated[float, Field(ge=0)] = doc(
        "per minute of overtime (also written `overtime`)", None, default=0.0,
        validation_alias=AliasChoices("overtime_min", "overtime"))


# What a minute of overtime weighs in an exercise unless the challenge says otherwise: an
# hour of it counts like 1.2 minutes more mean wait for every customer of the day. Overtime
# is paid time beyond the budget (staff finishing customers past their shift's end), so a
# plan that buys its waits with it must pay for them in the score.
OVERTIME_PRICE = 0.02


class ExerciseWeights(Weights):
    """Score = Σ weight × metric; lower is better. Rates count in percentage points; overtime
    is priced unless its weight is set to 0."""

    overtime_min: Annotated[float, Field(ge=0)] = doc(
        f"per minute of overtime (also written `overtime`); default {OVERTIME_PRICE:g}: an "
        "hour of overtime weighs as much as 1.2 minutes more mean wait for every customer",
        None, default=OVERTIME_PRICE, validation_alias=AliasChoices("overtime_min", "overtime"))


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
