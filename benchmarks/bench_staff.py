"""Time the staffing advisor on the shipped weekday, verification included.

    python benchmarks/bench_staff.py [--reps 20] [--jobs 1] [--windows 8 13]

For each number of windows: the wall time of ``hallsim.advise`` (wait_probability <= 0.2,
seed 1), the staff hours, how many intervals after the first meet the target within their
CI, and the gaps it names. The shipped weekday has 8 windows, fewer than the target needs
at its peaks, so that run shows the named gap; more windows show a plan that meets it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import hallsim


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--windows", type=int, nargs="+", default=[8, 13])
    args = parser.parse_args()
    weekday = hallsim.load_scenario(Path(__file__).parent.parent / "scenarios" / "weekday.yaml")
    for windows in args.windows:
        sc = weekday.with_changes({"counters.windows": windows})
        started = time.perf_counter()
        advice = hallsim.advise(sc, {"wait_probability": 0.2}, reps=args.reps, seed=1,
                                jobs=args.jobs)
        took = time.perf_counter() - started
        meets = advice.intervals["meets"].to_numpy()
        doc = advice.document
        print(f"windows={windows}: {took:.1f} s (reps {args.reps}, jobs {args.jobs}); "
              f"counter staff hours {doc['counter_staff_hours']}; "
              f"intervals after the first meeting the target: {int(meets[1:].sum())}/"
              f"{len(meets) - 1}; ISA rounds {doc['isa']['iterations']}, repairs {doc['repairs']}")
        for gap in advice.gaps:
            print(f"  gap: {gap.message}")


if __name__ == "__main__":
    main()
