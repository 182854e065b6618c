"""Week files (忙日, contract section 10): day types, independent days, the week's summary."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import hallsim
from hallsim import ScenarioError
from hallsim.model.arrivals import rate_schedule
from hallsim.week.run import day_seed, week_metrics

HALL = Path("scenarios/weekday.yaml").resolve()
CITY = Path("scenarios/weeks/city-week.yaml")


def write_week(tmp_path: Path, days: dict, name: str = "w.yaml", **extra) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"name": "test-week", "hall": str(HALL), "days": days,
                                    **extra}, allow_unicode=True), encoding="utf-8")
    return path


def hallsim_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hallsim", *args], capture_output=True,
                          text=True, check=False, cwd=cwd)


def expected_customers(sc: hallsim.Scenario) -> float:
    edges, rates = rate_schedule(sc)
    return float((rates * (edges[1:] - edges[:-1])).sum())


def test_shipped_week_has_a_heavier_saturday_and_a_closed_sunday():
    """city-week: Saturday at 1.4 over its own 09:30-17:00, Sunday closed, the rest as the hall."""
    week = hallsim.load_week(CITY)
    assert [d.day for d in week.days] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    sat, sun = week.day("sat").scenario, week.day("sun")
    assert sun.closed and sat is not None
    assert sat.load_factor == pytest.approx(1.4)
    assert (sat.hours.open, sat.hours.close) == (9 * 60 + 30, 17 * 60)
    assert (sat.profile[0].start, sat.profile[-1].end) == (9 * 60 + 30, 17 * 60)
    assert week.day("mon").scenario.to_dict()["profile"] == week.hall.to_dict()["profile"]


def test_saturday_customers_scale_with_its_factor(tmp_path):
    """Arrivals are Poisson: over 40 Saturdays at factor 1.4 the mean count is 1.4 × the hall's
    expected customers within 4 standard errors (and Monday, at 1.0, the hall's)."""
    week = hallsim.load_week(write_week(tmp_path, {"sat": {"load_factor": 1.4}}))
    result = hallsim.run_week(week, reps=40, seed=5, keep_records=False)
    base = expected_customers(week.hall)
    for day, factor in (("sat", 1.4), ("mon", 1.0)):
        counts = result.runs.loc[result.runs["day"] == day, "customers"]
        mean = base * factor
        assert abs(counts.mean() - mean) < 4 * math.sqrt(mean / len(counts)), (day, counts.mean())


def test_monday_is_identical_whatever_saturday_is(tmp_path):
    """Changing Saturday (its load, or closing it) leaves Monday the same to the byte."""
    docs = []
    for sat in ({"load_factor": 1.1}, {"load_factor": 1.9, "hours": {"open": "10:00",
                                                                     "close": "16:00"}},
                {"closed": True}):
        week = hallsim.load_week(write_week(tmp_path, {"sat": sat}))
        result = hallsim.run_week(week, reps=3, seed=2)
        monday = next(d for d in result.summary["days"] if d["day"] == "mon")
        intervals = result.intervals[result.intervals["day"] == "mon"]
        docs.append((json.dumps(monday, sort_keys=True), intervals.to_csv(index=False)))
    assert docs[0] == docs[1] == docs[2]


def test_days_have_seeds_of_their_own():
    """Each weekday's seed comes from the base seed and the day's name alone."""
    seeds = {d: day_seed(1, d) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    assert len(set(seeds.values())) == 7
    assert seeds == {d: day_seed(1, d) for d in seeds}
    assert day_seed(2, "mon") != seeds["mon"]


def test_week_metrics_weigh_rates_by_customers_and_sum_counts():
    """Counts and hours add up, rates and waits are customer-weighted, the max is the max,
    utilisation is weighted by counter hours."""
    mon = {"customers": 100.0, "mean_wait_min": 2.0, "service_level": 0.9, "staff_hours": 50.0,
           "max_wait_min": 30.0, "counter_utilisation": 0.5, "overtime_min": 10.0}
    sat = {"customers": 300.0, "mean_wait_min": 6.0, "service_level": 0.5, "staff_hours": 30.0,
           "max_wait_min": 45.0, "counter_utilisation": 0.9, "overtime_min": 0.0}
    week = week_metrics([(mon, 40.0), (sat, 10.0)])
    assert week == {"customers": 400.0, "mean_wait_min": 5.0, "service_level": 0.6,
                    "staff_hours": 80.0, "max_wait_min": 45.0,
                    "counter_utilisation": pytest.approx(0.58), "overtime_min": 10.0}


def test_calendar_sends_a_weekday_to_another_day_type(tmp_path):
    """calendar: {thu: holiday} runs Thursday as the holiday type; named types work too."""
    path = write_week(tmp_path, {"holiday": {"load_factor": 1.8}, "quiet": {"load_factor": 0.5}},
                      calendar={"thu": "holiday", "tue": "quiet", "wed": "sat"})
    week = hallsim.load_week(path)
    assert week.day("thu").type == "holiday" and week.day("thu").scenario.load_factor == 1.8
    assert week.day("tue").scenario.load_factor == 0.5
    assert week.day("wed").type == "sat" and week.day("wed").scenario.load_factor == 1.0


@pytest.mark.parametrize("days, extra, expected", [
    ({"satu": {"load_factor": 1.4}}, {}, "days.satu: unknown day \"satu\" (did you mean 'sat'?)"),
    ({"sat": {"load_factor": -1}}, {}, "days.sat.load_factor: must be > 0, got -1"),
    ({"sat": {"load_factor": 0}}, {}, "days.sat.load_factor: must be > 0, got 0"),
    ({"sat": {"load_factr": 1.2}}, {}, "days.sat.load_factr: unknown key"),
    ({"sun": {"closed": True, "load_factor": 2}}, {}, "days.sun.closed: a closed day has no"),
    ({}, {"calendar": {"thu": "feast"}}, 'calendar.thu: unknown day type "feast"'),
    ({}, {"calendar": {"thurs": "holiday"}}, "calendar.thurs: unknown weekday"),
    ({"sat": {"hours": {"open": "08:00", "close": "17:00"}}}, {},
     "days.sat.hours: the hall's profile covers 09:00-19:00"),
    ({"sat": {"hours": {"open": "09:00", "close": "17:00"},
              "profile": [{"from": "09:00", "to": "16:00", "rate": 50}]}}, {},
     "days.sat: profile[0].to: the last period must end at close"),
    ({d: {"closed": True} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, {},
     "days: every day of the week is closed"),
])
def test_bad_week_files_name_file_line_and_field(tmp_path, days, extra, expected):
    """Each mistake is one located message (week file, line, field); the CLI exits 2."""
    path = write_week(tmp_path, days, **extra)
    with pytest.raises(ScenarioError) as caught:
        hallsim.load_week(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:") and expected in message, message
    line = int(message.split(":")[1])
    assert line >= 1
    proc = hallsim_cli("validate", str(path))
    assert proc.returncode == 2 and expected in proc.stderr and "Traceback" not in proc.stderr


def test_a_missing_hall_is_named_at_the_hall_line(tmp_path):
    """hall: a file that is not there → the week file's hall line, exit 2."""
    path = tmp_path / "w.yaml"
    path.write_text("name: w\nhall: nowhere.yaml\n", encoding="utf-8")
    proc = hallsim_cli("run", str(path))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{path}:2: hall: no such file"), proc.stderr


def test_run_writes_the_week_report_and_prints_days_and_week(tmp_path):
    """run WEEK --out: summary.json (strict JSON, per day and the week), days.csv,
    intervals.csv, week.png, report.html; stdout has one row per day and the week."""
    out = tmp_path / "report"
    proc = hallsim_cli("run", str(CITY), "--reps", "2", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert {"summary.json", "days.csv", "intervals.csv", "week.png", "report.html",
            "manifest.json"} <= {p.name for p in out.iterdir()}
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"),
                     parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"))
    assert (doc["week"], doc["hall"], doc["replications"]) == ("city-week", "weekday", 2)
    assert [d["day"] for d in doc["days"]] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert doc["days"][6] == {"day": "sun", "type": "sun", "closed": True}
    total = sum(d["metrics"]["customers"]["mean"] for d in doc["days"] if not d["closed"])
    assert doc["metrics"]["customers"]["mean"] == pytest.approx(total)
    assert "Saturday" in proc.stdout and "week" in proc.stdout and "closed" in proc.stdout
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="days"' in html and 'data-file="week.png"' in html


def test_run_json_and_validate_on_a_week():
    """--json prints only the week document; validate says ok with a line per day."""
    proc = hallsim_cli("run", str(CITY), "--reps", "1", "--json", "--set", "counters.windows=9")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["metrics"]["mean_wait_min"]["ci95"] is None
    proc = hallsim_cli("validate", str(CITY), "scenarios/weekday.yaml")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(": ok (") == 2 and "Sunday closed" in proc.stdout


def test_run_week_rejects_what_is_not_a_week():
    """The Python API names a wrong argument."""
    with pytest.raises(TypeError, match="hallsim.load_week"):
        hallsim.run_week(hallsim.load_scenario(HALL))


@pytest.mark.parametrize("assignment, expected", [
    ("days.sat.load_factor=abc", "--set days.sat.load_factor=abc: days.sat.load_factor: "
                                 "expected a valid number"),
    ("load_factor=-1", "--set load_factor=-1: load_factor: must be > 0, got -1"),
    ("days.satu.load_factor=2", "--set days.satu.load_factor=2: days.satu: unknown day \"satu\" "
                                "(did you mean 'sat'?)"),
])
def test_a_bad_set_is_named_not_a_line_of_the_file(assignment, expected, capsys):
    """An invalid --set value on a week file (of the week or of its hall) is blamed on the
    option and its value, never on a line of either file; exit status 2."""
    from hallsim.cli import main

    assert main(["run", str(CITY), "--reps", "1", "--set", "counters.windows=9",
                 "--set", assignment]) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected), err
    assert "weekday.yaml" not in err and "city-week.yaml" not in err
    assert "set by an override" not in err and "Traceback" not in err


def test_set_changes_the_week_or_its_hall():
    """--set days.sat.load_factor changes Saturday only; a hall path changes every day."""
    from hallsim.week.command import load

    week = load(str(CITY), ["days.sat.load_factor=1.6", "counters.windows=9"])
    plain = hallsim.load_week(CITY)
    assert week.day("sat").scenario.load_factor == pytest.approx(
        1.6 * plain.hall.load_factor)
    assert week.day("mon").scenario.load_factor == plain.day("mon").scenario.load_factor
    assert {wd.scenario.counters.windows for wd in week.open_days} == {9}
    assert week.hall_changes == {"counters.windows": 9}
