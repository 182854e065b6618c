"""Run until a precision: how many replications give the 95% CI half-widths asked for.

``replicate(..., until={"mean_wait_min": 0.1})`` runs a first batch, then grows the number
of replications from the half-widths seen so far (the half-width shrinks about as
1/sqrt(n), so n·(h/target)² replications are expected to reach the target), at most
doubling each round so one lucky early variance does not send it to the cap, and never
past ``max_reps``. The days run are replications 0..n-1 of the seed whatever n turns
out to be, so day k is the same day as in any other run of that seed.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..results.metrics import METRICS
from ..results.summary import mean_ci95
from .arguments import whole

DEFAULT_MAX_REPS = 1000


def check_until(until: Any, max_reps: Any, reps: int) -> tuple[dict[str, float], int]:
    """``({metric: half-width}, cap)``; ``({}, reps)`` without ``until``. Names each mistake."""
    if until is None:
        if max_reps is not None:
            raise ValueError("'max_reps' only applies with 'until' (a precision to reach); "
                             "without it, 'reps' replications are run")
        return {}, reps
    if not isinstance(until, Mapping) or not until:
        raise TypeError("'until' must be a mapping {metric: half-width}, e.g. "
                        f"{{'mean_wait_min': 0.1}}, got {until!r}")
    targets: dict[str, float] = {}
    for metric, half in until.items():
        if metric not in METRICS:
            close = difflib.get_close_matches(str(metric), METRICS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ValueError(f"'until': unknown metric {metric!r}{hint}; metrics: {', '.join(METRICS)}")
        if isinstance(half, bool) or not isinstance(half, (int, float)) or not (
                math.isfinite(half) and half > 0):
            raise ValueError(f"'until': the half-width for {metric!r} must be a number > 0, "
                             f"got {half!r}")
        targets[metric] = float(half)
    if reps < 2:
        raise ValueError(f"'reps' is the first batch with 'until' and must be >= 2 (an interval "
                         f"needs two days), got {reps}")
    cap = DEFAULT_MAX_REPS if max_reps is None else whole(max_reps, "max_reps", reps)
    return targets, cap


def precision_met(metrics: Mapping[str, Mapping[str, Any]], targets: Mapping[str, float]) -> bool:
    """Whether every target metric's ``ci95`` in a summary's ``metrics`` is within its target."""
    return all(metrics[m]["ci95"] is not None and metrics[m]["ci95"] <= half
               for m, half in targets.items())


def next_size(runs: Sequence[Mapping[str, float]], targets: Mapping[str, float], cap: int) -> int:
    """How many replications to have after this round: ``len(runs)`` when every target is
    met (or the cap is reached), else more, at most double and at most ``cap``."""
    n = len(runs)
    needed = n
    for metric, target in targets.items():
        _mean, half = mean_ci95([run[metric] for run in runs])
        if half > target:
            needed = max(needed, n + 1, math.ceil(n * (half / target) ** 2))
    return min(cap, needed, 2 * n)
