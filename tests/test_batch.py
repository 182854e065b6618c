"""hallsim batch (contract section 10): every hall in a folder on a local Dask cluster, one
row each in batch.csv, a folder per hall, and --resume finishing only what is missing."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

TINY = {
    "hours": {"open": "09:00", "close": "12:00"},
    "profile": [{"from": "09:00", "to": "12:00", "rate": 30}],
    "services": [{"name": "any", "share": 1.0,
                  "counter_minutes": {"dist": "exponential", "mean": 5}}],
    "counters": {"windows": 4}, "interval_minutes": 60,
    "shifts": [{"name": "c", "role": "counter", "start": "09:00", "end": "12:00", "count": 3}],
}


def folder_of_halls(tmp_path: Path, halls: int = 2, week: bool = True, bad: bool = True) -> Path:
    folder = tmp_path / "halls"
    folder.mkdir()
    for i in range(1, halls + 1):
        (folder / f"hall{i}.yaml").write_text(yaml.safe_dump({"name": f"hall{i}", **TINY}),
                                              encoding="utf-8")
    if week:
        (folder / "week.yaml").write_text(yaml.safe_dump({
            "name": "the-week", "hall": "hall1.yaml", "days": {"sun": {"closed": True}},
            "staff": [{"name": "p", "count": 3, "weekly_hours": [6, 15], "days_off": 2}],
            "rules": {"min_shift_hours": 2, "max_shift_hours": 3}}), encoding="utf-8")
    if bad:
        (folder / "bad.yaml").write_text("name: bad\nhours: {open: 10:00}\n", encoding="utf-8")
    return folder


def batch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hallsim", "batch", *args, "--workers", "2"],
                          capture_output=True, text=True, check=False, timeout=600)


def rows(out: Path) -> dict[str, dict]:
    with open(out / "batch.csv", encoding="utf-8", newline="") as handle:
        return {r["hall"]: r for r in csv.DictReader(handle)}


def test_batch_runs_every_hall_and_names_the_bad_one(tmp_path):
    """Scenarios and week files are run, each into its own folder; a bad file is a row with
    its located error, and the exit status says something failed."""
    folder = folder_of_halls(tmp_path)
    out = tmp_path / "out"
    proc = batch(str(folder), "--reps", "2", "--out", str(out))
    assert proc.returncode == 1, proc.stderr
    table = rows(out)
    assert sorted(table) == ["bad.yaml", "hall1.yaml", "hall2.yaml", "week.yaml"]
    assert table["bad.yaml"]["status"] == "bad input"
    assert f"{folder / 'bad.yaml'}:2: hours.open" in table["bad.yaml"]["message"]
    assert (table["week.yaml"]["kind"], table["week.yaml"]["task"]) == ("week", "run")
    for name in ("hall1", "hall2"):
        assert table[f"{name}.yaml"]["status"] == "ok"
        assert float(table[f"{name}.yaml"]["customers"]) > 0
        assert {"report.html", "summary.json", "row.json"} <= {p.name for p in (out / name).iterdir()}
    assert (out / "week" / "week.png").is_file()
    assert "bad.yaml: bad input:" in proc.stderr


def test_resume_finishes_only_the_missing_halls(tmp_path):
    """After a batch, --resume keeps every finished folder untouched and runs only the hall
    whose folder is gone; the same folder without --resume is run again."""
    folder = folder_of_halls(tmp_path, halls=3, week=False, bad=False)
    out = tmp_path / "out"
    assert batch(str(folder), "--reps", "2", "--out", str(out)).returncode == 0
    kept = {n: (out / n / "row.json").stat().st_mtime_ns for n in ("hall1", "hall3")}
    before = rows(out)
    (out / "batch.csv").unlink()
    shutil.rmtree(out / "hall2")
    proc = batch(str(folder), "--reps", "2", "--out", str(out), "--resume")
    assert proc.returncode == 0, proc.stderr
    assert "resuming: 2 hall(s) already finished, 1 to go" in proc.stderr
    assert {n: (out / n / "row.json").stat().st_mtime_ns for n in kept} == kept
    def same(table: dict) -> dict:
        return {h: {k: v for k, v in r.items() if k != "seconds"} for h, r in table.items()}

    assert same(rows(out)) == same(before)
    proc = batch(str(folder), "--reps", "3", "--out", str(out), "--resume")
    assert "resuming: 0 hall(s) already finished, 3 to go" in proc.stderr


def test_batch_advises_scenarios_and_drafts_week_rosters(tmp_path):
    """--target: a scenario gets plan.yaml and advice.json, a week file its roster."""
    folder = folder_of_halls(tmp_path, halls=1, bad=False)
    out = tmp_path / "out"
    proc = batch(str(folder), "--reps", "2", "--verify-days", "5", "--target",
                 "wait_probability=0.4", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    table = rows(out)
    assert (table["hall1.yaml"]["task"], table["week.yaml"]["task"]) == ("advise", "roster")
    assert (out / "hall1" / "plan.yaml").is_file() and (out / "hall1" / "advice.json").is_file()
    assert (out / "week" / "roster.csv").is_file() and (out / "week" / "roster.xlsx").is_file()
    assert table["week.yaml"]["meets_target"] in ("True", "False")


def finished_halls(out: Path) -> list[Path]:
    """The halls' folders in place (a folder being written is staged under a hidden name,
    which a plain glob also matches)."""
    return [p for p in out.glob("*/row.json") if not p.parent.name.startswith(".")]


def test_an_interrupted_batch_resumes(tmp_path):
    """SIGTERM (as Ctrl-C) mid-batch: exit 130 with the --resume hint, finished halls kept;
    --resume then runs only the rest. Four long halls on two workers: the first two finish
    together, the other two are then mid-run when the signal comes (and are all that the
    resume has to run)."""
    halls = 4
    folder = folder_of_halls(tmp_path, halls=halls, week=False, bad=False)
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["hours"]["close"] = "18:00"
        data["profile"][0]["to"] = data["shifts"][0]["end"] = "18:00"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "hallsim", "batch", str(folder), "--reps",
                             "40", "--workers", "2", "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not finished_halls(out) and time.monotonic() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    done = len(finished_halls(out))
    assert proc.returncode == 130, err
    assert "--resume" in err and 1 <= done < halls
    again = batch(str(folder), "--reps", "40", "--out", str(out), "--resume")
    assert again.returncode == 0, again.stderr
    assert f"resuming: {done} hall(s) already finished, {halls - done} to go" in again.stderr
    assert len(rows(out)) == halls


def test_a_hall_whose_worker_is_killed_is_run_again(tmp_path):
    """A worker killed mid-hall (SIGKILL, as the out-of-memory killer does): the hall runs
    again on another worker and the batch finishes every hall ``ok``. A worker preload
    (tests/dask_signal.py) holds the first hall's worker and names it in a file; the test
    waits for that file, not for a time."""
    folder = folder_of_halls(tmp_path, halls=3, week=False, bad=False)
    signals = tmp_path / "signals"
    signals.mkdir()
    preload = str(Path(__file__).with_name("dask_signal.py"))
    env = {**os.environ, "HALLSIM_TEST_SIGNALS": str(signals),
           "DASK_DISTRIBUTED__WORKER__PRELOAD": repr([preload])}
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "hallsim", "batch", str(folder), "--reps",
                             "2", "--workers", "2", "--out", str(out)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim = signals / "victim"
    deadline = time.monotonic() + 300
    while not victim.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not victim.exists():
        proc.kill()
        raise AssertionError(f"no worker started a hall: {proc.communicate()[1]}")
    pid, key = victim.read_text(encoding="utf-8").split("\n", 1)
    os.kill(int(pid), signal.SIGKILL)
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    table = rows(out)
    assert sorted(table) == ["hall1.yaml", "hall2.yaml", "hall3.yaml"]
    assert {r["status"] for r in table.values()} == {"ok"}
    again = [p for p in signals.glob("started-*")
             if p.read_text(encoding="utf-8") == key and not p.name.startswith(f"started-{pid}-")]
    assert again, "the killed worker's hall was not run again elsewhere"
