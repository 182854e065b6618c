"""Checking a fit on a known answer: a hall simulated, exported as a ticket log, fitted,
and the fit simulated, both compared on what the log sees (the counter queue).

    from hallsim.calibration.roundtrip import round_trip
    wait_ratio, no_show_ratio = round_trip("scenarios/weekday.yaml", days=30, reps=200)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from ..runs.simulation import replicate
from ..scenario.scenario import Scenario, load_scenario
from .export import ticket_log
from .pipeline import fit_tickets


def queue_seen(scenario: Scenario, reps: int, seed: int) -> tuple[float, float]:
    """The counter queue as a ticket log of ``reps`` simulated days shows it: the mean wait
    of served tickets (called - issued, minutes) and the share of tickets that are no-shows."""
    log = ticket_log(replicate(scenario, reps=reps, seed=seed).customers, scenario.hours.open)
    issued = pd.to_datetime(log["issued_at"])
    called = pd.to_datetime(log["called_at"].where(log["called_at"] != ""))
    served = (log["outcome"] == "served").to_numpy()
    wait = (called - issued).dt.total_seconds().to_numpy() / 60.0
    return float(wait[served].mean()), float((~served).mean())


def round_trip(path: str | Path, days: int = 30, reps: int = 200, seed: int = 1
               ) -> tuple[float, float]:
    """Fit a scenario to ``days`` exported days of the hall at ``path``, then compare the
    fit with the original over ``reps`` fresh days each: (mean wait ratio, no-show share
    ratio), fitted over original."""
    original = load_scenario(path)
    with tempfile.TemporaryDirectory(prefix="hallsim-round-trip-") as folder:
        log = Path(folder) / "log.csv"
        ticket_log(replicate(original, reps=days, seed=seed).customers,
                   original.hours.open).to_csv(log, index=False)
        fitted = fit_tickets(log).scenario
    wait_a, gone_a = queue_seen(original, reps, 1000 + seed)
    wait_b, gone_b = queue_seen(fitted, reps, 2000 + seed)
    return wait_b / wait_a, gone_b / gone_a
