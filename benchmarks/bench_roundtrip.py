"""Round trip of every shipped hall: simulate 30 days, export them as a ticket log, fit a
scenario to the log, simulate the fit, and compare the counter queue both halls show.

    PYTHONPATH=. python benchmarks/bench_roundtrip.py [--days 30] [--reps 200] [--seeds 1 3 5]

The ticket log only sees the counter queue (no greeter, kiosk or online channel), so both
halls are compared on what it sees: the mean wait of served tickets (called - issued) and
the share of tickets that are no-shows (customers who gave up in the counter queue), each
measured on a log exported from ``--reps`` simulated days, so that the comparison itself
adds little noise. The contract's target (§7a) is within 10% for both.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from hallsim.calibration.roundtrip import round_trip

HALLS = sorted(Path(__file__).resolve().parent.parent.glob("scenarios/*.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30, help="days exported and fitted")
    parser.add_argument("--reps", type=int, default=200, help="days simulated to compare")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 3, 5])
    args = parser.parse_args()
    worst = 0.0
    for path in HALLS:
        t0 = time.perf_counter()
        for seed in args.seeds:
            wait, gone = round_trip(path, args.days, args.reps, seed)
            worst = max(worst, abs(wait - 1), abs(gone - 1))
            print(f"{path.stem:10s} seed {seed}: fitted/original mean wait {wait:.3f}, "
                  f"no-show share {gone:.3f}")
        print(f"{path.stem:10s} {time.perf_counter() - t0:.0f} s")
    print(f"largest relative difference: {worst:.1%} (target: within 10%)")


if __name__ == "__main__":
    main()
