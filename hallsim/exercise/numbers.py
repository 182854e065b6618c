"""The numbers a trainee plans with, for the brief: the service mix and its counter minutes,
the windows the busiest hour needs (客流 × 时长 ÷ 60), what the greeter diverts, which
services can be pre-processed, and what 达标率 means."""

from __future__ import annotations

import html

import numpy as np

from ..i18n import _, display
from ..model.arrivals import rate_schedule
from ..output.htmlpage import header_row, heading, paragraph
from ..scenario.schema import ScenarioModel


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def service_table(sc: ScenarioModel) -> str:
    """One row per service: share, mean counter minutes, kiosk, online and pre-processing."""
    rows = []
    for s in sc.services:
        kiosk = _pct(s.self_service.eligible) if s.self_service else "–"
        pre = (_("{eligible}, saves {saves}").format(eligible=_pct(s.preprocess.eligible),
                                                     saves=_pct(s.preprocess.saves))
               if s.preprocess else "–")
        rows.append(f"<tr><td>{html.escape(display(s.label, s.name))}</td><td>{_pct(s.share)}</td>"
                    f"<td>{s.counter_minutes.mean_minutes:.1f}</td><td>{kiosk}</td>"
                    f"<td>{_pct(s.online_eligible)}</td><td>{html.escape(pre)}</td></tr>")
    head = header_row([_("service"), _("share of customers"), _("counter minutes (mean)"),
                       _("can use a kiosk"), _("can go online"), _("can be pre-processed")])
    return f"<table id='services'>{head}{''.join(rows)}</table>"


def mean_counter_minutes(sc: ScenarioModel) -> float:
    """Counter minutes per customer, averaged over the service mix."""
    return float(sum(s.share * s.counter_minutes.mean_minutes for s in sc.services))


def busiest_hour(sc: ScenarioModel) -> tuple[float, float]:
    """(arrivals per hour, minutes after midnight) at the day's highest expected rate."""
    edges, rates = rate_schedule(sc)
    at = int(np.argmax(rates))
    return float(rates[at] * 60), float(sc.hours.open + edges[at])


def planning_numbers(sc: ScenarioModel) -> str:
    """The brief's section: the mix, the windows rule of thumb, diversion and 达标率."""
    from ..scenario.clock import format_clock

    rate, when = busiest_hour(sc)
    minutes = mean_counter_minutes(sc)
    parts = [heading(_("The numbers to plan with")), service_table(sc),
             paragraph(_("Rule of thumb: customers per hour × counter minutes ÷ 60 = windows "
                         "busy at once. At the busiest time ({when}, {rate:.0f} an hour) with "
                         "{minutes:.1f} counter minutes on average: {rate:.0f} × {minutes:.1f} "
                         "÷ 60 ≈ {windows:.1f} windows, before anyone is diverted or "
                         "pre-processed, and before breaks.").format(
                             when=format_clock(when), rate=rate, minutes=minutes,
                             windows=rate * minutes / 60))]
    if sc.triage is not None:
        parts.append(paragraph(_(
            "A greeter on duty sends {online} of the customers who could be served online to "
            "the app, and {kiosk} of those who could use a kiosk to one; with no greeter, "
            "{self_select} of them try a kiosk by themselves.").format(
                online=_pct(sc.triage.divert_online), kiosk=_pct(sc.triage.divert_self_service),
                self_select=_pct(sc.triage.self_select))))
    parts.append(paragraph(_(
        "Service level (达标率): the share of customers served within {minutes:g} minutes of "
        "waiting; those who give up count as not served in time.").format(
            minutes=sc.detractor.target_wait_minutes)))
    return "".join(parts)


__all__ = ["busiest_hour", "mean_counter_minutes", "planning_numbers", "service_table"]
