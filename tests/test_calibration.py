"""Learning a hall from its own data: ticket-log round trips, surveys, malformed logs."""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
import yaml

import hallsim
from hallsim.calibration.arrivals import kmeans_1d
from hallsim.calibration.detractor_fit import Survey, fit_logistic, fit_table, logistic
from hallsim.calibration.export import COLUMNS, day_tickets, ticket_log
from hallsim.calibration.windows import shifts_for
from hallsim.cli import main
from hallsim.scenario.schema import Detractor

# A known hall: no greeter or kiosks, so every arrival takes a ticket.
TRUE_LOADS = {"peak": 60.0, "mid": 40.0, "low": 20.0}
TRUE_PROFILE = [("09:00", "10:00", "low"), ("10:00", "12:00", "peak"), ("12:00", "14:00", "mid"),
                ("14:00", "16:00", "low"), ("16:00", "17:00", "peak")]
TRUE_PATIENCE = 20.0


def known_hall() -> hallsim.Scenario:
    return hallsim.Scenario.from_dict({
        "name": "known",
        "hours": {"open": "09:00", "close": "17:00"},
        "loads": TRUE_LOADS,
        "profile": [{"from": a, "to": b, "load": lv} for a, b, lv in TRUE_PROFILE],
        "services": [
            {"name": "缴费", "share": 0.6, "counter_minutes": {"dist": "gamma", "mean": 4.0, "cv": 0.5}},
            {"name": "plan_change", "share": 0.4,
             "counter_minutes": {"dist": "lognormal", "mean": 8.0, "cv": 0.6}}],
        "counters": {"windows": 5},
        "patience": {"dist": "exponential", "mean": TRUE_PATIENCE},
        "shifts": [{"name": "all", "role": "counter", "start": "09:00", "end": "17:00", "count": 3},
                   {"name": "am", "role": "counter", "start": "10:00", "end": "12:00", "count": 2},
                   {"name": "pm", "role": "counter", "start": "16:00", "end": "17:00", "count": 2}],
    })


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """30 simulated days of the known hall, exported, then fitted by the command line."""
    folder = tmp_path_factory.mktemp("fit")
    sc = known_hall()
    days = hallsim.replicate(sc, reps=30, seed=11)
    log = folder / "log.csv"
    ticket_log(days.customers, sc.hours.open).to_csv(log, index=False)
    out = folder / "hall.yaml"
    assert main(["fit", "tickets", str(log), "--out", str(out)]) == 0
    return folder, out, days


def test_round_trip_recovers_arrival_levels_and_profile(fitted):
    """Fitted load levels lie within 10% of the true rates, and each interval gets its true level."""
    _folder, out, _days = fitted
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert doc["hours"] == {"open": "09:00", "close": "17:00"}
    for level, rate in TRUE_LOADS.items():
        assert doc["loads"][level] == pytest.approx(rate, rel=0.10)
    assert [(p["from"], p["to"], p["load"]) for p in doc["profile"]] == TRUE_PROFILE


def test_round_trip_recovers_shares_and_counter_times(fitted):
    """Shares within 0.02, mean counter times within 5%, and AIC picks the true family."""
    _folder, out, _days = fitted
    services = {s["name"]: s for s in yaml.safe_load(out.read_text(encoding="utf-8"))["services"]}
    assert services["缴费"]["share"] == pytest.approx(0.6, abs=0.02)
    assert services["缴费"]["share"] + services["plan_change"]["share"] == pytest.approx(1, abs=1e-9)
    assert services["缴费"]["counter_minutes"]["mean"] == pytest.approx(4.0, rel=0.05)
    assert services["plan_change"]["counter_minutes"]["mean"] == pytest.approx(8.0, rel=0.05)
    assert services["缴费"]["counter_minutes"]["dist"] == "gamma"
    assert services["plan_change"]["counter_minutes"]["dist"] == "lognormal"


def test_round_trip_censored_patience_is_close_and_naive_is_biased(fitted):
    """Censored patience is within 20% of the truth; the naive estimate is under 60% of it."""
    from hallsim.calibration.patience import fit_patience
    from hallsim.calibration.tickets import read_log

    folder, out, _days = fitted
    patience = yaml.safe_load(out.read_text(encoding="utf-8"))["patience"]
    assert patience["mean"] == pytest.approx(TRUE_PATIENCE, rel=0.20)
    fit = fit_patience(read_log(folder / "log.csv").tickets)
    assert fit.no_show_called > 100
    assert fit.naive_mean < 0.6 * TRUE_PATIENCE


def test_round_trip_windows_shifts_and_runnable_scenario(fitted):
    """Five windows; the fitted shifts put five on duty at the peaks and three in the
    afternoon lull, as the known plan does; the scenario loads and runs."""
    folder, out, _days = fitted
    sc = hallsim.load_scenario(out)
    assert sc.counters.windows == 5
    assert sc.flex == [] and all(s.role == "counter" for s in sc.shifts)   # nobody steps in
    on_duty = [sum(s.count for s in sc.shifts if s.start <= t < s.end) for t in (630, 690, 900, 990)]
    assert on_duty == [5, 5, 3, 5]
    day = hallsim.simulate(sc, seed=1)
    assert day.summary["metrics"]["customers"]["mean"] > 0
    report = (folder / "fit-report.html").read_text(encoding="utf-8")
    assert "缴费" in report and "data:image/png;base64," in report
    assert pd.read_csv(folder / "fit-rejects.csv").empty


def test_exact_rates_keeps_each_interval(fitted, tmp_path):
    """--exact-rates writes one period per interval with its own rate, tiling the day."""
    folder, _out, _days = fitted
    out = tmp_path / "exact.yaml"
    assert main(["fit", "tickets", str(folder / "log.csv"), "--exact-rates", "--interval", "60",
                 "--out", str(out)]) == 0
    sc = hallsim.load_scenario(out)
    assert len(sc.profile) == 8 and all(p.rate is not None for p in sc.profile)
    assert sc.profile[1].rate == pytest.approx(60, rel=0.15)


def test_export_calls_no_shows_when_a_counter_would_have_taken_them():
    """A no-show is called at the next call ranked after them, or when a counter is released
    with nobody to call; one still waiting when the counters close is never called."""
    customers = pd.DataFrame({
        "service": ["a", "a", "b", "a", "a"],
        "priority": [1, 1, 1, 1, 1],
        "outcome": ["counter", "abandoned", "counter", "abandoned", "abandoned"],
        "abandoned_in": ["", "counter", "", "counter", "counter"],
        "wait_counter_min": [0.0, 1.0, 2.0, 1.0, 2.0],
        "counter_start_min": [0.0, np.nan, 5.0, np.nan, np.nan],
        "counter_service_min": [5.0, np.nan, 5.0, np.nan, np.nan],
        "departure_min": [5.0, 2.0, 10.0, 8.0, 12.0],
    })
    log = day_tickets(customers, 9 * 60, np.datetime64("2026-03-02"), "T")
    assert list(log.columns) == list(COLUMNS)
    rows = log.set_index("issued_at")
    assert rows.loc["2026-03-02 09:01:00", ["outcome", "called_at", "window"]].tolist() == \
        ["no_show", "2026-03-02 09:05:00", "1"]       # called with the next customer
    assert rows.loc["2026-03-02 09:07:00", ["called_at", "window"]].tolist() == \
        ["2026-03-02 09:10:00", "1"]                   # called when the counter was released
    assert rows.loc["2026-03-02 09:10:00", ["called_at", "finished_at", "window"]].tolist() == \
        ["", "", ""]                                   # left after the last counter closed
    assert rows.loc["2026-03-02 09:03:00", ["called_at", "finished_at", "outcome"]].tolist() == \
        ["2026-03-02 09:05:00", "2026-03-02 09:10:00", "served"]
    assert log["ticket_id"].tolist() == ["T0001", "T0002", "T0003", "T0004", "T0005"]


def test_export_a_priority_call_does_not_call_a_lower_priority_no_show():
    """A VIP called ahead of a no-show leaves that number waiting; the next ordinary call takes it."""
    customers = pd.DataFrame({
        "service": ["a", "a", "vip", "a"],
        "priority": [1, 1, 0, 1],
        "outcome": ["counter", "abandoned", "counter", "counter"],
        "abandoned_in": ["", "counter", "", ""],
        "wait_counter_min": [0.0, 1.0, 2.0, 6.0],
        "counter_start_min": [0.0, np.nan, 5.0, 10.0],
        "counter_service_min": [5.0, np.nan, 5.0, 2.0],
        "departure_min": [5.0, 2.0, 10.0, 12.0],
    })
    log = day_tickets(customers, 0, np.datetime64("2026-03-02"), "T").set_index("issued_at")
    assert log.loc["2026-03-02 00:01:00", "called_at"] == "2026-03-02 00:10:00"


def test_run_export_tickets_writes_the_contract_format(tmp_path):
    """hallsim run --export-tickets writes one weekday per replication in the log format."""
    out = tmp_path / "log.csv"
    assert main(["run", "scenarios/weekday.yaml", "--reps", "2", "--export-tickets", str(out),
                 "--json"]) == 0
    log = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(log.columns) == list(COLUMNS)
    assert sorted(log["issued_at"].str[:10].unique()) == ["2026-03-02", "2026-03-03"]
    assert set(log["outcome"]) <= {"served", "no_show"}
    assert (log.loc[log["outcome"] == "no_show", "finished_at"] == "").all()


def _write_log(path, rows, header=("ticket_id", "service", "issued_at", "called_at", "finished_at",
                                   "outcome", "window")):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _good_rows(n):
    rows = []
    for k in range(n):
        t = pd.Timestamp("2026-03-02 09:00:00") + pd.Timedelta(minutes=3 * k)
        call, end = t + pd.Timedelta(minutes=2), t + pd.Timedelta(minutes=6)
        rows.append([f"A{k:03d}", "缴费" if k % 2 else "开户", f"{t:%Y-%m-%d %H:%M:%S}",
                     f"{call:%Y-%m-%d %H:%M:%S}", f"{end:%Y-%m-%d %H:%M:%S}",
                     "served" if k % 7 else "no_show", str(1 + k % 3)])
        if not k % 7:
            rows[-1][4] = ""
    return rows


def test_malformed_rows_are_counted_by_reason_and_listed_by_line(tmp_path, capsys):
    """Three bad rows of 100: the fit goes ahead, each reason counted, each line listed."""
    rows = _good_rows(100)
    rows[4][2] = "not a time"                       # line 6
    rows[10][4] = "2026-03-02 08:00:00"             # line 12: finished before called
    rows[20][5] = "maybe"                           # line 22
    _write_log(tmp_path / "log.csv", rows)
    assert main(["fit", "tickets", str(tmp_path / "log.csv"), "--ignore-unknown",
                 "--out", str(tmp_path / "s.yaml")]) == 0
    err = capsys.readouterr().err
    assert "2 rejected" in err and "bad time in issued_at: 1" in err
    assert "1 row(s) with a status left out (--ignore-unknown), not counted as rejected: maybe: 1" in err
    rejects = pd.read_csv(tmp_path / "fit-rejects.csv")
    assert rejects[["line", "reason"]].values.tolist() == [
        [6, "bad time in issued_at"], [12, "finished before called"],
        [22, "unknown outcome (ignored)"]]
    hallsim.load_scenario(tmp_path / "s.yaml")


def test_more_than_five_percent_bad_is_bad_input(tmp_path, capsys):
    """Six bad rows of 100 (missing fields, called before issued): exit 2, no scenario written."""
    rows = _good_rows(100)
    for k in range(3):
        rows[k][1] = ""                              # missing service
    for k in range(3, 6):
        rows[k][3] = "2026-03-01 09:00:00"           # called before issued
    _write_log(tmp_path / "log.csv", rows)
    assert main(["fit", "tickets", str(tmp_path / "log.csv"), "--out", str(tmp_path / "s.yaml")]) == 2
    err = capsys.readouterr().err
    assert "6.0%" in err and "missing service: 3" in err and "called before issued: 3" in err
    assert "log.csv: line 2: service: empty; fill it in or remove the row" in err
    assert "log.csv: line 7: called_at: earlier than issued_at" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv"]      # nothing written


def test_chinese_headers_and_slashed_times_are_read(tmp_path):
    """票号/业务类型/取号时间/... headers, 2026/03/02 09:00 times and 办结/过号 outcomes are read."""
    rows = _good_rows(40)
    for r in rows:
        for j in (2, 3, 4):
            r[j] = r[j].replace("-", "/")[:16]
        r[5] = {"served": "办结", "no_show": "过号"}[r[5]]
    _write_log(tmp_path / "log.csv", rows,
               header=("票号", "业务类型", "取号时间", "叫号时间", "完成时间", "结果", "窗口"))
    assert main(["fit", "tickets", str(tmp_path / "log.csv"), "--out", str(tmp_path / "s.yaml")]) == 0
    sc = hallsim.load_scenario(tmp_path / "s.yaml")
    assert {s.name for s in sc.services} == {"缴费", "开户"} and sc.counters.windows == 3


def test_kmeans_1d_finds_the_natural_groups():
    """Optimal 1-D k-means separates three well-spaced groups exactly."""
    labels = kmeans_1d(np.array([20, 61, 19, 40, 59, 41, 21, 60.0]), 3)
    assert labels.tolist() == [0, 2, 0, 1, 2, 1, 0, 2]


def test_shifts_reproduce_the_staffing_step_function():
    """Shifts stack so that staff on duty equal the requested count in every interval."""
    staff = np.array([1, 3, 3, 2, 1, 1])
    starts = 540 + 30 * np.arange(6)
    shifts = shifts_for(staff, starts, 30)
    clock = {s["name"]: s for s in shifts}
    on = [sum(s["count"] for s in shifts if s["start"] <= f"{t // 60:02d}:{t % 60:02d}" < s["end"])
          for t in starts]
    assert on == staff.tolist()
    assert clock["counter_0900_1200"]["count"] == 1


def _survey(n, seed, base=0.1, top=0.85, mid=15.0, scale=3.0):
    rng = np.random.default_rng(seed)
    wait = rng.uniform(0, 40, n)
    return Survey(wait, rng.random(n) < logistic(wait, base, top, mid, scale), n, [])


def test_survey_from_a_known_curve_recovers_its_midpoint():
    """2000 answers from a known logistic curve: midpoint within 1.5 min, inside its 95% interval."""
    fit = fit_logistic(_survey(2000, 5), boot=40, seed=2)
    assert fit.block["midpoint_minutes"] == pytest.approx(15.0, abs=1.5)
    lo, hi = fit.intervals["midpoint_minutes"]
    assert lo < 15.0 < hi and hi - lo < 5
    assert fit.block["base"] == pytest.approx(0.1, abs=0.06)
    assert fit.block["max"] == pytest.approx(0.85, abs=0.08)
    Detractor(**fit.block)


def test_table_curve_is_monotone_and_valid():
    """The isotonic table rises through about one half near the midpoint and fits the schema."""
    fit = fit_table(_survey(2000, 6))
    points = np.array(fit.block["points"])
    assert (np.diff(points[:, 0]) > 0).all() and (np.diff(points[:, 1]) >= 0).all()
    assert np.interp(15.0, points[:, 0], points[:, 1]) == pytest.approx(0.475, abs=0.12)
    Detractor(**fit.block)


def test_fit_detractor_command_writes_a_valid_block(tmp_path):
    """fit detractor --out writes a detractor: block a scenario accepts, and a reliability report."""
    survey = _survey(600, 7)
    pd.DataFrame({"wait_min": survey.wait.round(1), "score": np.where(survey.detractor, 3, 9)}).to_csv(
        tmp_path / "survey.csv", index=False)
    out = tmp_path / "block.yaml"
    assert main(["fit", "detractor", str(tmp_path / "survey.csv"), "--boot", "10", "--out", str(out)]) == 0
    block = yaml.safe_load(out.read_text(encoding="utf-8"))["detractor"]
    sc = hallsim.load_scenario("scenarios/weekday.yaml").with_changes({"detractor": block})
    assert sc.detractor.curve == "logistic" and math.isfinite(sc.detractor.midpoint_minutes)
    assert "data:image/png;base64," in (tmp_path / "detractor-report.html").read_text(encoding="utf-8")


def test_rows_split_wrongly_and_blank_lines_keep_true_line_numbers(tmp_path):
    """A row with an extra field is rejected on its own line; a blank line shifts no number."""
    rows = _good_rows(60)
    rows[9].append("extra")                            # line 11
    rows[29][5] = "??"                                 # line 32 once the blank line is in
    _write_log(tmp_path / "log.csv", rows)
    text = (tmp_path / "log.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    text.insert(20, "\r\n")                            # a blank line 21
    (tmp_path / "log.csv").write_text("".join(text), encoding="utf-8")
    assert main(["fit", "tickets", str(tmp_path / "log.csv"), "--ignore-unknown",
                 "--out", str(tmp_path / "s.yaml")]) == 0
    rejects = pd.read_csv(tmp_path / "fit-rejects.csv")
    assert rejects[["line", "reason"]].values.tolist() == [
        [11, "wrong number of fields"], [32, "unknown outcome (ignored)"]]


def test_ks_distance_is_scipys_statistic():
    """The KS distance computed on a sample sorted once equals scipy.stats.kstest's."""
    from scipy import stats

    from hallsim.calibration.services import ks_distance

    x = np.random.default_rng(1).gamma(2.0, 3.0, 5000)
    frozen = stats.gamma(2.0, scale=3.0)
    assert ks_distance(np.sort(x), frozen.cdf) == pytest.approx(
        stats.kstest(x, frozen.cdf).statistic, abs=1e-12)


def test_grouped_censored_fit_equals_scipy_censored_data_fit():
    """The grouped likelihood gives scipy's CensoredData estimate (exponential and lognormal)."""
    from scipy import stats

    from hallsim.calibration.patience import censored_loglik, fit_one, grouped

    rng = np.random.default_rng(3)
    patience, wait = rng.exponential(20, 400), np.round(rng.exponential(8, 400) * 60) / 60
    left, right = wait[patience < wait], wait[patience >= wait]
    data = stats.CensoredData(left=left, right=right)
    for dist, family in (("exponential", stats.expon), ("lognormal", stats.lognorm)):
        ours, loglik, _theta = fit_one(dist, grouped(left), grouped(right), 20.0)
        theirs = family(*family.fit(data, floc=0))
        assert ours.mean() == pytest.approx(theirs.mean(), rel=1e-3)
        assert loglik >= censored_loglik(theirs, grouped(left), grouped(right)) - 1e-6


def test_days_choose_weekdays_or_weekends():
    """--days weekday keeps Monday-Friday tickets, weekend Saturday-Sunday, all every day."""
    from hallsim.calibration.arrivals import select_days

    issued = pd.to_datetime(["2026-03-06 10:00", "2026-03-07 10:00", "2026-03-08 10:00",
                             "2026-03-09 10:00"])
    tickets = pd.DataFrame({"issued": issued})
    assert select_days(tickets, "weekday")["issued"].dt.day.tolist() == [6, 9]
    assert select_days(tickets, "weekend")["issued"].dt.day.tolist() == [7, 8]
    assert len(select_days(tickets, "all")) == 4


def test_columns_map_names_headers_and_outcome_words(tmp_path):
    """--columns maps each field to the log's own header and its outcome words to served/no_show;
    a mapped header missing from the log is bad input naming it."""
    rows = _good_rows(30)
    for r in rows:
        r[5] = {"served": "OK", "no_show": "Gone"}[r[5]]
    _write_log(tmp_path / "log.csv", rows,
               header=("No", "Type", "Taken", "Called", "Done", "Status", "Counter"))
    (tmp_path / "map.yaml").write_text(
        "ticket_id: No\nservice: Type\nissued_at: Taken\ncalled_at: Called\nfinished_at: Done\n"
        "outcome: Status\nwindow: Counter\noutcome_values: {OK: served, Gone: no_show}\n",
        encoding="utf-8")
    args = ["fit", "tickets", str(tmp_path / "log.csv"), "--columns", str(tmp_path / "map.yaml"),
            "--out", str(tmp_path / "s.yaml")]
    assert main(args) == 0
    assert pd.read_csv(tmp_path / "fit-rejects.csv").empty
    (tmp_path / "map.yaml").write_text("issued_at: TakeTime\n", encoding="utf-8")
    assert main(args) == 2


def test_survey_with_many_bad_rows_is_bad_input(tmp_path, capsys):
    """A survey with more than 5% unusable rows exits 2 and names their lines."""
    frame = pd.DataFrame({"wait_min": [str(k) for k in range(40)], "score": ["5"] * 40})
    frame.loc[[3, 7, 8], "score"] = ["11", "x", ""]
    frame.to_csv(tmp_path / "survey.csv", index=False)
    assert main(["fit", "detractor", str(tmp_path / "survey.csv"), "--boot", "0",
                 "--out", str(tmp_path / "b.yaml")]) == 2
    err = capsys.readouterr().err
    assert "line 5: score" in err and "line 9:" in err and "line 10:" in err
    assert not (tmp_path / "b.yaml").exists()


def test_python_api_gives_the_scenario_the_command_writes(fitted):
    """hallsim.calibration.fit_tickets returns the same scenario text the command wrote."""
    from hallsim.calibration import fit_tickets

    folder, out, _days = fitted
    result = fit_tickets(folder / "log.csv", name="hall")
    assert result.yaml.split("\n", 1)[1] == out.read_text(encoding="utf-8").split("\n", 1)[1]
    assert result.scenario.counters.windows == 5
