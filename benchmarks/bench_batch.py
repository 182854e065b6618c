"""Time ``hallsim batch`` on a local Dask cluster: one worker against two.

    python benchmarks/bench_batch.py [--halls 50] [--reps 4] [--workers 1 2]

Writes ``--halls`` copies of the shipped weekday (each its own name: small halls, a few
simulated days each, so the whole run takes minutes) to a scratch folder, runs ``hallsim
batch`` over it with each number of workers (a fresh output folder each time, cluster
start-up and every hall's report included) and prints, per run, the wall time, the speed-up
over the first, the CPU the batch used (its processes and workers together) and the load
average before and after: on a shared machine other work takes cores too, so a speed-up is
only worth reading at a low load.
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

ROOT = Path(__file__).resolve().parent.parent
WEEKDAY = ROOT / "scenarios" / "weekday.yaml"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--halls", type=int, default=50)
    parser.add_argument("--reps", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    text = WEEKDAY.read_text(encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "halls"
        folder.mkdir()
        for i in range(args.halls):
            (folder / f"hall{i:03d}.yaml").write_text(
                text.replace("name: weekday", f"name: hall{i:03d}", 1), encoding="utf-8")
        times = {}
        for workers in args.workers:
            out = Path(scratch) / f"out{workers}"
            load, cpu, started = os.getloadavg()[0], children_cpu(), time.perf_counter()
            subprocess.run([sys.executable, "-m", "hallsim", "batch", str(folder), "--reps",
                            str(args.reps), "--workers", str(workers), "--out", str(out)],
                           check=True, capture_output=True, env=env)
            times[workers] = time.perf_counter() - started
            base = times[args.workers[0]]
            print(f"{args.halls} halls, reps {args.reps}, {workers} worker(s): "
                  f"{times[workers]:.1f} s wall (speed-up {base / times[workers]:.2f}x), "
                  f"{children_cpu() - cpu:.1f} s CPU; load average {load:.1f} before, "
                  f"{os.getloadavg()[0]:.1f} after", flush=True)


if __name__ == "__main__":
    main()
