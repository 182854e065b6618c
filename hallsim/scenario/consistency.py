"""Rules that relate several fields of a scenario; each finding names its field."""

from __future__ import annotations

from ..errors import quote
from ..i18n import _
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
    problems += _groups(model)
    problems += _appointments(model)
    problems += _detractor(model)
    return problems


def _hours(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    if m.hours.close <= m.hours.open:
        out.append((("hours", "close"), _('must be after open ("{open}"), got "{close}"').format(
            open=format_clock(m.hours.open), close=format_clock(m.hours.close))))
    elif m.warmup_minutes >= m.hours.close - m.hours.open:
        out.append((("warmup_minutes",), _("must be shorter than the opening hours "
                                           "({minutes} min), got {warmup:g}").format(
            minutes=m.hours.close - m.hours.open, warmup=m.warmup_minutes)))
    return out


def _profile(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    expected = m.hours.open
    for i, period in enumerate(m.profile):
        if period.start != expected:
            kind = _("a gap") if period.start > expected else _("an overlap")
            out.append((("profile", i, "from"), _('expected "{expected}" (periods must tile the '
                                                  'opening hours), got "{got}": {kind}').format(
                expected=format_clock(expected), got=format_clock(period.start), kind=kind)))
        if period.end <= period.start:
            out.append((("profile", i, "to"), _('must be after from, got "{got}"').format(
                got=format_clock(period.end))))
        if period.load is not None and period.load not in m.loads:
            known = ", ".join(sorted(m.loads)) or _("none defined")
            out.append((("profile", i, "load"), _("unknown load level {level} (loads: {known})")
                        .format(level=quote(period.load), known=known)))
        expected = max(expected, period.end)
    last = m.profile[-1].end
    if last != m.hours.close:
        out.append((("profile", len(m.profile) - 1, "to"), _(
            'the last period must end at close ("{close}"), got "{got}"').format(
                close=format_clock(m.hours.close), got=format_clock(last))))
    return out


def _services(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for i, service in enumerate(m.services):
        if service.name in seen:
            out.append((("services", i, "name"), _("duplicate service name {name}").format(
                name=quote(service.name))))
        seen.add(service.name)
    total = sum(s.share for s in m.services)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        out.append((("services",), _("shares must sum to 1, got {total:.6g}").format(total=total)))
    return out


def _shifts(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for i, shift in enumerate(m.shifts):
        if shift.name in seen:
            out.append((("shifts", i, "name"), _("duplicate shift name {name}").format(
                name=quote(shift.name))))
        seen.add(shift.name)
        if shift.end <= shift.start:
            out.append((("shifts", i, "end"), _('must be after start ("{start}"), got "{end}"')
                        .format(start=format_clock(shift.start), end=format_clock(shift.end))))
            continue
        if shift.role == "triage" and m.triage is None:
            out.append((("shifts", i, "role"), _("role 'triage' needs a 'triage:' section "
                                                 "(greeter service time and diversion shares)")))
        previous_end: float = shift.start
        for j, brk in enumerate(shift.breaks):
            brk_end = brk.at + brk.minutes
            if brk.at < shift.start or brk_end > shift.end:
                out.append((("shifts", i, "breaks", j, "at"), _(
                    "break {at}+{minutes:g} min must lie inside the shift {start}-{end}").format(
                        at=format_clock(brk.at), minutes=brk.minutes,
                        start=format_clock(shift.start), end=format_clock(shift.end))))
            elif brk.at < previous_end:
                out.append((("shifts", i, "breaks", j, "at"),
                            _("breaks must be in time order and must not overlap")))
            previous_end = max(previous_end, brk_end)
    return out


def _flex(m: ScenarioModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    for i, rule in enumerate(m.flex):
        if rule.from_role == rule.to_role or {rule.from_role, rule.to_role} == {"counter"}:
            out.append((("flex", i, "to"), _("must differ from 'from' (both '{role}')").format(
                role=rule.to_role)))
        if rule.queue_at_most >= rule.queue_at_least:
            out.append((("flex", i, "queue_at_most"), _(
                "must be < queue_at_least ({least}), got {most}").format(
                    least=rule.queue_at_least, most=rule.queue_at_most)))
        if rule.to_role == "triage" and m.triage is None:
            out.append((("flex", i, "to"), _("role 'triage' needs a 'triage:' section")))
        names = [g.name for g in m.counters.groups or []]
        for key, post in (("from", rule.from_role), ("to", rule.to_role)):
            group = post.partition(".")[2]
            if post.startswith("counter.") and group not in names:
                known = ", ".join(names) or _("none: the hall has no counters.groups")
                out.append((("flex", i, key), _("unknown counter group {group} (groups: {known})")
                            .format(group=quote(group), known=known)))
    return out


def _groups(m: ScenarioModel) -> list[tuple[Loc, str]]:
    """Counter groups: windows add up, names unique and known, every service callable."""
    from ..model.calling import CALL_RULES

    out: list[tuple[Loc, str]] = []
    groups = m.counters.groups or []
    names = [g.name for g in groups]
    services = [s.name for s in m.services]
    if groups:
        total = sum(g.windows for g in groups)
        if total != m.counters.windows:
            out.append((("counters", "windows"), _(
                "must equal the groups' windows ({total}), got {windows}").format(
                    total=total, windows=m.counters.windows)))
    called: set[str] = set()
    for k, group in enumerate(groups):
        if group.name in names[:k]:
            out.append((("counters", "groups", k, "name"),
                        _("duplicate group name {name}").format(name=quote(group.name))))
        if group.rule not in CALL_RULES:
            out.append((("counters", "groups", k, "rule"), _(
                "unknown call rule {rule}; expected one of {rules}").format(
                    rule=quote(group.rule), rules=", ".join(sorted(CALL_RULES)))))
        for j, entry in enumerate(group.calls):
            if entry == "*":
                called.update(services)
            elif entry not in services:
                out.append((("counters", "groups", k, "calls", j), _(
                    "unknown service {name} (services: {services})").format(
                        name=quote(entry), services=", ".join(services))))
            else:
                called.add(entry)
    if groups:
        for i, name in enumerate(services):
            if name not in called:
                out.append((("services", i, "name"), _(
                    "no counter group calls {name}; add it to some group's calls").format(
                        name=quote(name))))
    for i, shift in enumerate(m.shifts):
        chosen = list(shift.groups or []) + ([shift.group] if shift.group else [])
        if shift.group is not None and shift.groups is not None:
            out.append((("shifts", i, "groups"), _("give either group or groups, not both")))
        if chosen and shift.role != "counter":
            out.append((("shifts", i, "group" if shift.group else "groups"), _(
                "only counter shifts sit at a group (this shift's role is {role})").format(
                    role=shift.role)))
            continue
        for name in chosen:
            if name not in names:
                known = ", ".join(names) or _("none: the hall has no counters.groups")
                out.append((("shifts", i, "group" if shift.group else "groups"), _(
                    "unknown counter group {group} (groups: {known})").format(
                        group=quote(name), known=known)))
        if shift.role == "counter" and not chosen and len(groups) > 1:
            out.append((("shifts", i, "role"), _(
                "with several counter groups, a counter shift needs group (one of {names}) or "
                "groups (floating)").format(names=", ".join(names))))
    return out


def _detractor(m: ScenarioModel) -> list[tuple[Loc, str]]:
    d = m.detractor
    if d.curve == "logistic" and d.base > d.max:
        return [(("detractor", "base"), _("must be <= max ({most:g}), got {base:g}").format(
            most=d.max, base=d.base))]
    if "promoter" not in d.model_fields_set:
        return []  # the default promoter curve gives way under the hall's detractor curve
    total, at = overlap(d)
    if total > 1 + SHARE_TOLERANCE:
        return [(("detractor", "promoter"), _(
            "detractor and promoter probabilities add up to {total:.3g} at a {at:g}-minute "
            "wait; a customer cannot be both (lower one of the curves)").format(total=total, at=at))]
    if d.abandoned + d.promoter.abandoned > 1 + SHARE_TOLERANCE:
        return [(("detractor", "promoter", "abandoned"), _(
            "must be <= 1 - detractor.abandoned ({most:g}), got {got:g}").format(
                most=1 - d.abandoned, got=d.promoter.abandoned))]
    return []


def _appointments(m: ScenarioModel) -> list[tuple[Loc, str]]:
    """Bookings name a service and have slots inside the opening hours."""
    out: list[tuple[Loc, str]] = []
    services = [s.name for s in m.services]
    for k, booking in enumerate(m.appointments):
        if booking.service not in services:
            out.append((("appointments", k, "service"), _(
                "unknown service {name} (services: {services})").format(
                    name=quote(booking.service), services=", ".join(services))))
        slots = booking.slots
        if slots.end <= slots.start:
            out.append((("appointments", k, "slots", "to"), _(
                'must be after from ("{start}"), got "{end}"').format(
                    start=format_clock(slots.start), end=format_clock(slots.end))))
        elif slots.start < m.hours.open or slots.end > m.hours.close:
            out.append((("appointments", k, "slots", "from"), _(
                "slots must lie inside the opening hours {open}-{close}").format(
                    open=format_clock(m.hours.open), close=format_clock(m.hours.close))))
    return out
