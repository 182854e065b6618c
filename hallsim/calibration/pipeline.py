"""From a ticket log to a scenario, in one call (the Python side of ``hallsim fit tickets``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ScenarioError
from ..scenario.scenario import Scenario
from .arrivals import arrival_rates, select_days
from .files import MAX_BAD_SHARE, REJECTS_NAME, REPORT_NAME
from .patience import fit_patience
from .scenario_writer import Fit, check_scenario, make_fit, scenario_yaml
from .services import fit_services
from .tickets import TicketLog, read_log
from .windows import staffing


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
            days: str = "all", exact_rates: bool = False) -> TicketFit:
    """Fit a scenario to the usable tickets of ``log`` on the chosen days."""
    tickets = select_days(log.tickets, days)
    arrivals = arrival_rates(tickets, interval)
    fit = make_fit(name, arrivals, fit_services(tickets), fit_patience(tickets),
                   staffing(tickets, arrivals), exact_rates)
    header = [f"Fitted by hallsim fit tickets from {Path(source).name}: {len(tickets)} tickets, "
              f"{len(arrivals.days)} day(s) ({days}), {len(log.rejects)} row(s) rejected.",
              "No triage, kiosks or pre-processing: the log only sees the counter queue.",
              f"Detractor curve: the default (fit yours with hallsim fit detractor). See {REPORT_NAME}."]
    header += [f"  rejected, {reason}: {n} (lines in {REJECTS_NAME})"
               for reason, n in log.reject_counts.items()]
    text = scenario_yaml(fit, header)
    return TicketFit(log, fit, source, days, text, check_scenario(text, f"<fit of {source}>"))


def fit_tickets(path: str | Path, columns: dict[str, str] | None = None,
                outcome_values: dict[str, str] | None = None, interval: int = 30,
                days: str = "all", exact_rates: bool = False, name: str | None = None) -> TicketFit:
    """Read a ticket log and fit a scenario; ``ScenarioError`` if over 5% of rows are unusable.

    >>> result = fit_tickets("tickets.csv", days="weekday")      # doctest: +SKIP
    >>> hallsim.simulate(result.scenario, seed=1).summary
    """
    log = read_log(path, columns, outcome_values)
    if log.bad_share > MAX_BAD_SHARE:
        raise ScenarioError(f"{path}: {log.bad_share:.1%} of rows could not be used (more than 5%): "
                            + ", ".join(f"{k}: {v}" for k, v in log.reject_counts.items()))
    return fit_log(log, name or Path(path).stem, str(path), interval, days, exact_rates)
