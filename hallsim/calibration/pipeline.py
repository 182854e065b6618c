"""From a ticket log to a scenario, in one call (the Python side of ``hallsim fit tickets``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ScenarioError
from ..i18n import _
from ..scenario.clock import format_clock
from ..scenario.scenario import Scenario
from .arrivals import arrival_rates, select_days
from .calls import call_order, call_sentences
from .files import MAX_BAD_SHARE, REJECTS_NAME, REPORT_NAME
from .flexfit import flex_sentences
from .hours import on_day_clock, opening_hours
from .patience import fit_patience
from .scenario_writer import Fit, check_scenario, make_fit, scenario_yaml
from .services import fit_services
from .tickets import IGNORED, TicketLog, read_log, reason_name, reject_fix
from .windows import staffing
from .zones import find_zones


@dataclass(frozen=True)
class TicketFit:
    """What one ticket log says: the fit, the scenario (validated) and its YAML text."""

    log: TicketLog
    fit: Fit
    source: str
    days: str
    yaml: str
    scenario: Scenario

    def report_html(self, rejects_name: str = REJECTS_NAME) -> str:
        from .report import fit_report

        return fit_report(self.fit, self.log, self.source, self.days, rejects_name)


def fit_log(log: TicketLog, name: str, source: str = "<log>", interval: int = 30,
            days: str = "all", exact_rates: bool = False, hours: tuple[int, int] | None = None,
            day_starts: int = 0) -> TicketFit:
    """Fit a scenario to the usable tickets of ``log`` on the chosen days, within the opening
    hours (``hours``: ``(open, close)`` in minutes after midnight; else where tickets are dense)."""
    tickets = select_days(on_day_clock(log.tickets, day_starts), days)
    found, inside = opening_hours(tickets, interval, hours, day_starts, source)
    if not inside.all():
        tickets = tickets[inside]
    if not tickets["served"].any():
        raise ScenarioError(_("{source}: no ticket was served: every usable ticket is a no-show, "
                              "so counter times and patience cannot be learnt; check what the "
                              "outcome column says (map its words with outcome_values in "
                              "--columns)").format(source=source))
    arrivals = arrival_rates(tickets, interval, found)
    services = fit_services(tickets)
    zones = find_zones(tickets, arrivals, [s.name for s in services])
    fit = make_fit(name, arrivals, services, fit_patience(tickets),
                   staffing(tickets, arrivals), exact_rates, call_order(tickets), zones)
    header = [_("Fitted by hallsim fit tickets from {log}: {tickets} tickets, {n} day(s) "
                "({days}), {bad} row(s) rejected, {stray} stray ticket(s) outside the opening "
                "hours left out.").format(log=Path(source).name, tickets=len(tickets),
                                         n=len(arrivals.days), days=days, bad=log.bad_rows,
                                         stray=len(found.stray))]
    if log.ignored:
        header.append(ignored_sentence(log.ignored))
    header += [_("No triage, kiosks or pre-processing: the log only sees the counter queue."),
               _("Detractor curve: the default (fit yours with hallsim fit detractor). See "
                 "{report}.").format(report=REPORT_NAME)]
    header += call_sentences(fit.calls, zoned=bool(zones)) + flex_sentences(fit.staffing.flex)
    if zones:
        header.append(_("Counter groups from which windows served which services: {groups}.")
                      .format(groups=_("; ").join(
                          (_("{name} (1 window) calls {calls}") if len(z.windows) == 1 else
                           _("{name} ({windows} windows) calls {calls}")).format(
                              name=z.name, windows=len(z.windows), calls=_(", ").join(z.calls))
                          for z in zones)))
    if log.zone:
        header.append(_("Times with a UTC offset were converted to {zone}.").format(zone=log.zone))
    if not found.on_wall_clock:
        header.append(_("Times are on the hall's day clock: 00:00 here is {start} "
                        "(--day-starts).").format(start=format_clock(found.day_starts)))
    header += ["  " + _("rejected, {reason}: {n} (lines in {file})").format(
        reason=reason_name(reason), n=n, file=REJECTS_NAME) for reason, n in log.bad_counts.items()]
    text = scenario_yaml(fit, header)
    try:
        scenario = check_scenario(text, f"<fit of {source}>")
    except ScenarioError as exc:
        raise ScenarioError(_("{source}: the fitted scenario is not valid ({problem}); please "
                              "report this with the log").format(
                                  source=source, problem="; ".join(exc.messages))) from None
    return TicketFit(log, fit, source, days, text, scenario)


def fit_tickets(path: str | Path, columns: dict[str, str] | None = None,
                outcome_values: dict[str, str] | None = None, interval: int = 30,
                days: str = "all", exact_rates: bool = False, name: str | None = None, *,
                hours: tuple[int, int] | None = None, day_starts: int = 0,
                skip_rows: int | None = None, tz: str | None = None,
                ignore_unknown: bool = False) -> TicketFit:
    """Read a ticket log and fit a scenario; ``ScenarioError`` if over 5% of rows are unusable.

    >>> result = fit_tickets("tickets.csv", days="weekday")      # doctest: +SKIP
    >>> hallsim.simulate(result.scenario, seed=1).summary
    """
    log = read_log(path, columns, outcome_values, skip_rows=skip_rows, tz=tz,
                   ignore_unknown=ignore_unknown)
    check_bad_share(log, str(path))
    return fit_log(log, name or Path(path).stem, str(path), interval, days, exact_rates, hours,
                   day_starts)


def ignored_sentence(ignored: dict[str, int]) -> str:
    """The rows left out with ``--ignore-unknown``: not bad rows, named by status."""
    return _("{n} row(s) with a status left out (--ignore-unknown), not counted as rejected: "
             "{values}").format(n=sum(ignored.values()), values=_(", ").join(
                 _("{reason}: {n}").format(reason=k, n=v) for k, v in ignored.items()))


def check_bad_share(log: TicketLog, source: str, shown: int = 10) -> None:
    """Refuse a log with over 5% of its rows unusable, naming the first rows, their field and a fix."""
    if log.bad_share <= MAX_BAD_SHARE:
        return
    lines = [_("{log}: {share:.1%} of rows could not be used (more than 5%); nothing "
               "written. Fix or map the columns; the first rows:").format(
                   log=source, share=log.bad_share)]
    bad = log.rejects[log.rejects["reason"] != IGNORED]
    for line, reason in zip(bad["line"][:shown], bad["reason"][:shown], strict=True):
        field, fix = reject_fix(str(reason))
        lines.append(_("{log}: line {line}: {field}: {fix}").format(
            log=source, line=int(line), field=field, fix=fix))
    lines += ["  " + _("{reason}: {n}").format(reason=reason_name(reason), n=n)
              for reason, n in log.bad_counts.items()]
    raise ScenarioError(lines)
