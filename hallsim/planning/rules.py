"""The shift rules a plan keeps: the exercise's ``rules`` block (``Rules``) and the rules a
workforce planner adds to it for the staffing advisor (``PlanningRules``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from ..i18n import _
from ..scenario.clock import format_clock
from ..scenario.schema import Clock, _Strict

Hours = Annotated[float, Field(gt=0, le=24)]


def doc(meaning: str, unit: str | None = None, **kwargs: Any) -> Any:
    """A field's one-line meaning (and unit) for the schema and docs/plan.md, docs/challenge.md."""
    return Field(description=meaning, json_schema_extra={"unit": unit} if unit else None, **kwargs)


class BreakRule(_Strict):
    """Long shifts need a break."""

    over_hours: Hours = doc("shifts longer than this ...", "hours")
    min_minutes: Annotated[float, Field(gt=0)] = doc("... need a break of at least this",
                                                     "minutes")


class Rules(_Strict):
    """The shift rules every plan must keep (broken rules rank a plan after the valid ones)."""

    start_times: list[Clock] | None = doc("allowed start times; any if absent", None,
                                          default=None)
    min_shift_hours: Annotated[float, Field(ge=0)] = doc("shortest shift", "hours", default=0.0)
    max_shift_hours: Hours = doc("longest shift", "hours", default=24.0)
    break_rule: BreakRule | None = doc("breaks in long shifts", None, default=None)
    max_on_duty: dict[str, Annotated[int, Field(ge=0)]] = doc(
        "most staff of a role on duty at once (counters are also capped by the windows)",
        "staff", default={})


class Lunch(_Strict):
    """The window the breaks of long shifts are taken in."""

    start: Clock = doc("a lunch break starts at or after this", "HH:MM", alias="from")
    end: Clock = doc("and ends at or before this", "HH:MM", alias="to")
    minutes: Annotated[float, Field(gt=0)] = doc("length of the lunch break", "minutes")

    @model_validator(mode="after")
    def _fits(self) -> Lunch:
        if self.end - self.start < self.minutes:
            raise ValueError(_("the window {window:g} min is shorter than the break "
                               "({minutes:g} min)").format(window=self.end - self.start,
                                                           minutes=self.minutes))
        return self


class PartTime(_Strict):
    """Short shifts are part-time, and there are only so many part-timers."""

    max_hours: Hours = doc("a shift this long or shorter is part-time", "hours")
    max_count: Annotated[int, Field(ge=0)] = doc("most part-time staff in the plan", "staff")


class PlanningRules(Rules):
    """The exercise's rules plus what a workforce planner expects (the advisor's ``--rules``)."""

    shrinkage: Annotated[float, Field(ge=0, lt=1)] = doc(
        "share of scheduled time lost to absence and other work, below 1; the plan schedules "
        "need / (1 - shrinkage) and is verified on days with each member absent with this "
        "probability", "share", default=0.0)
    lunch: Lunch | None = doc(
        "breaks of long shifts (over break_rule.over_hours; 6 h without a break_rule) fall in "
        "this window, at quarter-hour starts, when the shift spans it", None, default=None)
    max_on_break: Annotated[int, Field(ge=0)] | None = doc(
        "most counter staff on break at once", "staff", default=None)
    part_time: PartTime | None = doc("part-time shifts and how many", None, default=None)
    overtime_weight: Annotated[float, Field(ge=0)] = doc(
        "cost of an hour of overtime, in staff hours (0: overtime is free)", None, default=0.0)


def rules_data(rules: Rules) -> dict[str, Any]:
    """The rules as a file writes them (times "HH:MM", defaults left out): read back, the
    same rules."""
    data = rules.model_dump(by_alias=True, exclude_defaults=True)
    if data.get("start_times") is not None:
        data["start_times"] = [format_clock(t) for t in data["start_times"]]
    if data.get("lunch") is not None:
        data["lunch"] = {**data["lunch"], "from": format_clock(data["lunch"]["from"]),
                         "to": format_clock(data["lunch"]["to"])}
    return data
