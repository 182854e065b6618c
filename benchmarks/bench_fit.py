"""How long `hallsim fit tickets` takes, and how much memory, on a log of one million
tickets (target, contract §7a: under 5 s and 500 MB).

    PYTHONPATH=. python benchmarks/bench_fit.py [--tickets 1000000] [--keep DIR] [--no-pyarrow]

The log is generated directly with numpy (not simulated, which would take much longer):
weekdays of about 1,000 tickets, three services with gamma / lognormal counter times,
8 windows, exponential patience, a few malformed rows. Only the fit is measured, in a
process of its own (as a user runs it): wall time, CPU time (user + system, all threads)
and peak resident memory. ``--no-pyarrow`` hides pyarrow from that process, to measure
the path planners without the parquet extra take.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_log(tickets: int, seed: int = 1):
    import numpy as np
    import pandas as pd

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


def run(tickets: int, keep: Path | None, no_pyarrow: bool = False) -> float:
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="hallsim-bench-fit-"))
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "log.csv"
    t0 = time.perf_counter()
    # in a process of its own: the fit's process starts small, so its peak memory is its own
    subprocess.run([sys.executable, __file__, "--generate", str(log_path), "--tickets",
                    str(tickets)], check=True)
    spent = resource.getrusage(resource.RUSAGE_CHILDREN)
    generating = spent.ru_utime + spent.ru_stime
    print(f"generated {tickets:,} tickets in {time.perf_counter() - t0:.1f} s: {log_path}")
    hide = "import sys; sys.modules['pyarrow'] = None; " if no_pyarrow else ""
    code = (hide + "import resource, sys; from hallsim.cli import main; "
            f"status = main(['fit', 'tickets', {str(log_path)!r}, '--out', "
            f"{str(folder / 'fitted.yaml')!r}]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(status)")
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
    elapsed = time.perf_counter() - t0
    status = done.returncode
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - generating
    peak = int(done.stdout.split()[-1]) / 1024 if done.stdout.strip() else float("nan")  # kB
    print(f"hallsim fit tickets{' (no pyarrow)' if no_pyarrow else ''}: exit {status}, "
          f"{elapsed:.1f} s wall, {cpu:.1f} s CPU, peak {peak:.0f} MB for {tickets:,} tickets "
          f"({tickets / elapsed:,.0f} tickets/s; machine load {os.getloadavg()[0]:.1f})")
    return elapsed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the log and fit in")
    parser.add_argument("--no-pyarrow", action="store_true", help="fit without pyarrow")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        make_log(args.tickets).to_csv(args.generate, index=False)
    else:
        run(args.tickets, args.keep, args.no_pyarrow)
