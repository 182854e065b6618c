"""Learning a hall from its own data (contract §7): ticket logs → scenarios, surveys →
detractor curves, and simulated days → ticket logs to check a fit on a known answer.

    from hallsim.calibration import fit_tickets, ticket_log
    result = fit_tickets("tickets.csv", days="weekday")   # .scenario, .yaml, .fit, .log
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_PUBLIC = {"TicketFit": ".pipeline", "fit_log": ".pipeline", "fit_tickets": ".pipeline",
           "ticket_log": ".export", "write_ticket_log": ".export"}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    # Imported on first use, so the command line starts without loading scipy.
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
