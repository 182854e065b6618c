"""Speed of hallsim beside a minimal SimPy model and Ciw, measured side by side.

    pip install ciw==3.2.7          # optional: the Ciw comparison (benchmark-only)
    python benchmarks/bench.py [--repeats 7] [--days 10]

In one process and interleaved (so machine noise hits all alike), it times:
  (a) hallsim on an M/M/5 scenario at 90% utilisation (arrivals 1.8/min, mean service
      2.5 min; no triage, no kiosks, patience none, constant staff), through the public
      API, per-customer records and metrics included;
  (b) a minimal idiomatic SimPy model of the same queue (one Resource, one process per
      customer, waits recorded): the floor;
  (c) Ciw on the same model, if installed;
  (d) the full weekday scenario (triage, kiosks, pre-processing, abandonment, flex);
  (e) the zoned branch (three counter groups, a floating clerk, flex between groups,
      appointments, the greeter's queue limit).
Each is run on --days 24-hour days per repeat; medians over repeats are reported as
customers per second, with the ratios hallsim/floor and hallsim/Ciw (time per customer).
Times are the process's CPU time (``time.process_time``), not the wall clock: on a shared
machine the wall clock also counts the time other jobs held the cores.
Then the peak memory of one million customers through hallsim, in a fresh process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import simpy

import hallsim

LAM, MEAN, SERVERS, HOURS = 1.8, 2.5, 5, 24
ROOT = Path(__file__).resolve().parent.parent


def mmc_scenario() -> hallsim.Scenario:
    return hallsim.Scenario.from_dict({
        "name": "mm5", "hours": {"open": "00:00", "close": "24:00"},
        "profile": [{"from": "00:00", "to": "24:00", "rate": LAM * 60}],
        "services": [{"name": "any", "share": 1,
                      "counter_minutes": {"dist": "exponential", "mean": MEAN}}],
        "counters": {"windows": SERVERS},
        "shifts": [{"name": "all", "role": "counter", "start": "00:00", "end": "24:00",
                    "count": SERVERS}],
    })


def run_hallsim(scenario: hallsim.Scenario, days: int, seed: int) -> int:
    customers = 0
    for k in range(days):
        day = hallsim.runs.simulation.run_day(scenario, seed, k)
        customers += int(day.metrics["customers"])
    return customers


def _floor_customer(env: simpy.Environment, counter: simpy.Resource,
                    rng: np.random.Generator, waits: list[float]):
    arrived = env.now
    with counter.request() as request:
        yield request
        waits.append(env.now - arrived)
        yield env.timeout(rng.exponential(MEAN))


def _floor_source(env: simpy.Environment, counter: simpy.Resource, rng: np.random.Generator,
                  waits: list[float]):
    while True:
        yield env.timeout(rng.exponential(1 / LAM))
        if env.now >= HOURS * 60.0:
            return
        env.process(_floor_customer(env, counter, rng, waits))


def run_simpy_floor(days: int, seed: int) -> int:
    """The idiomatic SimPy M/M/c: one Resource, one process per customer, waits recorded."""
    customers = 0
    for k in range(days):
        env = simpy.Environment()
        waits: list[float] = []
        env.process(_floor_source(env, simpy.Resource(env, SERVERS),
                                  np.random.default_rng([seed, k]), waits))
        env.run()
        customers += len(waits)
    return customers


def run_ciw(days: int, seed: int) -> int:
    import ciw

    customers = 0
    for k in range(days):
        network = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(rate=LAM)],
            service_distributions=[ciw.dists.Exponential(rate=1 / MEAN)],
            number_of_servers=[SERVERS])
        ciw.seed(seed * 1000 + k)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(HOURS * 60.0)
        customers += len(sim.get_all_records())
    return customers


def memory_of_a_million() -> str:
    """Peak resident memory of a fresh process simulating ~1,000,000 customers."""
    code = """
import resource, hallsim
sc = hallsim.Scenario.from_dict({
    "name": "big", "hours": {"open": "00:00", "close": "24:00"},
    "profile": [{"from": "00:00", "to": "24:00", "rate": 41667}],
    "services": [{"name": "any", "share": 1,
                  "counter_minutes": {"dist": "exponential", "mean": 0.12}}],
    "counters": {"windows": 100},
    "shifts": [{"name": "all", "role": "counter", "start": "00:00", "end": "24:00",
                "count": 100}]})
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
day = hallsim.simulate(sc, seed=1)
n = int(day.metrics["customers"])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{n} customers: peak RSS {peak / 1024:.0f} MB (of which {base / 1024:.0f} MB "
      f"is Python and the libraries before simulating)")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()

    mmc = mmc_scenario()
    weekday = hallsim.load_scenario(ROOT / "scenarios" / "weekday.yaml")
    zones = hallsim.load_scenario(ROOT / "scenarios" / "branch-zones.yaml")
    contenders = {
        "hallsim M/M/5": lambda s: run_hallsim(mmc, args.days, s),
        "SimPy floor M/M/5": lambda s: run_simpy_floor(args.days, s),
        "hallsim weekday": lambda s: run_hallsim(weekday, args.days * 5, s),
        "hallsim zones": lambda s: run_hallsim(zones, args.days * 5, s),
    }
    try:
        import ciw  # noqa: F401

        contenders["Ciw M/M/5"] = lambda s: run_ciw(args.days, s)
    except ImportError:
        print("(Ciw not installed: pip install ciw==3.2.7 to compare with it)")

    per_customer: dict[str, list[float]] = {name: [] for name in contenders}
    for repeat in range(args.repeats):
        for name, run in contenders.items():  # interleaved
            started = time.process_time()
            customers = run(repeat + 1)
            per_customer[name].append((time.process_time() - started) / customers)

    median = {name: statistics.median(times) for name, times in per_customer.items()}
    print(f"{'model':<20} {'customers/s':>12}   (CPU time, median of {args.repeats} repeats)")
    for name, t in median.items():
        print(f"{name:<20} {1 / t:>12,.0f}")
    print(f"hallsim / SimPy floor (time per customer): "
          f"{median['hallsim M/M/5'] / median['SimPy floor M/M/5']:.2f}")
    floor = median["SimPy floor M/M/5"]
    print(f"weekday rate / SimPy floor rate:           {floor / median['hallsim weekday']:.2f}")
    print(f"zoned branch rate / SimPy floor rate:      {floor / median['hallsim zones']:.2f}")
    if "Ciw M/M/5" in median:
        print(f"hallsim / Ciw         (time per customer): "
              f"{median['hallsim M/M/5'] / median['Ciw M/M/5']:.2f}")
        print(f"Ciw / SimPy floor     (time per customer): "
              f"{median['Ciw M/M/5'] / median['SimPy floor M/M/5']:.2f}")
    if not args.no_memory:
        print(memory_of_a_million())


if __name__ == "__main__":
    main()
