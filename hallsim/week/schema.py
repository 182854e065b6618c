"""The week file (contract section 10) as pydantic models: a hall and its day types.

Field-level rules live here; rules that relate fields (known day names, the calendar, a
day's hours against its profile) live in ``weekfile.py``, where each error is located.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ..scenario.schema import Hours, Period, Shift

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKEND: tuple[str, ...] = ("sat", "sun")
HOLIDAY = "holiday"


def _doc(meaning: str, example: object = None, **kwargs: Any) -> Any:
    return Field(description=meaning, examples=[example] if example is not None else None,
                 **kwargs)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DayType(_Strict):
    """One kind of day: the hall as it is, or busier (忙日), shorter, or closed."""

    load_factor: Annotated[float, Field(gt=0)] = _doc(
        "scales every arrival rate of the hall on this day (a busy day, 忙日: 1.4); "
        "multiplies the hall's own load_factor", 1.4, default=1.0)
    hours: Hours | None = _doc("the day's own opening hours (absent: the hall's); the hall's "
                               "profile is cut to them unless the day has its own",
                               {"open": "09:30", "close": "17:00"}, default=None)
    profile: Annotated[list[Period], Field(min_length=1)] | None = _doc(
        "the day's own arrival profile (absent: the hall's, cut to the day's hours)",
        [{"from": "09:30", "to": "17:00", "load": "peak"}], default=None)
    shifts: list[Shift] | None = _doc("the day's own shift plan (absent: the hall's; a roster "
                                      "replaces the counter shifts)", default=None)
    closed: bool = _doc("the hall is closed that day: nothing is simulated", True,
                        default=False)


class WeekModel(_Strict):
    """The validated content of a week file."""

    name: Annotated[str, Field(min_length=1)] = _doc(
        "the week's name: report titles and the default folder reports/NAME/", "city-week")
    hall: Annotated[str, Field(min_length=1)] = _doc(
        "the scenario file every day shares, relative to the week file", "weekday.yaml")
    days: dict[str, DayType] = _doc(
        "day types: mon … sun, holiday, or any name used in calendar; a weekday not listed "
        "runs as the hall", {"sat": {"load_factor": 1.4}, "sun": {"closed": True}}, default={})
    calendar: dict[str, str] = _doc(
        "this week's exceptions: a weekday → the day type it follows", {"thu": "holiday"},
        default={})
