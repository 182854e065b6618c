"""The shape of result tables: counts as integers (a count of customers is never 2.0)."""

from __future__ import annotations

import pandas as pd

from ..results.metrics import COUNT_METRICS


def integer_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its count metrics (``customers``, ``abandoned``, ...) as int64."""
    counts = [c for c in COUNT_METRICS if c in frame.columns]
    if counts and len(frame):
        frame[counts] = frame[counts].round().astype("int64")
    return frame
