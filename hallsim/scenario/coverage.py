"""Warnings about a valid plan that is probably not what the planner meant.

A stretch of opening hours with nobody at the counters validates (a hall may close its
counters over lunch), but customers who arrive then are turned away or wait: ``validate``
names every such stretch, and every shift outside opening hours.
"""

from __future__ import annotations

from ..i18n import _
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


def plan_warnings(sc: ScenarioModel) -> list[str]:
    """Every warning about the plan, in the current language, in order of time."""
    found = []
    for lo, hi in unstaffed_counters(sc):
        found.append((lo, _("no counter staff on the plan from {start} to {end}: customers who "
                            "need a counter then wait for the next shift, or are turned away "
                            "if none comes").format(start=format_clock(lo), end=format_clock(hi))))
    opens, closes = sc.hours.open, sc.hours.close
    for shift in sc.shifts:
        when = dict(name=shift.name, start=format_clock(shift.start), end=format_clock(shift.end),
                    open=format_clock(opens), close=format_clock(closes))
        if shift.end <= opens or shift.start >= closes:
            found.append((shift.start, _("shift '{name}' ({start}-{end}) lies outside opening hours "
                                         "({open}-{close})").format(**when)))
            continue
        if shift.start < opens:
            found.append((shift.start, _("shift '{name}' ({start}-{end}) starts before the hall "
                                         "opens at {open}").format(**when)))
        if shift.end > closes:
            found.append((shift.start, _("shift '{name}' ({start}-{end}) ends after the doors "
                                         "close at {close}").format(**when)))
    return [text for _t, text in sorted(found, key=lambda item: item[0])]
