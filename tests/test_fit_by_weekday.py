"""fit tickets --by-weekday (contract section 10): a week file whose day types group the
weekdays by their volume, with the hall fitted over every day beside it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

import hallsim

# tickets per day by weekday (Monday first); Sunday: closed
VOLUME = [60, 60, 60, 60, 90, 120, 0]


def ticket_log(path: Path, weeks: int = 3, seed: int = 4) -> None:
    """A log of served tickets, 09:00-17:00, each weekday at its own volume."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2026-03-02")              # a Monday
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["ticket_id", "service", "issued_at", "called_at", "finished_at", "outcome"])
        n = 0
        for day in range(7 * weeks):
            date = start + np.timedelta64(day, "D")
            for minute in np.sort(rng.uniform(9 * 60, 17 * 60, VOLUME[day % 7])):
                issued = date + np.timedelta64(int(minute * 60), "s")
                called = issued + np.timedelta64(int(rng.exponential(120)), "s")
                finished = called + np.timedelta64(int(rng.exponential(300)) + 30, "s")
                n += 1
                out.writerow([n, "any", *(str(t).replace("T", " ") for t in (issued, called,
                                                                               finished)),
                              "served"])


def fit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hallsim", "fit", "tickets", *args],
                          capture_output=True, text=True, check=False)


def test_by_weekday_writes_a_week_of_day_types(tmp_path):
    """Mon-Thu one type, Friday and Saturday busier types, Sunday closed; the load factors
    are each type's tickets per day over the mean day's; the week loads and runs."""
    log = tmp_path / "tickets.csv"
    ticket_log(log)
    out = tmp_path / "branch-week.yaml"
    proc = fit(str(log), "--by-weekday", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["hall"] == "branch-week-hall.yaml" and data["name"] == "branch-week"
    calendar = data["calendar"]
    assert set(calendar) == {"mon", "tue", "wed", "thu", "fri", "sat"}
    assert len({calendar[d] for d in ("mon", "tue", "wed", "thu")}) == 1
    assert calendar["mon"] != calendar["fri"] != calendar["sat"] != calendar["mon"]
    assert data["days"]["sun"] == {"closed": True}
    mean = sum(VOLUME) / 6                 # the hall: the mean open day of the log
    for day, volume in zip(("mon", "fri", "sat"), (60, 90, 120), strict=True):
        assert data["days"][calendar[day]]["load_factor"] == pytest.approx(volume / mean,
                                                                           rel=1e-3)
    week = hallsim.load_week(out)
    result = hallsim.run_week(week, reps=20, seed=1, keep_records=False)
    by_day = result.runs.groupby("day")["customers"].mean()
    assert by_day["sat"] / by_day["mon"] == pytest.approx(2.0, rel=0.15)
    assert (tmp_path / "fit-report.html").is_file()


def test_by_weekday_refuses_a_day_filter(tmp_path):
    """--days weekday with --by-weekday is a contradiction: exit 2, nothing written."""
    log = tmp_path / "tickets.csv"
    ticket_log(log, weeks=1)
    out = tmp_path / "w.yaml"
    proc = fit(str(log), "--by-weekday", "--days", "weekday", "--out", str(out))
    assert proc.returncode == 2 and "--by-weekday" in proc.stderr
    assert not out.exists()
