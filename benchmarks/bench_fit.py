"""How long `hallsim fit tickets` takes on a log of one million tickets (target: under 30 s).

    python benchmarks/bench_fit.py [--tickets 1000000] [--keep DIR]

The log is generated directly with numpy (not simulated, which would take much longer):
weekdays of about 1,000 tickets, three services with gamma / lognormal counter times,
8 windows, exponential patience, a few malformed rows. Only the fit is timed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from hallsim.cli import main


def make_log(tickets: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    per_day = 1000
    days = -(-tickets // per_day)
    dates = np.busday_offset(np.datetime64("2024-01-01"), np.arange(days), roll="forward")
    day = np.repeat(dates, per_day)[:tickets]
    # Arrivals over 09:00-19:00 with a late-morning and an after-work peak.
    minute = np.concatenate([np.sort(np.where(rng.random(per_day) < 0.5, rng.normal(150, 60, per_day),
                                              rng.normal(510, 50, per_day)).clip(0, 599))
                             for _ in range(days)])[:tickets]
    service = rng.choice(np.array(["bill_payment", "plan_change", "new_line"]), tickets,
                         p=[0.5, 0.3, 0.2])
    counter = np.where(service == "bill_payment", rng.lognormal(1.0, 0.5, tickets),
                       rng.gamma(3.0, 2.5, tickets))
    wait = rng.exponential(6.0, tickets)
    patience = rng.exponential(25.0, tickets)
    served = patience >= wait
    issued = day.astype("datetime64[s]") + np.timedelta64(9 * 3600, "s") + (minute * 60).astype(
        "timedelta64[s]")
    called = issued + (wait * 60).astype("timedelta64[s]")
    finished = called + (counter * 60).astype("timedelta64[s]")
    fmt = "%Y-%m-%d %H:%M:%S"
    log = pd.DataFrame({
        "ticket_id": np.arange(tickets).astype(str),
        "service": service,
        "issued_at": pd.DatetimeIndex(issued).strftime(fmt),
        "called_at": pd.DatetimeIndex(called).strftime(fmt),
        "finished_at": np.where(served, pd.DatetimeIndex(finished).strftime(fmt), ""),
        "outcome": np.where(served, "served", "no_show"),
        "window": rng.integers(1, 9, tickets).astype(str),
    })
    bad = rng.choice(tickets, tickets // 1000, replace=False)
    log.loc[bad, "issued_at"] = "not a time"
    return log


def run(tickets: int, keep: Path | None) -> float:
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="hallsim-bench-fit-"))
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "log.csv"
    t0 = time.perf_counter()
    make_log(tickets).to_csv(log_path, index=False)
    print(f"generated {tickets:,} tickets in {time.perf_counter() - t0:.1f} s: {log_path}")
    t0 = time.perf_counter()
    status = main(["fit", "tickets", str(log_path), "--out", str(folder / "fitted.yaml")])
    elapsed = time.perf_counter() - t0
    print(f"hallsim fit tickets: exit {status}, {elapsed:.1f} s for {tickets:,} tickets "
          f"({tickets / elapsed:,.0f} tickets/s)")
    return elapsed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the log and fit in")
    args = parser.parse_args()
    run(args.tickets, args.keep)
