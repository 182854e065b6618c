"""Time a 1,000-run sweep of the weekday scenario on 1 process and on 2.

    python benchmarks/bench_sweep.py [--runs 1000]

Prints wall time for each and the speed-up. Results are identical (checked).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

import hallsim


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    scenario = hallsim.load_scenario(Path(__file__).parent.parent / "scenarios" / "weekday.yaml")
    vary = {"counters.windows": [6, 7, 8, 9, 10], "loads.peak": [80, 100]}
    reps = max(1, args.runs // 10)
    frames, times = {}, {}
    for jobs in (1, 2):
        started = time.perf_counter()
        frames[jobs] = hallsim.sweep(scenario, vary, reps=reps, seed=1, jobs=jobs)
        times[jobs] = time.perf_counter() - started
        print(f"jobs={jobs}: {len(frames[jobs])} runs in {times[jobs]:.1f} s "
              f"({len(frames[jobs]) / times[jobs]:.0f} runs/s)")
    pd.testing.assert_frame_equal(frames[1], frames[2])
    print(f"speed-up on 2 processes: {times[1] / times[2]:.2f}x "
          f"(2-process time is {times[2] / times[1]:.0%} of 1-process time)")


if __name__ == "__main__":
    main()
