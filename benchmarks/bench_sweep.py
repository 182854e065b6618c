"""Time a 1,000-run sweep of the weekday scenario on 1 process, on 2, and on a 2-worker Dask
LocalCluster; check that the tables are identical.

    python benchmarks/bench_sweep.py [--runs 1000] [--dask] [--repeat 3]

For each set-up it prints the wall time (median of the repeats), the CPU time per run (the
parent plus its worker processes), and the speed-up over one process. On a machine whose
cores other jobs share, wall-clock speed-ups say more about the neighbours than about
hallsim: read the CPU per run (the work done, overhead included) and the machine's load
average, printed first, beside them. The 2-process target (1.8x) needs two idle cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's hallsim, whichever is installed

import hallsim  # noqa: E402


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(run) -> tuple[pd.DataFrame, float, float]:
    cpu, wall = cpu_seconds(), time.perf_counter()
    frame = run()
    extra = 0.0
    if isinstance(frame, tuple):  # Dask: the workers' CPU, measured by the set-up
        frame, extra = frame
    return frame, time.perf_counter() - wall, cpu_seconds() - cpu + extra


class DaskSetup:
    """A 2-worker LocalCluster started once, outside the timings (its start-up is printed
    apart); its workers' CPU is read with psutil, as they outlive each sweep."""

    def __init__(self, scenario, vary, reps):
        import psutil
        from distributed import Client, LocalCluster

        started = time.perf_counter()
        self.cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
        self.client = Client(self.cluster)
        self.startup = time.perf_counter() - started
        self.psutil = psutil
        self.args = scenario, vary, reps

    def worker_cpu(self) -> float:
        total = 0.0
        for child in self.psutil.Process().children(recursive=True):
            try:
                times = child.cpu_times()
            except self.psutil.Error:
                continue
            total += times.user + times.system
        return total

    def __call__(self) -> tuple[pd.DataFrame, float]:
        scenario, vary, reps = self.args
        before = self.worker_cpu()
        frame = hallsim.sweep(scenario, vary, reps=reps, seed=1, client=self.client)
        return frame, self.worker_cpu() - before

    def close(self) -> None:
        self.client.close()
        self.cluster.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dask", action="store_true", help="also time a 2-worker LocalCluster")
    args = parser.parse_args()
    scenario = hallsim.load_scenario(ROOT / "scenarios" / "weekday.yaml")
    vary = {"counters.windows": [6, 7, 8, 9, 10], "loads.peak": [80, 100]}
    reps = max(1, args.runs // 10)
    setups = {"1 process": lambda: hallsim.sweep(scenario, vary, reps=reps, seed=1, jobs=1),
              "2 processes": lambda: hallsim.sweep(scenario, vary, reps=reps, seed=1, jobs=2)}
    dask = DaskSetup(scenario, vary, reps) if args.dask else None
    if dask is not None:
        setups["Dask, 2 workers"] = dask
        print(f"Dask LocalCluster (2 workers, 1 thread each) started in {dask.startup:.1f} s, "
              "not counted below")
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
          f"(other jobs: wall times below are shared with them)")
    walls: dict[str, list[float]] = {name: [] for name in setups}
    cpus: dict[str, list[float]] = {name: [] for name in setups}
    frames = {}
    for _ in range(args.repeat):  # interleaved, so a burst of other load hits every set-up
        for name, run in setups.items():
            frames[name], wall, cpu = timed(run)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base = statistics.median(walls["1 process"])
    base_cpu = statistics.median(cpus["1 process"])
    for name in setups:
        pd.testing.assert_frame_equal(frames[name], frames["1 process"])
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        runs = len(frames[name])
        print(f"{name:>16}: {runs} runs, wall {wall:.2f} s (speed-up {base / wall:.2f}x), "
              f"CPU {1000 * cpu / runs:.2f} ms per run ({base_cpu / cpu:.0%} CPU efficiency)")
    print("tables identical to 1 process: yes")
    if dask is not None:
        dask.close()


if __name__ == "__main__":
    main()
