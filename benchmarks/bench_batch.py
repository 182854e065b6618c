"""Time ``hallsim batch`` on a local Dask cluster: one worker against two.

    python benchmarks/bench_batch.py [--halls 50] [--reps 10] [--workers 1 2]

Writes ``--halls`` copies of the shipped weekday (each its own name) to a scratch folder,
runs ``hallsim batch`` over it with each number of workers (a fresh output folder each
time, cluster start-up included) and prints the wall times and the speed-up over the first.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WEEKDAY = Path(__file__).parent.parent / "scenarios" / "weekday.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--halls", type=int, default=50)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    text = WEEKDAY.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "halls"
        folder.mkdir()
        for i in range(args.halls):
            (folder / f"hall{i:03d}.yaml").write_text(
                text.replace("name: weekday", f"name: hall{i:03d}", 1), encoding="utf-8")
        times = {}
        for workers in args.workers:
            out = Path(scratch) / f"out{workers}"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "hallsim", "batch", str(folder), "--reps",
                            str(args.reps), "--workers", str(workers), "--out", str(out)],
                           check=True, capture_output=True)
            times[workers] = time.perf_counter() - started
            base = times[args.workers[0]]
            print(f"{args.halls} halls, reps {args.reps}, {workers} worker(s): "
                  f"{times[workers]:.1f} s (speed-up {base / times[workers]:.2f}x)")


if __name__ == "__main__":
    main()
