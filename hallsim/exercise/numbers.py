"""The numbers a trainee plans with, for the brief: the service mix and its counter minutes,
the windows the busiest hour needs (客流 × 时长 ÷ 60), what the greeter diverts, which
services can be pre-processed, and what 达标率 means."""

from __future__ import annotations

import html

import numpy as np

from ..i18n import _, display
from ..model.arrivals import rate_schedule
from ..output.htmlpage import header_row, heading, paragraph
from ..output.plots import role_name
from ..scenario.clock import format_clock
from ..scenario.schema import ScenarioModel


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def service_rows(sc: ScenarioModel) -> tuple[list[str], list[list[str]]]:
    """Headings, and one row per service: share, mean counter minutes, kiosk, online and
    pre-processing (plain text)."""
    rows = []
    for s in sc.services:
        kiosk = _pct(s.self_service.eligible) if s.self_service else "–"
        pre = (_("{eligible}, saves {saves}").format(eligible=_pct(s.preprocess.eligible),
                                                     saves=_pct(s.preprocess.saves))
               if s.preprocess else "–")
        rows.append([display(s.label, s.name), _pct(s.share),
                     f"{s.counter_minutes.mean_minutes:.1f}", kiosk, _pct(s.online_eligible), pre])
    head = [_("service"), _("share of customers"), _("counter minutes (mean)"),
            _("can use a kiosk"), _("can go online"), _("can be pre-processed")]
    return head, rows


def service_table(sc: ScenarioModel) -> str:
    """The service rows as an HTML table."""
    head, rows = service_rows(sc)
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                    for row in rows)
    return f"<table id='services'>{header_row(head)}{cells}</table>"


def mean_counter_minutes(sc: ScenarioModel) -> float:
    """Counter minutes per customer, averaged over the service mix."""
    return float(sum(s.share * s.counter_minutes.mean_minutes for s in sc.services))


def busiest_hour(sc: ScenarioModel) -> tuple[float, float]:
    """(arrivals per hour, minutes after midnight) at the day's highest expected rate."""
    edges, rates = rate_schedule(sc)
    at = int(np.argmax(rates))
    return float(rates[at] * 60), float(sc.hours.open + edges[at])


def flat_stretch(sc: ScenarioModel) -> tuple[float, float, float] | None:
    """``(rate per hour, start, end)`` when demand is flat: the longest stretch within a
    tenth of the busiest rate covers at least half the day, so no moment is the busiest."""
    edges, rates = rate_schedule(sc)
    top = float(np.max(rates))
    best, run = (0.0, 0.0), None
    for k, rate in enumerate(rates):
        if rate >= 0.9 * top:
            run = (run[0] if run else float(edges[k]), float(edges[k + 1]))
            best = max(best, run, key=lambda r: r[1] - r[0])
        else:
            run = None
    if best[1] - best[0] < 0.5 * (float(edges[-1]) - float(edges[0])):
        return None
    return top * 60, sc.hours.open + best[0], sc.hours.open + best[1]


def planning_sentences(sc: ScenarioModel) -> list[str]:
    """The windows rule of thumb at the busiest time, what the greeter diverts, and 达标率."""
    rate, when = busiest_hour(sc)
    minutes = mean_counter_minutes(sc)
    flat = flat_stretch(sc)
    if flat is not None:        # no moment stands out: a busiest time would be a random one
        rate, start, end = flat
        found = [_("Rule of thumb: customers per hour × counter minutes ÷ 60 = windows busy at "
                   "once. Demand is flat, about {rate:.0f} an hour from {start} to {end}, with "
                   "{minutes:.1f} counter minutes on average: {rate:.0f} × {minutes:.1f} ÷ 60 ≈ "
                   "{windows:.1f} windows through that stretch, before anyone is diverted or "
                   "pre-processed, and before breaks.").format(
                       start=format_clock(start), end=format_clock(end), rate=rate,
                       minutes=minutes, windows=rate * minutes / 60)]
    else:
        found = [_("Rule of thumb: customers per hour × counter minutes ÷ 60 = windows "
                   "busy at once. At the busiest time ({when}, {rate:.0f} an hour) with "
                   "{minutes:.1f} counter minutes on average: {rate:.0f} × {minutes:.1f} "
                   "÷ 60 ≈ {windows:.1f} windows, before anyone is diverted or "
                   "pre-processed, and before breaks.").format(
                       when=format_clock(when), rate=rate, minutes=minutes,
                       windows=rate * minutes / 60)]
    if sc.triage is not None:
        found.append(_(
            "A greeter on duty sends {online} of the customers who could be served online to "
            "the app, and {kiosk} of those who could use a kiosk to one; with no greeter, "
            "{self_select} of them try a kiosk by themselves.").format(
                online=_pct(sc.triage.divert_online), kiosk=_pct(sc.triage.divert_self_service),
                self_select=_pct(sc.triage.self_select)))
    found.append(_(
        "Service level (达标率): the share of customers served within {minutes:g} minutes of "
        "waiting; those who give up count as not served in time.").format(
            minutes=sc.detractor.target_wait_minutes))
    return found


def planning_numbers(sc: ScenarioModel) -> str:
    """The brief's section: the mix, the windows rule of thumb, diversion and 达标率."""
    return (heading(_("The numbers to plan with")) + service_table(sc)
            + "".join(paragraph(text) for text in [*zone_rows(sc), *planning_sentences(sc)]))


def shift_rows(sc: ScenarioModel) -> tuple[list[str], list[list[str]]]:
    """A plan's shifts as a table: name, role (and zone), count, hours of day, breaks, hours."""
    zones = bool(sc.counters.groups)
    head = [_("shift"), _("role"), *([_("zone")] if zones else []), _("staff"), _("from–to"),
            _("breaks"), _("paid hours")]
    rows = []
    for s in sc.shifts:
        breaks = _(", ").join(_("{at} for {minutes:g} min").format(at=format_clock(b.at),
                                                                   minutes=b.minutes)
                              for b in s.breaks) or "–"
        zone = "/".join(zone_name(sc, g) for g in s.groups or ([s.group] if s.group else [])) or "–"
        paid = s.count * ((s.end - s.start) - sum(b.minutes for b in s.breaks)) / 60
        rows.append([s.name, role_name(s.role), *([zone] if zones else []), str(s.count),
                     f"{format_clock(s.start)}–{format_clock(s.end)}", breaks, f"{paid:g}"])
    return head, rows


def zone_name(sc: ScenarioModel, group: str) -> str:
    """A counter group's display name in the reader's language (its id when it has none)."""
    found = next((g for g in sc.counters.groups or [] if g.name == group), None)
    return display(found.label, group) if found is not None else group


def post_name(sc: ScenarioModel, post: str) -> str:
    """A flex rule's ``from``/``to`` for people: a role, or a zone's counters by its name."""
    if post.startswith("counter."):
        return _("{zone} counters").format(zone=zone_name(sc, post[len("counter."):]))
    return role_name(post)


def zone_rows(sc: ScenarioModel) -> list[str]:
    """One sentence per zone (忙区): its windows, the services it calls and the id a plan
    writes; then how a counter shift names its zone (``group``/``groups``)."""
    names = {s.name: display(s.label, s.name) for s in sc.services}
    groups = sc.counters.groups or []
    rows = [_("Zone {zone} (group: {key}): {windows} windows, calling {services}.").format(
        zone=display(g.label, g.name), key=g.name, windows=g.windows,
        services=_(", ").join(_("every other service") if c == "*" else names.get(c, c)
                              for c in g.calls))
            for g in groups]
    if groups:
        rows.append(_("In the plan, every counter shift names its zone: group: {one} for one "
                      "zone, or groups: [{one}, {two}] for a clerk who floats between zones; a "
                      "flex rule can move staff to a zone with to: counter.{two}.").format(
            one=groups[0].name, two=groups[-1].name))
    return rows


__all__ = ["busiest_hour", "flat_stretch", "mean_counter_minutes", "planning_numbers", "planning_sentences",
           "service_rows", "service_table", "post_name", "shift_rows", "zone_name", "zone_rows"]
