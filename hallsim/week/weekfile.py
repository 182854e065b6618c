"""Week file → ``Week``: the hall, and one scenario per open day of the week.

A weekday not listed under ``days`` runs as the hall. A day type changes the hall's load
(``load_factor``, times the hall's own), hours (the hall's profile is cut to them), profile
or shift plan, or closes the hall. ``calendar`` sends a weekday to another day type for this
week (``thu: holiday``). Each day's scenario is built in ``days.py``. Every error names the
week file, the line and the field.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import ScenarioError, quote
from ..i18n import _
from ..planning.rules import PlanningRules, rules_data
from ..scenario import loading
from ..scenario.overrides import apply_overrides
from ..scenario.scenario import Scenario
from .contracts import check_roster, check_staff, read_roster
from .days import WeekDay, build_days, locate, type_of
from .people import Member, Roster, members
from .schema import HOLIDAY, WEEKDAYS, WeekModel

Loc = tuple[Any, ...]
WEEK_SECTIONS = ("days", "calendar", "staff", "rules", "roster")   # --set paths of the week


class Week:
    """A hall over a week: the hall, its seven days, and the staff list and roster if any.

    Made by ``load_week``; not built by hand.

    Attributes
    ----------
    model : WeekModel
        The validated week file.
    hall : Scenario
        The scenario every day shares.
    days : tuple of WeekDay
        Monday to Sunday: each day's weekday, day type and scenario (None when closed).
    origin : str
        Where the week came from (its file name), for messages.
    roster : dict or None
        Weekday → person → ``Duty`` (None: off), when the file has a roster.
    hall_changes : dict
        The dotted overrides applied to the hall since it was read (``--set``), in order.
    """

    def __init__(self, model: WeekModel, hall: Scenario, days: tuple[WeekDay, ...], origin: str,
                 raw: dict, node: yaml.Node | None, base: Path, roster: Roster | None = None,
                 hall_changes: Mapping[str, Any] | None = None):
        self.model, self.hall, self.days, self.origin = model, hall, days, origin
        self._raw, self._node, self._base = raw, node, base
        self.roster = roster
        self.hall_changes = dict(hall_changes or {})

    @property
    def people(self) -> list[Member]:
        """The staff list, a counted entry expanded into that many people.

        Returns
        -------
        list of Member
            Name, role and contract (weekly hours, days off, days in a row) of each person.
        """
        return members(self.model.staff)

    @property
    def name(self) -> str:
        """The week's name.

        Returns
        -------
        str
            The ``name`` field of the week file.
        """
        return self.model.name

    @property
    def open_days(self) -> list[WeekDay]:
        """The days the hall is open, Monday first.

        Returns
        -------
        list of WeekDay
            Each with its scenario.
        """
        return [d for d in self.days if not d.closed]

    def day(self, label: str) -> WeekDay:
        """One day of the week.

        Parameters
        ----------
        label : str
            The weekday: ``"mon"`` … ``"sun"``.

        Returns
        -------
        WeekDay
            Its weekday, day type and scenario (None when the hall is closed).
        """
        for d in self.days:
            if d.day == label:
                return d
        raise KeyError(f"no day {label!r}; expected one of {', '.join(WEEKDAYS)}")

    def with_hall_changes(self, changes: Mapping[str, Any]) -> Week:
        """The same week on a changed hall, so every day changes alike.

        Parameters
        ----------
        changes : mapping
            Dotted overrides of the hall, as ``Scenario.with_changes`` takes them
            (``{"counters.windows": 10}``).

        Returns
        -------
        Week
            A new week, its roster checked again on the changed days; this one is unchanged.
        """
        return self._changed(changes, {})

    def with_changes(self, changes: Mapping[str, Any]) -> Week:
        """The same week with dotted overrides: of the week file when the path starts with
        one of its sections (``days``, ``calendar``, ``staff``, ``rules``, ``roster``), else
        of the hall.

        Parameters
        ----------
        changes : mapping
            ``{"days.sat.load_factor": 1.6, "counters.windows": 10}``; list items by name
            (``staff.张伟.weekly_hours``).

        Returns
        -------
        Week
            A new week, checked like a loaded one; this one is unchanged.
        """
        own = {k: v for k, v in changes.items() if k.split(".")[0] in WEEK_SECTIONS}
        return self._changed({k: v for k, v in changes.items() if k not in own}, own)

    def _changed(self, hall_changes: Mapping[str, Any], week_changes: Mapping[str, Any]) -> Week:
        hall = self.hall.with_changes(hall_changes) if hall_changes else self.hall
        raw = self.to_dict()
        node = self._node
        if week_changes:
            raw, _locs = apply_overrides(raw, week_changes)
            node = None                   # the lines of the file no longer describe it
        week = week_from_data(raw, self.origin, node, self._base, hall=hall)
        week.hall_changes = {**self.hall_changes, **hall_changes}
        return week

    def without_roster(self) -> Week:
        """The week as its days' own plans have it (a roster in the file set aside).

        Returns
        -------
        Week
            A new week whose days use their own (or the hall's) shifts.
        """
        raw = self.to_dict()
        raw.pop("roster", None)
        week = week_from_data(raw, self.origin, self._node, self._base, hall=self.hall)
        week.hall_changes = dict(self.hall_changes)
        return week

    def with_roster(self, roster: Roster, rules: PlanningRules | None = None) -> Week:
        """The same week with another roster, checked against every rule.

        Parameters
        ----------
        roster : dict
            Weekday → person → ``Duty`` (None: off), e.g. ``draft_roster(...).roster``.
        rules : PlanningRules, optional
            The shift rules the roster keeps, written into the week (absent: the week's own,
            else the defaults).

        Returns
        -------
        Week
            A new week whose days staff the staff list's roles with the rostered people.
        """
        raw = self.to_dict()
        if rules is not None:
            raw["rules"] = rules_data(rules)
        raw["roster"] = {d: {name: ("off" if duty is None else duty.cell())
                             for name, duty in roster.get(d, {}).items()}
                         for d in WEEKDAYS if d in roster}
        week = week_from_data(raw, self.origin, None, self._base, hall=self.hall)
        week.hall_changes = dict(self.hall_changes)
        return week

    def to_dict(self) -> dict:
        """The week file's content as plain data.

        Returns
        -------
        dict
            A copy, shaped like the YAML file.
        """
        return copy.deepcopy(self._raw)


def is_week_data(data: Any) -> bool:
    """Whether parsed YAML is a week file (it names a ``hall``) rather than a scenario."""
    return isinstance(data, dict) and "hall" in data


def is_week_file(path: str | Path) -> bool:
    """Whether ``path`` holds a week file; False for anything unreadable (the scenario
    loader then reports what is wrong with it)."""
    try:
        data, _node = loading.read_yaml(path)
    except ScenarioError:
        return False
    return is_week_data(data)


def load_week(path: str | Path) -> Week:
    """Read and validate a week file and the hall it names.

    Parameters
    ----------
    path : str or Path
        The week file; its ``hall`` is read relative to it.

    Returns
    -------
    Week
        The hall, its seven days (a scenario per open day), the staff list and the roster.

    Raises
    ------
    ScenarioError
        Bad input, one message per problem naming the file, the line and the field.
    """
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"'path' must be a file name (str or Path), got {type(path).__name__}")
    data, node = loading.read_yaml(path)
    return week_from_data(data, str(path), node, Path(path).parent)


def week_from_data(data: dict, origin: str, node: yaml.Node | None = None,
                   base: str | Path = ".", hall: Scenario | None = None) -> Week:
    """Validate a parsed week file; ``hall`` (a Scenario) instead of reading ``hall:``."""
    model = loading.validate(WeekModel, data, origin, node)
    problems = check(model)
    if problems:
        raise ScenarioError([locate(origin, node, loc, msg) for loc, msg in problems])
    if hall is None:
        hall = _read_hall(model, origin, node, Path(base))
    days = build_days(model, hall, origin, data, node)
    scenarios = {d.day: d.scenario for d in days if d.scenario is not None}
    spans = {day: (sc.hours.open, sc.hours.close) for day, sc in scenarios.items()}
    problems = check_staff(model, spans)
    if not problems and model.roster is not None:
        problems = check_roster(model, scenarios)
    if problems:
        raise ScenarioError([locate(origin, node, loc, msg) for loc, msg in problems])
    roster = None
    if model.roster is not None:
        roster = read_roster(model, members(model.staff))[0]
        days = build_days(model, hall, origin, data, node, roster)
    return Week(model, hall, days, origin, loading.plain(data), node, Path(base), roster)


def check(model: WeekModel) -> list[tuple[Loc, str]]:
    """The rules between fields: known day names, a calendar of known types, closed days."""
    out: list[tuple[Loc, str]] = []
    used = set(model.calendar.values())
    known = (*WEEKDAYS, HOLIDAY)
    for key, day in model.days.items():
        if key not in known and key not in used:
            close = difflib.get_close_matches(key, known, n=1)
            hint = _(" (did you mean '{name}'?)").format(name=close[0]) if close else ""
            out.append((("days", key), _("unknown day {day}{hint}; expected {known}, or a day "
                                         "type that calendar uses").format(
                day=quote(key), hint=hint, known=", ".join(known))))
        if day.closed and day.model_fields_set - {"closed"}:
            extra = ", ".join(sorted(day.model_fields_set - {"closed"}))
            out.append((("days", key, "closed"), _("a closed day has no {fields}; remove them "
                                                   "or set closed: false").format(fields=extra)))
    for weekday, kind in model.calendar.items():
        if weekday not in WEEKDAYS:
            close = difflib.get_close_matches(weekday, WEEKDAYS, n=1)
            hint = _(" (did you mean '{name}'?)").format(name=close[0]) if close else ""
            out.append((("calendar", weekday), _("unknown weekday {day}{hint}; expected one of "
                                                 "{days}").format(day=quote(weekday), hint=hint,
                                                                  days=", ".join(WEEKDAYS))))
        elif kind not in model.days and kind not in WEEKDAYS:
            listed = ", ".join(sorted(model.days)) or "none"
            out.append((("calendar", weekday), _("unknown day type {kind}; expected a weekday "
                                                 "or a type under days ({listed})").format(
                kind=quote(kind), listed=listed)))
    if not out and all(type_of(model, d)[1].closed for d in WEEKDAYS):
        out.append((("days",), _("every day of the week is closed; nothing to simulate")))
    return out


def _read_hall(model: WeekModel, origin: str, node: yaml.Node | None, base: Path) -> Scenario:
    path = base / model.hall
    try:
        data, hall_node = loading.read_yaml(path)
    except ScenarioError as exc:
        if not path.exists():
            raise ScenarioError(locate(origin, node, ("hall",), _(
                "no such file {path} (the path is relative to the week file)").format(
                path=quote(str(path))))) from None
        raise exc from None
    if is_week_data(data):
        raise ScenarioError(locate(origin, node, ("hall",), _(
            "{path} is a week file; the hall must be a scenario file").format(
            path=quote(str(path)))))
    return Scenario.from_data(data, str(path), hall_node)
