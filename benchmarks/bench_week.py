"""Time the week roster: 12 counter staff over the shipped city week, drafted and verified.

    python benchmarks/bench_week.py [--reps 20] [--verify-days 200] [--target wait_probability=0.3]
                                    [--load-factor 1] [--windows N]

Prints the wall and CPU time of ``hallsim.draft_roster`` on ``scenarios/weeks/city-week.yaml``
as shipped (its 12 people: four named full-timers, four more full-timers and four
part-timers; the weekday hall at its own load and windows; Sunday closed) in one process
(``jobs=1``: one core): the requirement of each kind of open day (ISA), the one MILP over
(person, day, shift), the repair rounds and the verification of each day on 200 fresh days,
with the paid hours, the verdict and the gaps it names. The load average is printed before
and after: on a shared machine the wall time counts other work too, the CPU time does not.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # this checkout's hallsim

import hallsim  # noqa: E402

WEEK = Path(__file__).parent.parent / "scenarios" / "weeks" / "city-week.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--verify-days", type=int, default=200)
    parser.add_argument("--target", default="wait_probability=0.3")
    parser.add_argument("--windows", type=int, default=None,
                        help="counter windows (default: the hall's own)")
    parser.add_argument("--load-factor", type=float, default=1.0,
                        help="the hall's load (default 1: as shipped)")
    args = parser.parse_args()
    changes: dict[str, float] = {"load_factor": args.load_factor}
    if args.windows is not None:
        changes["counters.windows"] = args.windows
    week = hallsim.load_week(WEEK).with_hall_changes(changes)
    before = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    draft = hallsim.draft_roster(week, args.target, reps=args.reps, seed=1,
                                 verify_days=args.verify_days)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{len(draft.people)} people, {len(week.open_days)} open days, target {args.target}, "
          f"{week.hall.counters.windows} windows, load factor {args.load_factor:g}: "
          f"{took:.1f} s wall, {cpu:.1f} s CPU, one process (reps {args.reps}, verify days "
          f"{args.verify_days}); load average {before:.1f} before, {os.getloadavg()[0]:.1f} "
          f"after; {draft.paid_hours:.1f} paid hours; optimal {draft.optimal}; repairs "
          f"{draft.repairs}; meets the target everywhere: {draft.meets_target}")
    for gap in draft.gaps:
        print(f"  gap: {gap.message}")


if __name__ == "__main__":
    main()
