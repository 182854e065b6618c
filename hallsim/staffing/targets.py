"""Service targets the advisor holds in every interval, and how a simulated day measures them.

The advisor staffs the counters, so a target is measured where counter staffing acts: over
the customers who take a counter ticket (those served at a counter, those who give up in the
counter queue, and any turned away for want of counter staff), grouped by the interval of
their arrival at the hall. Waits are their counter-queue waits; ``detractor_rate`` is the mean
of their whole-visit detractor probabilities (contract section 1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ScenarioError, quote
from ..i18n import N_, _, translate
from ..results.intervals import interval_edges
from ..scenario.schema import ScenarioModel

# metric -> (True if the value is a lower bound, what the metric means)
METRICS: dict[str, tuple[bool, str]] = {
    "wait_probability": (False, N_("share of counter customers who wait at all, at most")),
    "service_level": (True, N_("share of counter customers served within the target wait, at least")),
    "mean_wait_min": (False, N_("mean counter-queue wait in minutes, at most")),
    "p90_wait_min": (False, N_("90th percentile of the counter-queue wait in minutes, at most")),
    "abandon_rate": (False, N_("share of counter customers who give up, at most")),
    "detractor_rate": (False, N_("mean detractor probability of counter customers, at most")),
}


_WITHIN = re.compile(r"^\s*(?P<number>[-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*(?P<unit>s|sec|m|min)\s*$")


@dataclass(frozen=True)
class Target:
    metric: str
    value: float
    within: float | None = None      # service_level: the wait counted as served in time, min

    def wait_limit(self, sc: ScenarioModel) -> float:
        """The wait that counts as served in time: the target's own, else the scenario's
        ``detractor.target_wait_minutes``."""
        return self.within if self.within is not None else sc.detractor.target_wait_minutes

    @property
    def at_least(self) -> bool:
        """True for ``service_level`` (higher is better), False for the others."""
        return METRICS[self.metric][0]

    def met(self, value: float) -> bool:
        """Whether a value meets the target (exactly, no allowance for noise)."""
        return value >= self.value if self.at_least else value <= self.value

    def label(self) -> str:
        """``service_level >= 0.8 @20s``: the metric, the bound, and its own wait if any."""
        text = f"{self.metric} {'>=' if self.at_least else '<='} {self.value:g}"
        if self.within is None:
            return text
        seconds = round(self.within * 60, 6)
        when = f"{seconds / 60:g}m" if seconds >= 60 and seconds % 60 == 0 else f"{seconds:g}s"
        return f"{text} @{when}"

    def words(self) -> str:
        """The target for people: what it measures and its bound, in the current language."""
        text = _("{meaning} {value:g}").format(meaning=translate(METRICS[self.metric][1]),
                                               value=self.value)
        if self.within is None:
            return text
        return text + _(" (in time: within {wait:g} min)").format(wait=self.within)

    def document(self) -> dict:
        out: dict = {"metric": self.metric, "value": self.value}
        if self.within is not None:
            out["within_min"] = round(self.within, 6)
        return out


def parse_targets(targets: object, sc: ScenarioModel) -> list[Target]:
    """One or several targets, all held: a Target, ``"METRIC=VALUE"``, a mapping of one or
    more metrics (``{"wait_probability": 0.2, "mean_wait_min": 3}``), or a list of these.
    A metric given twice is refused (which value would hold?)."""
    if isinstance(targets, (list, tuple)):
        if not targets:
            raise ScenarioError(_("target: expected at least one metric and its value, e.g. "
                                  "wait_probability=0.2; metrics: {metrics}").format(
                metrics=", ".join(METRICS)))
        found = [t for item in targets for t in parse_targets(item, sc)]
    elif isinstance(targets, Mapping) and len(targets) > 1:
        found = [parse_target({metric: value}, sc) for metric, value in targets.items()]
    else:
        found = [parse_target(targets, sc)]  # type: ignore[arg-type]
    seen: set[str] = set()
    for target in found:
        if target.metric in seen:
            raise ScenarioError(_("target.{metric}: given more than once; give each metric one "
                                  "value").format(metric=target.metric))
        seen.add(target.metric)
    return found


def parse_target(target: Mapping[str, object] | str | Target, sc: ScenarioModel) -> Target:
    """``{"wait_probability": 0.2}``, ``"wait_probability=0.2"`` or ``"service_level=0.8@20s"``
    (``{"service_level": "0.8@10m"}``) → a checked Target.

    Errors are ScenarioErrors naming the field (``target.<metric>``) and what is allowed.
    """
    raw: object
    if isinstance(target, Target):
        metric, raw = target.metric, target.value
    elif isinstance(target, str):
        metric, sep, raw_text = target.partition("=")
        metric = metric.strip()
        if not sep or not metric:
            raise ScenarioError(_("--target {text}: expected METRIC=VALUE, e.g. "
                                  "wait_probability=0.2; metrics: {metrics}").format(
                text=quote(target), metrics=", ".join(METRICS)))
        raw = raw_text.strip()
    else:
        if not isinstance(target, Mapping) or len(target) != 1:
            raise ScenarioError(_("target: expected one metric and its value, e.g. "
                                  "{{'wait_probability': 0.2}}; metrics: {metrics}").format(
                metrics=", ".join(METRICS)))
        ((metric, raw),) = target.items()
    if metric not in METRICS:
        import difflib

        near = difflib.get_close_matches(str(metric), METRICS, n=1)
        hint = _(" (did you mean {name}?)").format(name=near[0]) if near else ""
        raise ScenarioError(_("target.{metric}: unknown metric{hint}; expected one of "
                              "{metrics}").format(metric=metric, hint=hint,
                                                  metrics=", ".join(METRICS)))
    within = target.within if isinstance(target, Target) else None
    if isinstance(raw, str) and "@" in raw:
        raw, _at, when = raw.partition("@")
        within = _parse_within(str(metric), when)
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ScenarioError(_("target.{metric}: expected a number, got {value}").format(
            metric=metric, value=quote(str(raw)))) from None
    if not math.isfinite(value):
        raise ScenarioError(_("target.{metric}: expected a finite number, got {value}").format(
            metric=metric, value=raw))
    _check_range(metric, value, sc)
    return Target(metric, value, within)


def _parse_within(metric: str, text: str) -> float:
    """``20s`` / ``10m`` → minutes; only ``service_level`` takes one."""
    if metric != "service_level":
        raise ScenarioError(_("target.{metric}: only service_level takes a time after @ "
                              "(e.g. service_level=0.8@20s)").format(metric=metric))
    found = _WITHIN.match(text)
    if found is None:
        raise ScenarioError(_("target.service_level: expected a time after @ in seconds or "
                              "minutes, e.g. @20s or @10m; got {text}").format(text=quote(text)))
    number = float(found["number"])
    if number < 0:
        raise ScenarioError(_("target.service_level: the time after @ must be at least 0, got "
                              "{text}").format(text=quote(text.strip())))
    return number / 60.0 if found["unit"] in ("s", "sec") else number


def _check_range(metric: str, value: float, sc: ScenarioModel) -> None:
    where = f"target.{metric}"
    if metric in ("wait_probability", "service_level", "abandon_rate", "detractor_rate"):
        if not 0 < value < 1:
            raise ScenarioError(_("{field}: expected a share strictly between 0 and 1, "
                                  "got {value:g}").format(field=where, value=value))
    elif metric == "mean_wait_min" and value <= 0:
        raise ScenarioError(_("{field}: expected minutes > 0, got {value:g}").format(
            field=where, value=value))
    elif metric == "p90_wait_min" and value < 0:
        raise ScenarioError(_("{field}: expected minutes >= 0, got {value:g}").format(
            field=where, value=value))
    if metric == "detractor_rate":
        floor = _detractor_floor(sc)
        if value <= floor:
            raise ScenarioError(_("{field}: {value:g} is unreachable: even a customer who "
                                  "never waits is a detractor with probability {floor:.3g} "
                                  "(the scenario's detractor curve at 0 minutes)").format(
                field=where, value=value, floor=floor))


def _detractor_floor(sc: ScenarioModel) -> float:
    from ..results.detractor import curve

    return float(curve(0.0, sc.detractor))


def counter_customers(customers: pd.DataFrame) -> pd.Series:
    """Mask of customers who took a counter ticket (served, gave up or turned away there)."""
    outcome = customers["outcome"]
    return ((outcome == "counter") | (customers["abandoned_in"] == "counter")
            | (outcome == "turned_away"))


def arrival_interval(sc: ScenarioModel, arrival_min: np.ndarray) -> np.ndarray:
    """Index of the interval of ``interval_minutes`` in which each arrival falls."""
    edges = interval_edges(sc)
    which = np.searchsorted(edges, arrival_min, side="right") - 1
    return np.clip(which, 0, len(edges) - 2)
