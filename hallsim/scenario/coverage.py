"""Warnings about a valid plan that is probably not what the planner meant.

A stretch of opening hours with nobody at the counters validates (a hall may close its
counters over lunch), but customers who arrive then are turned away or wait: ``validate``
names every such stretch, every stretch with more counter staff on duty than windows (the
extra staff are paid to stand idle), and every shift outside opening hours.
"""

from __future__ import annotations

from ..i18n import _, ngettext
from .clock import format_clock
from .schema import ScenarioModel


def on_duty(sc: ScenarioModel, role: str) -> list[tuple[float, float, int]]:
    """Scheduled staff of ``role`` on duty (breaks deducted): (from, to, count) pieces that
    cover the opening hours exactly, in minutes since midnight."""
    changes = {float(sc.hours.open): 0, float(sc.hours.close): 0}
    for shift in sc.shifts:
        if shift.role != role or shift.count == 0:
            continue
        spans = [(float(shift.start), shift.count), (float(shift.end), -shift.count)]
        for brk in shift.breaks:
            spans += [(float(brk.at), -shift.count), (float(brk.at + brk.minutes), shift.count)]
        for t, delta in spans:
            changes[t] = changes.get(t, 0) + delta
    pieces, level = [], 0
    times = sorted(changes)
    for t, following in zip(times, times[1:], strict=False):
        level += changes[t]
        lo, hi = max(t, sc.hours.open), min(following, sc.hours.close)
        if hi > lo:
            pieces.append((lo, hi, level))
    return pieces


def unstaffed_counters(sc: ScenarioModel) -> list[tuple[float, float]]:
    """Stretches of opening hours with no counter staff on the plan (merged, in order)."""
    gaps: list[tuple[float, float]] = []
    for lo, hi, count in on_duty(sc, "counter"):
        if count > 0:
            continue
        if gaps and gaps[-1][1] == lo:
            gaps[-1] = (gaps[-1][0], hi)
        else:
            gaps.append((lo, hi))
    return gaps


def staff_beyond_windows(sc: ScenarioModel) -> list[tuple[float, float, int]]:
    """Stretches of opening hours with more counter staff on the plan (breaks deducted) than
    counter windows: (from, to, staff), neighbours with the same count merged, in order."""
    over: list[tuple[float, float, int]] = []
    for lo, hi, count in on_duty(sc, "counter"):
        if count <= sc.counters.windows:
            continue
        if over and over[-1][1] == lo and over[-1][2] == count:
            over[-1] = (over[-1][0], hi, count)
        else:
            over.append((lo, hi, count))
    return over


def _beyond_windows_text(sc: ScenarioModel, lo: float, hi: float, staff: int) -> str:
    extra = staff - sc.counters.windows
    text = ngettext("{staff} counter staff on duty from {start} to {end} but only {windows} "
                    "windows: {extra} of them is paid with no window to serve at",
                    "{staff} counter staff on duty from {start} to {end} but only {windows} "
                    "windows: {extra} of them are paid with no window to serve at", extra).format(
        staff=staff, start=format_clock(lo), end=format_clock(hi), windows=sc.counters.windows,
        extra=extra)
    helping = sorted({rule.to_role for rule in sc.flex if rule.from_role == "counter"})
    if helping:
        text += _(" (unless a flex rule moves them to {roles} when that queue is long)").format(
            roles=", ".join(helping))
    return text


def plan_warnings(sc: ScenarioModel) -> list[str]:
    """Every warning about the plan, in the current language, in order of time."""
    return [text for _field, text in located_warnings(sc)]


def located_warnings(sc: ScenarioModel) -> list[tuple[str | None, str]]:
    """``plan_warnings`` with the field each is about, as the loader names fields
    (``shifts[2].start``, ``counters.windows``; None: the plan as a whole)."""
    found: list[tuple[float, str | None, str]] = []
    for lo, hi in unstaffed_counters(sc):
        found.append((lo, None, _("no counter staff on the plan from {start} to {end}: customers "
                                  "who need a counter then wait for the next shift, or are turned "
                                  "away if none comes").format(start=format_clock(lo),
                                                               end=format_clock(hi))))
    for lo, hi, staff in staff_beyond_windows(sc):
        found.append((lo, "counters.windows", _beyond_windows_text(sc, lo, hi, staff)))
    opens, closes = sc.hours.open, sc.hours.close
    for i, shift in enumerate(sc.shifts):
        when = dict(name=shift.name, start=format_clock(shift.start), end=format_clock(shift.end),
                    open=format_clock(opens), close=format_clock(closes))
        if shift.end <= opens or shift.start >= closes:
            found.append((shift.start, f"shifts[{i}].start",
                          _("shift '{name}' ({start}-{end}) lies outside opening hours "
                            "({open}-{close})").format(**when)))
            continue
        if shift.start < opens:
            found.append((shift.start, f"shifts[{i}].start",
                          _("shift '{name}' ({start}-{end}) starts before the hall "
                            "opens at {open}").format(**when)))
        if shift.end > closes:
            found.append((shift.start, f"shifts[{i}].end",
                          _("shift '{name}' ({start}-{end}) ends after the doors "
                            "close at {close}").format(**when)))
    return [(field, text) for _t, field, text in sorted(found, key=lambda item: item[0])]
