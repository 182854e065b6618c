"""Rules that relate several fields of a scenario; each finding names its field."""

from __future__ import annotations

from ..errors import quote
from .clock import format_clock
from .curve import overlap
from .schema import ScenarioModel

Loc = tuple[object, ...]
SHARE_TOLERANCE = 1e-6


def check(model: ScenarioModel) -> list[tuple[Loc, str]]:
    """Return ``(location, message)`` for every cross-field rule the scenario breaks."""
    problems: list[tuple[Loc, str]] = []
    problems += _hours(model)
    problems += _profile(model)
    problems += _services(model)
    problems += _shifts(model)
    problems += _flex(model)
    problems += _detractor(model)
    return problems


def _hours(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    if m.hours.close <= m.hours.open:
        out.append((("hours", "close"), f'must be after open ("{format_clock(m.hours.open)}"), '
                    f'got "{format_clock(m.hours.close)}"'))
    elif m.warmup_minutes >= m.hours.close - m.hours.open:
        out.append((("warmup_minutes",), "must be shorter than the opening hours "
                    f"({m.hours.close - m.hours.open} min), got {m.warmup_minutes:g}"))
    return out


def _profile(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    expected = m.hours.open
    for i, period in enumerate(m.profile):
        if period.start != expected:
            kind = "a gap" if period.start > expected else "an overlap"
            out.append((("profile", i, "from"), f'expected "{format_clock(expected)}" (periods must '
                        f'tile the opening hours), got "{format_clock(period.start)}": {kind}'))
        if period.end <= period.start:
            out.append((("profile", i, "to"), f'must be after from, got "{format_clock(period.end)}"'))
        if period.load is not None and period.load not in m.loads:
            known = ", ".join(sorted(m.loads)) or "none defined"
            out.append((("profile", i, "load"),
                        f"unknown load level {quote(period.load)} (loads: {known})"))
        expected = max(expected, period.end)
    last = m.profile[-1].end
    if last != m.hours.close:
        out.append((("profile", len(m.profile) - 1, "to"), f'the last period must end at close '
                    f'("{format_clock(m.hours.close)}"), got "{format_clock(last)}"'))
    return out


def _services(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for i, service in enumerate(m.services):
        if service.name in seen:
            out.append((("services", i, "name"), f"duplicate service name {quote(service.name)}"))
        seen.add(service.name)
    total = sum(s.share for s in m.services)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        out.append((("services",), f"shares must sum to 1, got {total:.6g}"))
    return out


def _shifts(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for i, shift in enumerate(m.shifts):
        if shift.name in seen:
            out.append((("shifts", i, "name"), f"duplicate shift name {quote(shift.name)}"))
        seen.add(shift.name)
        if shift.end <= shift.start:
            out.append((("shifts", i, "end"), f'must be after start ("{format_clock(shift.start)}"), '
                        f'got "{format_clock(shift.end)}"'))
            continue
        if shift.role == "triage" and m.triage is None:
            out.append((("shifts", i, "role"), "role 'triage' needs a 'triage:' section "
                        "(greeter service time and diversion shares)"))
        previous_end: float = shift.start
        for j, brk in enumerate(shift.breaks):
            brk_end = brk.at + brk.minutes
            if brk.at < shift.start or brk_end > shift.end:
                out.append((("shifts", i, "breaks", j, "at"),
                            f'break {format_clock(brk.at)}+{brk.minutes:g} min must lie inside the '
                            f'shift {format_clock(shift.start)}-{format_clock(shift.end)}'))
            elif brk.at < previous_end:
                out.append((("shifts", i, "breaks", j, "at"),
                            "breaks must be in time order and must not overlap"))
            previous_end = max(previous_end, brk_end)
    return out


def _flex(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    for i, rule in enumerate(m.flex):
        if rule.from_role == rule.to_role:
            out.append((("flex", i, "to"), f"must differ from 'from' (both '{rule.to_role}')"))
        if rule.queue_at_most >= rule.queue_at_least:
            out.append((("flex", i, "queue_at_most"), f"must be < queue_at_least "
                        f"({rule.queue_at_least}), got {rule.queue_at_most}"))
        if rule.to_role == "triage" and m.triage is None:
            out.append((("flex", i, "to"), "role 'triage' needs a 'triage:' section"))
    return out


def _detractor(m: ScenarioModel) -> list[tuple[Loc, str]]:
    d = m.detractor
    if d.curve == "logistic" and d.base > d.max:
        return [(("detractor", "base"), f"must be <= max ({d.max:g}), got {d.base:g}")]
    if "promoter" not in d.model_fields_set:
        return []  # the default promoter curve gives way under the hall's detractor curve
    total, at = overlap(d)
    if total > 1 + SHARE_TOLERANCE:
        return [(("detractor", "promoter"), f"detractor and promoter probabilities add up to "
                 f"{total:.3g} at a {at:g}-minute wait; a customer cannot be both (lower one "
                 f"of the curves)")]
    if d.abandoned + d.promoter.abandoned > 1 + SHARE_TOLERANCE:
        return [(("detractor", "promoter", "abandoned"), f"must be <= 1 - detractor.abandoned "
                 f"({1 - d.abandoned:g}), got {d.promoter.abandoned:g}")]
    return []
