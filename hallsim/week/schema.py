"""The week file (contract section 10) as pydantic models: a hall and its day types.

Field-level rules live here; rules that relate fields (known day names, the calendar, a
day's hours against its profile) live in ``weekfile.py``, where each error is located.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ..planning.rules import PlanningRules
from ..scenario.schema import Break, Clock, Hours, Period, Role, Shift

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKEND: tuple[str, ...] = ("sat", "sun")
HOLIDAY = "holiday"


def day_name(day: str) -> str:
    """A weekday for people, in the current language."""
    from ..i18n import _

    names = {"mon": _("Monday"), "tue": _("Tuesday"), "wed": _("Wednesday"),
             "thu": _("Thursday"), "fri": _("Friday"), "sat": _("Saturday"), "sun": _("Sunday")}
    return names.get(day, day)


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


class Person(_Strict):
    """One person with a weekly contract, or ``count`` alike (named NAME 1, NAME 2, ...)."""

    name: Annotated[str, Field(min_length=1)] = _doc("the person's name (or the group's)", "张三")
    role: Role = _doc("the role they work: counter, triage or preprocess", "counter",
                      default="counter")
    count: Annotated[int, Field(ge=1, le=1000)] | None = _doc(
        "that many people alike, named NAME 1 … NAME n (absent: one person)", 3, default=None)
    weekly_hours: tuple[Annotated[float, Field(ge=0, le=168)],
                        Annotated[float, Field(ge=0, le=168)]] = _doc(
        "[least, most] paid hours in the week (breaks not paid)", [36, 40])
    days_off: Annotated[int, Field(ge=0, le=7)] = _doc(
        "days off in the week at least (轮休); closed days count", 2, default=2)
    max_consecutive_days: Annotated[int, Field(ge=1, le=7)] = _doc(
        "most working days in a row (the roster repeats week after week)", 5, default=6)

    @model_validator(mode="after")
    def _hours_in_order(self) -> Person:
        low, high = self.weekly_hours
        if low > high:
            from ..i18n import _

            raise ValueError(_("weekly_hours: the least ({low:g}) is more than the most "
                               "({high:g})").format(low=low, high=high))
        return self


class RosterShift(_Strict):
    """One person's shift on one day of the roster."""

    start: Clock = _doc("start of the shift", "09:00")
    end: Clock = _doc("end of the shift", "17:30")
    breaks: list[Break] = _doc("the person's breaks", [{"at": "13:00", "minutes": 30}],
                               default=[])


def _off_word(value: object) -> object:
    """``off`` unquoted is YAML 1.1's false: read it as the word."""
    return "off" if value is False else value


RosterCell = Annotated[Literal["off"] | RosterShift, BeforeValidator(_off_word)]


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
    staff: list[Person] = _doc(
        "people with weekly contracts, for the roster (hallsim staff WEEK drafts it)",
        [{"name": "张三", "role": "counter", "weekly_hours": [36, 40], "days_off": 2}], default=[])
    rules: PlanningRules | None = _doc(
        "shift rules for the roster (the advisor's --rules format; absent: 3-9 h shifts, a "
        "30-minute break over 6 h)", default=None)
    roster: dict[str, dict[str, RosterCell]] | None = _doc(
        "each day, each person's shift or off (written by hallsim staff); it replaces the "
        "day's shifts of the roles the staff list covers",
        {"mon": {"张三": {"start": "09:00", "end": "17:30"}, "李四": "off"}}, default=None)
