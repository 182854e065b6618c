"""Time the staffing advisor on the shipped weekday, verification on fresh days included.

    python benchmarks/bench_staff.py [--reps 20] [--verify-days 200] [--jobs 1] [--windows 8 13]

For each number of windows: the wall time of ``hallsim.advise`` (wait_probability <= 0.2,
seed 1), the staff hours, the verdicts per interval, how the ISA settled, and the gaps it
names. The shipped weekday has 8 windows, fewer than the target needs at its peaks, so that
run shows the named gap; more windows show a plan that meets it. Contract section 6a: under
30 s on one core with 200 verification days.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import hallsim


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--verify-days", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--windows", type=int, nargs="+", default=[8, 13])
    args = parser.parse_args()
    weekday = hallsim.load_scenario(Path(__file__).parent.parent / "scenarios" / "weekday.yaml")
    for windows in args.windows:
        sc = weekday.with_changes({"counters.windows": windows})
        started = time.perf_counter()
        advice = hallsim.advise(sc, {"wait_probability": 0.2}, reps=args.reps, seed=1,
                                jobs=args.jobs, verify_days=args.verify_days)
        took = time.perf_counter() - started
        doc = advice.document
        isa = doc["isa"]
        print(f"windows={windows}: {took:.1f} s (reps {args.reps}, verify days "
              f"{args.verify_days}, jobs {args.jobs}); counter staff hours "
              f"{doc['counter_staff_hours']}; verdicts {doc['verdicts']}; ISA {isa['rounds']} "
              f"rounds on up to {isa['replications']} days ({isa['simulated_days']} in all), "
              f"converged {isa['converged']}; repairs {doc['verification']['repairs']}")
        for gap in advice.gaps:
            print(f"  gap: {gap.message}")
        for note in advice.notes:
            print(f"  note: {note}")


if __name__ == "__main__":
    main()
