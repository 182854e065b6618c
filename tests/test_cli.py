"""The command line: run and validate, as a user types them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIOS = sorted(Path("scenarios").glob("*.yaml"))


def hallsim(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "hallsim", *args], capture_output=True,
                          text=True, check=False, cwd=cwd)


def test_run_json_prints_only_the_summary_document():
    """--json: stdout is exactly one JSON document with the 17 contract metrics, turned_away,
    idle_staff_hours, and promoter_rate and nps last."""
    proc = hallsim("run", "scenarios/weekday.yaml", "--reps", "2", "--seed", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert (doc["scenario"], doc["seed"], doc["replications"]) == ("weekday", 3, 2)
    assert len(doc["metrics"]) == 21 and {"turned_away", "idle_staff_hours"} <= set(doc["metrics"])
    assert list(doc["metrics"])[-2:] == ["promoter_rate", "nps"]


def test_run_prints_a_table_and_applies_overrides():
    """Without --json a table is printed; --set changes the scenario."""
    base = hallsim("run", "scenarios/weekday.yaml", "--reps", "2", "--json")
    fewer = hallsim("run", "scenarios/weekday.yaml", "--reps", "2", "--json",
                    "--set", "counters.windows=5", "--set", "shifts.late.count=1")
    wait = [json.loads(p.stdout)["metrics"]["mean_wait_min"]["mean"] for p in (base, fewer)]
    assert wait[1] > wait[0]
    table = hallsim("run", "scenarios/weekday.yaml", "--reps", "2")
    assert "mean wait" in table.stdout and "± 95% CI" in table.stdout


def test_bad_override_is_bad_input():
    """A --set that breaks the scenario exits 2 with the field named."""
    proc = hallsim("run", "scenarios/weekday.yaml", "--set", "counters.windows=-1")
    assert proc.returncode == 2
    assert "counters.windows: must be >= 1" in proc.stderr


@pytest.mark.parametrize("args", [["--reps", "zero"], ["--reps", "0"], ["--seed", "-1"],
                                  ["--jobs", "-1"]])
def test_bad_arguments_exit_2(args):
    """argparse errors (bad --reps, --seed, --jobs) are bad input too, named on stderr."""
    proc = hallsim("run", "scenarios/weekday.yaml", *args)
    assert proc.returncode == 2
    assert f"argument {args[0]}" in proc.stderr


def test_validate_accepts_every_shipped_scenario():
    """hallsim validate on the shipped scenarios: all ok, exit 0."""
    proc = hallsim("validate", *map(str, SCENARIOS))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(": ok (") == len(SCENARIOS)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_shipped_scenario_loads_and_runs(path):
    """Each shipped scenario simulates a plausible day for a mid-size hall."""
    import hallsim as hs

    m = hs.replicate(hs.load_scenario(path), reps=2, seed=1).summary["metrics"]
    assert 250 <= m["customers"]["mean"] <= 1100
    assert m["served_counter"]["mean"] > 0
    assert m["abandon_rate"]["mean"] < 0.2
    assert 0 < m["counter_utilisation"]["mean"] <= 1
