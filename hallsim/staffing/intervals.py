"""The advice's day in intervals, as a table and as advice.json rows: one shape for the
whole hall and for each counter group."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..results.intervals import interval_edges
from ..scenario.clock import format_clock
from ..scenario.schema import ScenarioModel
from .milp import Cover
from .targets import Target
from .verify import combined


def interval_frame(sc: ScenarioModel, requirement: pd.DataFrame, cover: Cover,
                   by_target: list[pd.DataFrame], targets: list[Target]) -> pd.DataFrame:
    """The requirement frame with the staff scheduled, what is left uncovered, and the first
    target's verified mean, 95% half-width and the verdict over every target (with several
    targets also ``<metric>_mean``, ``_ci95``, ``_verdict``)."""
    frame = requirement.copy()
    edges = interval_edges(sc)
    frame.insert(2, "end", [format_clock(sc.hours.open + t) for t in edges[1:]])
    frame["scheduled"] = cover.scheduled
    frame["uncovered"] = cover.shortfall
    first = by_target[0]
    frame["verified_mean"] = first["mean"].to_numpy()
    frame["verified_ci95"] = first["ci95"].to_numpy()
    frame["verdict"] = combined([f["verdict"].to_numpy(dtype=object) for f in by_target])
    frame["meets"] = frame["verdict"] == "met"
    if len(targets) > 1:
        for target, own in zip(targets, by_target, strict=True):
            for column in ("mean", "ci95", "verdict"):
                frame[f"{target.metric}_{column}"] = own[column].to_numpy()
    return frame


def interval_rows(frame: pd.DataFrame, targets: list[Target],
                  by_target: list[pd.DataFrame]) -> list[dict]:
    """advice.json's ``intervals`` from an ``interval_frame``."""
    rows = []
    for row in frame.itertuples(index=False):
        rows.append({
            "start": row.start, "end": row.end,
            "arrivals_per_hour": num(row.arrivals_per_hour, 1),
            "required_isa": int(row.required_isa), "required_sipp": int(row.required_sipp),
            "scheduled": num(row.scheduled, 2),
            "verified": {"mean": num(row.verified_mean, 4), "ci95": num(row.verified_ci95, 4)},
            "meets": bool(row.meets), "verdict": str(row.verdict),
            "offered_load": num(row.offered_load, 2),
            "uncovered": num(row.uncovered, 2),
        })
    if len(targets) > 1:
        for k, row in enumerate(rows):
            row["targets"] = [{"metric": t.metric, "mean": num(own.loc[k, "mean"], 4),
                               "ci95": num(own.loc[k, "ci95"], 4),
                               "verdict": str(own.loc[k, "verdict"])}
                              for t, own in zip(targets, by_target, strict=True)]
    return rows


def verdict_counts(verdicts: np.ndarray) -> dict[str, int]:
    """``{"met": n, "close": n, "missed": n}``."""
    from .pooled import VERDICTS

    found = list(verdicts)
    return {v: found.count(v) for v in VERDICTS}


def num(value: float, digits: int) -> float | int | None:
    """A number for strict JSON: rounded, whole numbers as int, NaN as null."""
    if value is None or not math.isfinite(float(value)):
        return None
    rounded = round(float(value), digits)
    return int(rounded) if rounded.is_integer() and digits <= 2 else rounded
