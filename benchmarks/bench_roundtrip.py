"""Round trip of every shipped hall: simulate 30 days, export them as a ticket log, fit a
scenario to the log, simulate the fit, and compare the counter queue both halls show.

    PYTHONPATH=. python benchmarks/bench_roundtrip.py [--days 30] [--reps 200] [--seeds 1 3 5 7 9]

The ticket log only sees the counter queue (no greeter, kiosk or online channel), so both
halls are compared on what it sees: the mean wait of served tickets (called - issued) and
the share of tickets that are no-shows (customers who gave up in the counter queue), each
measured on a log exported from ``--reps`` simulated days, so that the comparison itself
adds little noise. Each seed is another 30 days fitted: the mean over seeds is the fit's
bias, the range how much 30 days of one hall move it. The contract's target (§7a) is
within 10% for both.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from hallsim.calibration.roundtrip import round_trip

HALLS = sorted(Path(__file__).resolve().parent.parent.glob("scenarios/*.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30, help="days exported and fitted")
    parser.add_argument("--reps", type=int, default=200, help="days simulated to compare")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 3, 5, 7, 9])
    args = parser.parse_args()
    print(f"{'hall':12s} {'wait: mean':>10s} {'range':>13s}   {'no-shows: mean':>14s} "
          f"{'range':>13s}   (fitted / original, {len(args.seeds)} seeds)")
    for path in HALLS:
        t0 = time.perf_counter()
        ratios = np.array([round_trip(path, args.days, args.reps, seed) for seed in args.seeds])
        wait, gone = ratios[:, 0], ratios[:, 1]
        print(f"{path.stem:12s} {wait.mean():10.3f} {wait.min():6.3f}-{wait.max():.3f}   "
              f"{gone.mean():14.3f} {gone.min():6.3f}-{gone.max():.3f}   "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
