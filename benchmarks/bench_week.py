"""Time the week roster: 12 counter staff over the shipped city week, drafted and verified.

    python benchmarks/bench_week.py [--reps 20] [--verify-days 200] [--target service_level=0.8]
                                    [--windows 10]

Prints the wall time of ``hallsim.draft_roster`` on ``scenarios/weeks/city-week.yaml`` (its
12 people: four named full-timers, four more full-timers and four part-timers; Sunday closed)
on one core: the requirement of each open day (ISA), the one MILP over (person, day, shift),
the repair rounds and the verification of each day on fresh days, with the paid hours, the
verdict and the gaps it names.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import hallsim

WEEK = Path(__file__).parent.parent / "scenarios" / "weeks" / "city-week.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--verify-days", type=int, default=200)
    parser.add_argument("--target", default="wait_probability=0.3")
    parser.add_argument("--windows", type=int, default=8)
    parser.add_argument("--load-factor", type=float, default=0.5,
                        help="the hall's load (default 0.5: a branch half as busy as the "
                        "weekday hall, which 12 people can staff)")
    args = parser.parse_args()
    week = hallsim.load_week(WEEK).with_hall_changes({"counters.windows": args.windows,
                                                      "load_factor": args.load_factor})
    started, cpu = time.perf_counter(), time.process_time()
    draft = hallsim.draft_roster(week, args.target, reps=args.reps, seed=1,
                                 verify_days=args.verify_days)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{len(draft.people)} people, {len(week.open_days)} open days, target {args.target}, "
          f"{args.windows} windows, load factor {args.load_factor:g}: {took:.1f} s wall, {cpu:.1f} s CPU, one process (reps {args.reps}, verify days "
          f"{args.verify_days}); {draft.paid_hours:.1f} paid hours; optimal {draft.optimal}; "
          f"repairs {draft.repairs}; meets the target everywhere: {draft.meets_target}")
    for gap in draft.gaps:
        print(f"  gap: {gap.message}")


if __name__ == "__main__":
    main()
