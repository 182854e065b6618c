"""Parameter sweeps: grid, reproducibility across jobs and Dask, failures and Ctrl-C."""

import importlib.util
import subprocess
import sys

import pandas as pd
import pytest

import hallsim
from hallsim import ScenarioError, SweepFailed, SweepInterrupted, summarise, sweep
from hallsim.results.metrics import METRICS
from hallsim.scenario.overrides import parse_values

VARY = {"counters.windows": [6, 8], "loads.peak": [80, 110]}


@pytest.fixture(scope="module")
def weekday():
    return hallsim.load_scenario("scenarios/weekday.yaml")


@pytest.fixture(scope="module")
def serial(weekday):
    return sweep(weekday, VARY, reps=3, seed=5, jobs=1)


def test_grid_has_one_row_per_combination_and_replication(serial):
    """2 x 2 combinations x 3 replications; columns: varied paths, indices, metrics."""
    assert len(serial) == 12
    assert list(serial.columns) == ["counters.windows", "loads.peak", "combination",
                                    "replication", *METRICS]
    assert serial.groupby(["counters.windows", "loads.peak"]).size().tolist() == [3] * 4
    assert serial.attrs["failures"] == []


def test_parallel_run_gives_the_identical_frame(weekday, serial):
    """jobs=2 gives exactly the rows of jobs=1."""
    pd.testing.assert_frame_equal(sweep(weekday, VARY, reps=3, seed=5, jobs=2), serial)


def test_dask_local_cluster_gives_the_identical_frame(weekday, serial):
    """On a real dask.distributed LocalCluster the frame is the same as locally."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = sweep(weekday, VARY, reps=3, seed=5, client=client)
    pd.testing.assert_frame_equal(on_dask, serial)


def test_combinations_share_customers_for_each_replication(serial):
    """Common random numbers: with the same load, replication k has the same customers."""
    same_load = serial[serial["loads.peak"] == 80]
    by_rep = same_load.groupby("replication")["customers"].nunique()
    assert (by_rep == 1).all()


def test_explicit_combinations_are_accepted(weekday):
    """A list of dicts runs exactly those combinations."""
    frame = sweep(weekday, [{"counters.windows": 6}, {"counters.windows": 7, "load_factor": 1.2}],
                  reps=2, seed=1, jobs=1)
    assert frame["combination"].tolist() == [0, 0, 1, 1]
    assert frame["load_factor"].isna().tolist() == [True, True, False, False]


def test_invalid_combination_is_reported_and_the_rest_kept(weekday):
    """windows=0 fails with its parameters and reason; windows=8 still runs."""
    frame = sweep(weekday, {"counters.windows": [0, 8]}, reps=2, seed=1, jobs=1)
    assert frame["counters.windows"].tolist() == [8, 8]
    [failure] = frame.attrs["failures"]
    assert failure["counters.windows"] == 0
    assert "counters.windows: must be >= 1" in failure["reason"]


def test_unknown_path_raises_before_any_run(weekday):
    """A typo in a vary path is a ValueError with a "did you mean", before a single run."""
    ran = []
    with pytest.raises(ValueError, match=r"counters\.windoes: unknown key .*did you mean 'windows'"):
        sweep(weekday, {"counters.windoes": [7, 8]}, reps=2, jobs=1, progress=ran.append)
    with pytest.raises(ValueError, match="no item named 'erly' .did you mean 'early'"):
        sweep(weekday, [{"shifts.erly.count": 2}], reps=2, jobs=1, progress=ran.append)
    # A typo above the last part: the unknown key is named, still before any run.
    with pytest.raises(ValueError, match=r"counter\.windows: unknown key .counter. .did you mean 'counters'"):
        sweep(weekday, {"counter.windows": [7, 8]}, reps=2, jobs=1, progress=ran.append)
    with pytest.raises(ValueError, match=r"unknown key \"preproces\" .did you mean 'preprocess'"):
        sweep(weekday, {"services.plan_change.preproces.eligible": [0, 0.9]}, reps=2, jobs=1,
              progress=ran.append)
    assert ran == []


def test_a_sweep_where_every_run_fails_raises(weekday):
    """Every value refused: SweepFailed (bad input) listing each combination, no empty table."""
    with pytest.raises(SweepFailed, match="must be >= 1") as failed:
        sweep(weekday, {"counters.windows": [0, -1]}, reps=2, jobs=1)
    assert failed.value.bad_input is True
    assert [f["counters.windows"] for f in failed.value.failures] == [0, -1]


def test_counts_are_integers(serial):
    """customers, abandoned and the other counts are int64 columns; rates stay floats."""
    assert serial["customers"].dtype == "int64" and serial["turned_away"].dtype == "int64"
    assert serial["mean_wait_min"].dtype == "float64"
    if importlib.util.find_spec("xarray"):
        assert hallsim.to_xarray(serial)["customers"].dtype == "int64"


def test_summarise_gives_mean_and_ci_per_combination(serial):
    """One row per combination with the mean and the t half-width of each metric."""
    table = summarise(serial)
    assert len(table) == 4 and (table["replications"] == 3).all()
    first = serial[serial["combination"] == 0]["mean_wait_min"]
    assert table.loc[0, "mean_wait_min"] == pytest.approx(first.mean())
    assert table.loc[0, "mean_wait_min_ci95"] > 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupt_keeps_completed_rows(weekday, jobs):
    """Ctrl-C (here raised from the progress callback) stops the sweep and keeps what finished."""
    seen = {"n": 0}

    def progress(n):
        seen["n"] += n
        if seen["n"] == 3:
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted) as stop:
        sweep(weekday, {"counters.windows": [5, 6, 7, 8]}, reps=5, seed=1, jobs=jobs,
              progress=progress)
    assert 1 <= len(stop.value.partial) < 20


def test_cli_sweep_with_a_failing_combination_exits_1(tmp_path):
    """The CLI writes what completed and names the failure."""
    out = tmp_path / "s.csv"
    proc = subprocess.run([sys.executable, "-m", "hallsim", "sweep", "scenarios/low.yaml",
                           "--vary", "counters.windows=0,4", "--reps", "2", "--jobs", "1",
                           "--out", str(out)], capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "failed: counters.windows=0" in proc.stderr
    assert pd.read_csv(out)["counters.windows"].tolist() == [4, 4]


def test_cli_sweep_where_nothing_can_run_is_bad_input(tmp_path):
    """A mistyped --vary path fails every combination: exit 2, the reason, no file."""
    out = tmp_path / "s.csv"
    proc = subprocess.run([sys.executable, "-m", "hallsim", "sweep", "scenarios/low.yaml",
                           "--vary", "counters.windos=3,4", "--reps", "2", "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "counters.windos: unknown key" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_sweep_where_every_value_is_refused_is_bad_input(tmp_path):
    """--vary counters.windows=0,-1: exit 2 naming the reason; no table, no partial files."""
    out = tmp_path / "s.csv"
    proc = subprocess.run([sys.executable, "-m", "hallsim", "sweep", "scenarios/low.yaml",
                           "--vary", "counters.windows=0,-1", "--reps", "2", "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "counters.windows: must be >= 1" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_sweep_parquet(tmp_path):
    """--out x.parquet writes a parquet table when pyarrow is there."""
    pytest.importorskip("pyarrow")
    out = tmp_path / "s.parquet"
    proc = subprocess.run([sys.executable, "-m", "hallsim", "sweep", "scenarios/low.yaml",
                           "--vary", "counters.windows=3..4", "--reps", "2", "--jobs", "1",
                           "--out", str(out)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert len(pd.read_parquet(out)) == 4


@pytest.mark.parametrize("text, expected", [
    ("counters.windows=4..6", ("counters.windows", [4, 5, 6])),
    ("loads.peak=90,110", ("loads.peak", [90, 110])),
    ("shifts.early.start=09:00,10:00", ("shifts.early.start", ["09:00", "10:00"])),
])
def test_parse_vary_values(text, expected):
    """Lists, inclusive whole-number ranges, and clocks kept as strings."""
    assert parse_values(text) == expected


@pytest.mark.parametrize("bad", ["counters.windows", "counters.windows=", "x=5..2"])
def test_parse_vary_rejects_malformed(bad):
    """A --vary without values, or with an empty range, is bad input."""
    with pytest.raises(ScenarioError):
        parse_values(bad)


def test_cli_sweep_on_a_dask_scheduler(tmp_path, serial):
    """--dask ADDRESS runs the sweep on a real scheduler (loopback) with the same rows."""
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "dask.csv"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  host="127.0.0.1", protocol="tcp",
                                  dashboard_address=None) as cluster:
        proc = subprocess.run(
            [sys.executable, "-m", "hallsim", "sweep", "scenarios/weekday.yaml",
             "--vary", "counters.windows=6,8", "--vary", "loads.peak=80,110", "--reps", "3",
             "--seed", "5", "--dask", cluster.scheduler_address, "--out", str(out)],
            capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    pd.testing.assert_frame_equal(pd.read_csv(out), pd.read_csv(_csv(serial, tmp_path)))


def _csv(frame, tmp_path):
    path = tmp_path / "serial.csv"
    frame.to_csv(path, index=False)
    return path
