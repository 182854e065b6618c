"""Crashes, signals and concurrent use: dead workers, a full disk, Ctrl-C/SIGTERM mid-sweep,
a killed parent, two runs into one folder. Children report readiness on a pipe: no sleeps."""

from __future__ import annotations

import errno
import fcntl
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import hallsim
from hallsim import ScenarioError
from hallsim.cli import main
from hallsim.output import outfiles
from hallsim.output.location import claim, lock_path
from hallsim.runs import sweep as sweep_module
from hallsim.runs.workers import WorkerPool

from .helpers import tiny

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "scenarios" / "low.yaml"


def _kill_first_time(marker: Path, windows: int):
    """A sweep worker function that kills its own process the first time it meets
    ``counters.windows == windows`` (replication 0), and runs normally otherwise."""
    real = sweep_module._run

    def run(raw, origin, key, seed, replication):
        if raw["counters"]["windows"] == windows and replication == 0 and not marker.exists():
            marker.write_text("died once")
            os.kill(os.getpid(), signal.SIGKILL)
        return real(raw, origin, key, seed, replication)

    return run


def test_a_worker_killed_once_costs_nothing(tmp_path, monkeypatch):
    """kill -9 on a worker mid-run: its run is retried on a fresh worker; results are exact."""
    sc = tiny()
    expected = hallsim.sweep(sc, {"counters.windows": [1, 2]}, reps=2, seed=4, jobs=1)
    monkeypatch.setattr(sweep_module, "_run", _kill_first_time(tmp_path / "marker", 2))
    got = hallsim.sweep(sc, {"counters.windows": [1, 2]}, reps=2, seed=4, jobs=2)
    assert (tmp_path / "marker").exists()
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["failures"] == []


def test_a_run_that_kills_its_worker_every_time_fails_alone(monkeypatch):
    """A run whose worker dies twice is reported failed with the reason; the pool carries on."""
    real = sweep_module._run

    def run(raw, origin, key, seed, replication):
        if raw["counters"]["windows"] == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(raw, origin, key, seed, replication)

    monkeypatch.setattr(sweep_module, "_run", run)
    got = hallsim.sweep(tiny(), {"counters.windows": [1, 2, 3]}, reps=2, seed=4, jobs=2)
    assert sorted(set(got["counters.windows"])) == [1, 3] and len(got) == 4
    [failure] = got.attrs["failures"]
    assert failure["counters.windows"] == 2
    assert "killed by SIGKILL" in failure["reason"] and "tried 2 times" in failure["reason"]


def test_the_pool_draws_tasks_only_as_workers_free_up():
    """Submission is bounded: after n results, at most n + jobs tasks were ever drawn."""
    drawn = []

    def tasks():
        k = 0
        while True:  # endless: a pool that drew everything up front would never return
            drawn.append(k)
            yield k, (k,)
            k += 1

    with WorkerPool(abs, jobs=2) as pool:
        outcomes = []
        for key, value in pool.run(tasks()):
            outcomes.append((key, value))
            if len(outcomes) == 5:
                break
    assert all(key == value for key, value in outcomes)
    assert len(drawn) <= 5 + 2


def test_disk_full_leaves_no_half_file(tmp_path, monkeypatch):
    """ENOSPC while writing: a clear message naming the file, and no file or temp left."""

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outfiles, "write_bytes", full)
    target = tmp_path / "table.csv"
    with pytest.raises(ScenarioError, match=r"table\.csv: cannot write: the disk is full"):
        outfiles.write_atomic(target, b"a,b\n1,2\n")
    assert list(tmp_path.iterdir()) == []


def _no_drawing(monkeypatch):
    """Skip rendering plots (slow, and beside the point of these tests)."""
    import matplotlib.pyplot as plt

    from hallsim.output import plots

    monkeypatch.setattr(plots, "render", lambda fig: (plt.close(fig), plots.Picture(b"PNG"))[1])


def test_disk_full_in_the_cli_exits_2_without_a_traceback(tmp_path, monkeypatch, capsys):
    """run --out on a full disk: exit 2, the path and reason, no report folder left behind."""
    _no_drawing(monkeypatch)
    monkeypatch.setattr(outfiles, "write_bytes",
                        lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    status = main(["run", str(SMALL), "--reps", "1", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2 and "the disk is full" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_busy_folder_is_refused_before_simulating(tmp_path, capsys):
    """While another run holds a folder's lock, a run into it (or inside it) exits 2 at
    once, naming the folder; once the lock is released the folder is free again."""
    out = tmp_path / "out"
    fd = os.open(lock_path(out), os.O_RDWR | os.O_CREAT)  # another process's lock, in effect
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        status = main(["run", str(SMALL), "--reps", "1", "--out", str(out / "inner")])
        err = capsys.readouterr().err
        assert status == 2 and "another hallsim run is writing" in err and str(out) in err
        with pytest.raises(ScenarioError, match="another hallsim run is writing"), claim(out):
            pass
    finally:
        os.close(fd)
    with claim(out):
        assert lock_path(out).exists()
    assert not lock_path(out).exists()


def test_a_run_swaps_in_a_whole_folder_and_a_manifest(tmp_path, monkeypatch):
    """Output folders hold one run: stale files vanish, manifest.json checksums every file."""
    _no_drawing(monkeypatch)
    import hashlib
    import json

    from hallsim.output.report import write_run_report

    out = tmp_path / "out"
    result = hallsim.replicate(tiny(), reps=2, seed=1)
    write_run_report(result, out)
    (out / "stale.png").write_bytes(b"from another run")
    doc = json.loads((out / "manifest.json").read_text())
    assert doc["seed"] == 1 and doc["replications"] == 2 and doc["hallsim"] == hallsim.__version__
    assert doc["scenarios"]["scenario"]["name"] == "tiny"
    # a folder with a file the manifest does not list is not ours to replace: written in place
    write_run_report(result, out)
    assert (out / "stale.png").exists()
    (out / "stale.png").unlink()
    write_run_report(hallsim.replicate(tiny(), reps=3, seed=1), out)
    doc = json.loads((out / "manifest.json").read_text())
    assert doc["replications"] == 3
    assert set(doc["files"]) == {p.name for p in out.iterdir()} - {"manifest.json"}
    for name, entry in doc["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _read_lines(fd: int, n: int, timeout: float = 120) -> list[str]:
    """Read ``n`` lines a child writes on a pipe when it is ready (bounded wait, no sleep)."""
    buffer = b""
    while buffer.count(b"\n") < n:
        readable, _, _ = select.select([fd], [], [], timeout)
        assert readable, f"child not ready after {timeout} s; got {buffer!r}"
        chunk = os.read(fd, 4096)
        assert chunk, f"child closed the pipe early; got {buffer!r}"
        buffer += chunk
    return buffer.decode().splitlines()[:n]


# The child: a CLI sweep whose runs from replication 2 on announce themselves and block.
_BLOCKING_SWEEP = """
import os, signal, sys
from hallsim.runs import sweep as s
ready = int(sys.argv[1])
real = s._run
def run(raw, origin, key, seed, replication):
    if replication >= 2:
        os.write(ready, b"blocked\\n")
        signal.pause()
    return real(raw, origin, key, seed, replication)
s._run = run
from hallsim.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_sweep_keeps_finished_rows_and_resumes(tmp_path, signum, capsys):
    """Ctrl-C or SIGTERM mid-sweep: exit 130, finished rows kept in <out>.partial.csv, no
    <out>; --resume runs only the rest and gives the same table as an uninterrupted sweep."""
    out = tmp_path / "sweep.csv"
    args = ["sweep", str(SMALL), "--vary", "counters.windows=3,4", "--reps", "3", "--seed", "5",
            "--out", str(out)]
    read, write = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", _BLOCKING_SWEEP, str(write), *args, "--jobs",
                              "2"], pass_fds=[write], stderr=subprocess.PIPE, text=True,
                             env=_env(), preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                                         signal.SIG_DFL))
    os.close(write)
    try:
        assert _read_lines(read, 2) == ["blocked", "blocked"]  # both workers stuck, 4 rows done
        child.send_signal(signum)
        _, err = child.communicate(timeout=120)
    finally:
        os.close(read)
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130, err
    assert "Traceback" not in err and "--resume" in err
    assert not out.exists()
    partial = pd.read_csv(tmp_path / "sweep.partial.csv")
    assert sorted(zip(partial["combination"], partial["replication"], strict=True)) == [
        (0, 0), (0, 1), (1, 0), (1, 1)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.partial.csv", "sweep.partial.json"]

    assert main([*args, "--jobs", "1"]) == 2  # refuses to overwrite the partial rows
    assert "add --resume" in capsys.readouterr().err
    assert main([*args, "--jobs", "1", "--resume"]) == 0
    fresh = tmp_path / "fresh.csv"
    assert main([*args[:-1], str(fresh), "--jobs", "1"]) == 0
    assert out.read_bytes() == fresh.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.csv", "sweep.csv"]


_POOL_THEN_WAIT = """
import os, signal, sys
from hallsim.runs.workers import WorkerPool
ready = int(sys.argv[1])
def announce(k):
    os.write(ready, f"{os.getpid()}\\n".encode())
    signal.pause()
with WorkerPool(announce, jobs=2) as pool:
    for _ in pool.run((k, (k,)) for k in range(2)):
        pass
"""


def test_workers_exit_when_their_parent_is_killed(tmp_path):
    """kill -9 on the parent of a pool: its workers, busy or not, do not live on."""
    read, write = os.pipe()
    parent = subprocess.Popen([sys.executable, "-c", _POOL_THEN_WAIT, str(write)],
                              pass_fds=[write], env=_env())
    os.close(write)
    try:
        pids = [int(line) for line in _read_lines(read, 2)]
    finally:
        os.close(read)
    handles = [os.pidfd_open(pid) for pid in pids]
    parent.kill()
    parent.wait(timeout=60)
    for handle in handles:
        readable, _, _ = select.select([handle], [], [], 60)
        assert readable, "a worker outlived its parent"
        os.close(handle)


_BLOCKING_WRITE = """
import os, signal, sys
from hallsim.output import outfiles
ready = int(sys.argv[1])
real = outfiles.write_bytes
calls = []
def write(fd, data):
    calls.append(1)
    if len(calls) == 3:
        os.write(ready, b"writing\\n")
        signal.pause()
    real(fd, data)
outfiles.write_bytes = write
from hallsim.output import plots
plots.render = lambda fig: (plots.plt.close(fig), plots.Picture(b"png"))[1]
from hallsim.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_sigterm_while_writing_leaves_no_temporary_files(tmp_path):
    """SIGTERM in the middle of writing a report: exit 130, no temp file, folder or lock."""
    read, write = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", _BLOCKING_WRITE, str(write), "run",
                              str(SMALL), "--reps", "1", "--out", str(tmp_path / "out")],
                             pass_fds=[write], stderr=subprocess.PIPE, text=True, env=_env())
    os.close(write)
    try:
        assert _read_lines(read, 1) == ["writing"]
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
    finally:
        os.close(read)
    assert child.returncode == 130 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_staging_folders_left_by_a_killed_run_are_cleared(tmp_path, monkeypatch):
    """A run killed with -9 leaves .NAME.xxxxxxxx.tmp beside its folder; the next run into
    that folder removes it, and nothing that merely looks alike."""
    _no_drawing(monkeypatch)
    from hallsim.output.report import write_run_report

    stale = tmp_path / ".out.k1ll3d_x.tmp"
    (stale / "deep").mkdir(parents=True)
    unrelated = tmp_path / ".out.csv.abcdefgh.tmp"
    unrelated.mkdir()
    write_run_report(hallsim.replicate(tiny(), reps=1, seed=1), tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.csv.abcdefgh.tmp", "out"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_replicate_can_keep_only_metrics(jobs):
    """keep_records=False gives the same summary and runs, holding no customer records."""
    full = hallsim.replicate(tiny(), reps=3, seed=2, jobs=1)
    lean = hallsim.replicate(tiny(), reps=3, seed=2, jobs=jobs, keep_records=False)
    assert lean.summary == full.summary
    pd.testing.assert_frame_equal(lean.runs, full.runs)
    assert all(day.scenario is lean.scenario for day in lean.days)
    with pytest.raises(ValueError, match="kept only its metrics"):
        _ = lean.customers


def _die_on(marker_dir: str, doomed: int, every_time: bool, k: int) -> int:
    """A pool function: squares k, but kills its own process on task ``doomed`` (the first
    time only, unless ``every_time``)."""
    marker = Path(marker_dir) / "died"
    if k == doomed and (every_time or not marker.exists()):
        marker.write_text("died")
        os.kill(os.getpid(), signal.SIGKILL)
    return k * k


@pytest.mark.parametrize("every_time", [False, True])
def test_a_worker_killed_inside_a_chunk_costs_only_its_task(tmp_path, every_time):
    """Chunks of 4: a worker dies on task 5 (the second of its chunk). Tasks it finished are
    kept, the rest of its chunk run elsewhere, task 5 is retried once; if it kills its
    worker again, it alone fails."""
    import functools

    fn = functools.partial(_die_on, str(tmp_path), 5, every_time)
    with WorkerPool(fn, jobs=2, chunk=4) as pool:
        outcomes = dict(pool.run((k, (k,)) for k in range(12)))
    assert sorted(outcomes) == list(range(12))
    assert {k: v for k, v in outcomes.items() if k != 5} == {k: k * k for k in range(12) if k != 5}
    if every_time:
        assert "killed by SIGKILL" in str(outcomes[5]) and "tried 2 times" in str(outcomes[5])
    else:
        assert outcomes[5] == 25


def test_chunks_are_sized_from_the_measured_time_per_task():
    """One task until one is timed; then about 0.1 s of work per chunk (10 ms tasks: 10),
    never above 256, and near the end small enough to keep both workers busy."""
    from hallsim.runs.workers import ChunkSizer

    sizer = ChunkSizer(None, jobs=2, total=1000)
    assert sizer.size() == 1
    sizer.observe(0.010)
    assert sizer.size() == 10
    sizer.observe(0.0)
    assert sizer.size() == 20             # the mean is now 5 ms
    sizer.drawn = 990
    assert sizer.size() == 2              # 10 left for 2 workers: no chunk takes them all
    fast = ChunkSizer(None, jobs=2, total=None)
    fast.observe(1e-7)
    assert fast.size() == 256
    assert ChunkSizer(3, jobs=2, total=None).size() == 3
