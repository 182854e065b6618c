"""Ticket logs as real halls write them (contract §7a): stray tickets, midnight, time zones,
unmapped statuses, title rows, column maps, and nothing written when a fit fails.

The logs here come from a generator of this file's own (not hallsim's exporter): Poisson
arrivals per interval, exponential waits and patience, gamma counter times.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
import yaml

import hallsim
from hallsim.cli import main

HEADER = ("ticket_id", "service", "issued_at", "called_at", "finished_at", "outcome", "window")
RATES = [(9 * 60, 11 * 60, 20.0), (11 * 60, 13 * 60, 60.0), (13 * 60, 17 * 60, 40.0)]
FMT = "%Y-%m-%d %H:%M:%S"


def generate(days: int = 20, seed: int = 4, shift_minutes: int = 0) -> list[list[str]]:
    """A hall open 09:00-17:00 on ``days`` weekdays, every time moved by ``shift_minutes``."""
    rng = np.random.default_rng(seed)
    rows: list[list[str]] = []
    dates = np.busday_offset(np.datetime64("2026-03-02"), np.arange(days), roll="forward")
    for date in dates:
        base = pd.Timestamp(date) + pd.Timedelta(minutes=shift_minutes)
        for start, end, rate in RATES:
            n = rng.poisson(rate * (end - start) / 60)
            for minute in np.sort(rng.uniform(start, end, n)):
                wait, patience = rng.exponential(6.0), rng.exponential(25.0)
                served = patience >= wait
                issued = base + pd.Timedelta(seconds=round(minute * 60))
                called = issued + pd.Timedelta(seconds=round(wait * 60))
                finished = called + pd.Timedelta(seconds=round(rng.gamma(4.0, 1.5) * 60))
                rows.append([f"T{len(rows):06d}", "缴费" if rng.random() < 0.6 else "开户",
                             issued.strftime(FMT), called.strftime(FMT),
                             finished.strftime(FMT) if served else "",
                             "served" if served else "no_show", str(rng.integers(1, 5))])
    return rows


def write(path, rows, header=HEADER, title: list[str] | None = None) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        for line in title or []:
            handle.write(line + "\n")
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def fit(tmp_path, rows, *args: str, name: str = "log") -> tuple[int, dict | None]:
    """Write ``rows``, fit them, and return the exit status and the scenario written."""
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    write(folder / "log.csv", rows)
    out = folder / "hall.yaml"
    status = main(["fit", "tickets", str(folder / "log.csv"), *args, "--out", str(out)])
    return status, (yaml.safe_load(out.read_text(encoding="utf-8")) if out.exists() else None)


@pytest.fixture(scope="module")
def clean_rows():
    return generate()


@pytest.fixture(scope="module")
def clean_fit(tmp_path_factory, clean_rows):
    status, doc = fit(tmp_path_factory.mktemp("clean"), clean_rows)
    assert status == 0
    return doc


def test_clean_log_fits_its_hours_and_levels(clean_fit):
    """The generated hall's hours and its three rates come back (within their noise)."""
    assert clean_fit["hours"] == {"open": "09:00", "close": "17:00"}
    assert clean_fit["loads"]["peak"] == pytest.approx(60, rel=0.1)
    assert clean_fit["loads"]["low"] == pytest.approx(20, rel=0.15)


def test_one_stray_ticket_after_closing_changes_nothing(tmp_path, clean_rows, clean_fit, capsys):
    """A ticket at 18:00 on one day is reported as stray (console and report) and left out:
    the same hours, profile and load levels (within 1%) as without it."""
    stray = ["X1", "缴费", "2026-03-04 18:00:00", "2026-03-04 18:01:00", "2026-03-04 18:05:00",
             "served", "1"]
    status, doc = fit(tmp_path, [*clean_rows, stray])
    assert status == 0
    assert doc["hours"] == clean_fit["hours"] and doc["profile"] == clean_fit["profile"]
    for level, rate in clean_fit["loads"].items():
        assert doc["loads"][level] == pytest.approx(rate, rel=0.01)
    err = capsys.readouterr().err
    line = len(clean_rows) + 2
    assert "1 stray ticket(s) outside the opening hours 09:00-17:00" in err
    assert f"line {line}: 2026-03-04 18:00:00" in err
    report = (tmp_path / "log" / "fit-report.html").read_text(encoding="utf-8")
    assert "1 stray ticket(s)" in report and f"<td>{line}</td><td>2026-03-04 18:00:00</td>" in report


def test_tickets_taken_just_after_closing_do_not_extend_the_hours(tmp_path, clean_rows,
                                                                  clean_fit):
    """On every day one or two customers already inside take their ticket in the minutes
    after 17:00 (a kiosk failed, the greeter sent them on) and are served until 17:20: the
    hours still end at 17:00 (arrivals, not service ends, decide), the load levels move by
    under 1%, and those tickets are the stray ones."""
    rng = np.random.default_rng(7)
    late = []
    for day in np.busday_offset(np.datetime64("2026-03-02"), np.arange(20), roll="forward"):
        for _k in range(int(rng.integers(1, 3))):
            issued = pd.Timestamp(day) + pd.Timedelta(minutes=17 * 60 + float(rng.uniform(0, 5)))
            late.append([f"L{len(late)}", "开户", issued.strftime(FMT),
                         (issued + pd.Timedelta(minutes=2)).strftime(FMT),
                         (issued + pd.Timedelta(minutes=18)).strftime(FMT), "served", "1"])
    status, doc = fit(tmp_path, [*clean_rows, *late])
    assert status == 0
    assert doc["hours"] == {"open": "09:00", "close": "17:00"}
    assert doc["profile"] == clean_fit["profile"]
    for level, rate in clean_fit["loads"].items():
        assert doc["loads"][level] == pytest.approx(rate, rel=0.01)
    assert f"# Fitted by hallsim fit tickets from log.csv: {len(clean_rows)} tickets" in (
        tmp_path / "log" / "hall.yaml").read_text(encoding="utf-8")


def test_an_exported_hall_keeps_its_closing_time(tmp_path):
    """The weekday hall (greeter, kiosks whose failures take a ticket after 19:00, customers
    served past closing), exported and fitted: open 09:00-19:00, as the original."""
    from hallsim.calibration import fit_tickets
    from hallsim.calibration.export import write_ticket_log

    sc = hallsim.load_scenario("scenarios/weekday.yaml")
    log = tmp_path / "log.csv"
    write_ticket_log(hallsim.replicate(sc, reps=12, seed=2).customers, sc.hours.open, log)
    issued = pd.to_datetime(pd.read_csv(log)["issued_at"])
    assert (issued.dt.hour >= 19).any()           # the trickle is there to be ignored
    got = fit_tickets(log).scenario
    assert (got.hours.open, got.hours.close) == (9 * 60, 19 * 60)
    # VIP numbers are called before earlier ones: the priority class comes back
    assert {s.name: s.priority for s in got.services} == {
        "bill_payment": 1, "plan_change": 1, "new_line": 1, "repair_complaint": 1, "vip": 0}


def test_given_hours_make_tickets_outside_stray(tmp_path, clean_rows):
    """--hours 10:00-16:00 fits those hours; the tickets outside are stray, not intervals."""
    status, doc = fit(tmp_path, clean_rows, "--hours", "10:00-16:00")
    assert status == 0
    assert doc["hours"] == {"open": "10:00", "close": "16:00"}
    assert doc["profile"][0]["from"] == "10:00" and doc["profile"][-1]["to"] == "16:00"


def test_a_log_across_midnight_is_refused_then_read_with_day_starts(tmp_path, clean_rows,
                                                                    clean_fit, capsys):
    """Shifted by 10 h (19:00-03:00), the log is refused naming --day-starts; with it, the
    same profile and levels as the unshifted log, on a day clock that starts at 12:00."""
    shifted = generate(shift_minutes=600)
    status, doc = fit(tmp_path, shifted)
    assert status == 2 and doc is None
    err = capsys.readouterr().err
    assert "log.csv: issued_at: the tickets run across midnight" in err
    assert "--day-starts HH:MM (--day-starts 11:00)" in err
    status, doc = fit(tmp_path, shifted, "--day-starts", "12:00")
    assert status == 0
    assert doc["hours"] == {"open": "07:00", "close": "15:00"}      # 19:00-03:00 from 12:00
    for level, rate in clean_fit["loads"].items():
        assert doc["loads"][level] == pytest.approx(rate, rel=0.01)
    assert "00:00 here is 12:00 (--day-starts)" in (tmp_path / "log" / "hall.yaml").read_text(
        encoding="utf-8")


def test_day_starts_that_fits_keeps_times_of_day(tmp_path, clean_rows, clean_fit):
    """With a day start while the hall is closed, times stay times of day; a ticket at 00:30
    belongs to the day before and is stray."""
    late = ["X1", "缴费", "2026-03-05 00:30:00", "2026-03-05 00:31:00", "", "no_show", "1"]
    status, doc = fit(tmp_path, [*clean_rows, late], "--day-starts", "04:00")
    assert status == 0
    assert doc["hours"] == clean_fit["hours"] and doc["loads"] == clean_fit["loads"]


def _with_offset(rows, hours: int, suffix: str):
    out = []
    for row in rows:
        row = list(row)
        for j in (2, 3, 4):
            if row[j]:
                row[j] = (pd.Timestamp(row[j]) + pd.Timedelta(hours=hours)).strftime(FMT) + suffix
        out.append(row)
    return out


def test_offsets_are_converted_to_the_halls_time(tmp_path, clean_rows, clean_fit):
    """Local times marked +08:00, and the same instants in UTC (Z) read with --tz +08:00,
    fit exactly as the plain local log; Z alone is read in UTC."""
    status, doc = fit(tmp_path, _with_offset(clean_rows, 0, "+08:00"), name="a")
    assert status == 0 and doc == clean_fit
    utc = _with_offset(clean_rows, -8, "Z")
    status, doc = fit(tmp_path, utc, "--tz", "+08:00", name="b")
    assert status == 0 and doc == clean_fit
    status, doc = fit(tmp_path, utc, "--tz", "Asia/Shanghai", name="c")
    assert status == 0 and doc == clean_fit
    status, doc = fit(tmp_path, utc, name="d")
    assert status == 0 and doc["hours"] == {"open": "01:00", "close": "09:00"}


def test_several_offsets_without_tz_are_bad_input(tmp_path, clean_rows, capsys):
    """Two offsets in one log and no --tz: exit 2 naming both offsets and --tz."""
    rows = _with_offset(clean_rows, 0, "+08:00")
    rows[5][2] = rows[5][2].replace("+08:00", "+09:00")
    status, _doc = fit(tmp_path, rows)
    err = capsys.readouterr().err
    assert status == 2 and "+08:00" in err and "+09:00: 1" in err and "--tz" in err


def test_unknown_statuses_are_named_with_counts_and_a_suggestion(tmp_path, clean_rows, capsys):
    """17 已取消 rows stop the fit (exit 2, nothing written) with the value, its count, its
    first line and a ready outcome_values line; mapped or --ignore-unknown, the fit goes on."""
    rows = [list(r) for r in clean_rows]
    for k in range(100, 117):
        rows[k][5], rows[k][4] = "已取消", ""
    status, doc = fit(tmp_path, rows)
    err = capsys.readouterr().err
    assert status == 2 and doc is None
    assert '"已取消": 17 row(s), first on line 102' in err
    assert "outcome_values: {已取消: no_show}" in err and "--ignore-unknown" in err
    assert sorted(p.name for p in (tmp_path / "log").iterdir()) == ["log.csv"]
    (tmp_path / "map.yaml").write_text("outcome_values: {已取消: no_show}\n", encoding="utf-8")
    assert fit(tmp_path, rows, "--columns", str(tmp_path / "map.yaml"))[0] == 0
    status, _doc = fit(tmp_path, rows, "--ignore-unknown", name="ignored")
    assert status == 0
    report = (tmp_path / "ignored" / "fit-report.html").read_text(encoding="utf-8")
    assert "已取消: 17" in report


def test_title_rows_are_found_or_skipped(tmp_path, clean_rows, clean_fit):
    """Two title lines above the header are found (or skipped with --skip-rows 2); line
    numbers in the rejects are the file's own."""
    rows = [list(r) for r in clean_rows]
    rows[3][2] = "not a time"                         # data row 4: line 2 + 1 + 4 = 7
    for extra in ([], ["--skip-rows", "2"]):
        write(tmp_path / "log.csv", rows, title=["营业厅取号记录,,,,,,", "导出时间: 2026-03-31"])
        out = tmp_path / "hall.yaml"
        assert main(["fit", "tickets", str(tmp_path / "log.csv"), *extra, "--out", str(out)]) == 0
        assert yaml.safe_load(out.read_text(encoding="utf-8"))["hours"] == clean_fit["hours"]
        assert pd.read_csv(tmp_path / "fit-rejects.csv")["line"].tolist() == [7]


def test_missing_columns_are_explained_in_chinese(tmp_path, clean_rows, capsys):
    """With --lang zh a log without the needed columns is refused in Chinese, naming the line."""
    write(tmp_path / "log.csv", [r[:3] for r in clean_rows], header=HEADER[:3])
    assert main(["fit", "tickets", str(tmp_path / "log.csv"), "--lang", "zh",
                 "--out", str(tmp_path / "s.yaml")]) == 2
    err = capsys.readouterr().err
    assert "log.csv" in err and "第 1 行" in err and "--skip-rows" in err and "列" in err


@pytest.mark.parametrize("text, expected", [
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
     "too many YAML nodes"),
    ("service: Type\nservice: Kind\n", "duplicate key"),
    ("issued_at: " + "x" * (3 * 1024 * 1024) + "\n", "larger than 2 MB"),
])
def test_column_maps_go_through_the_scenario_loaders_limits(tmp_path, clean_rows, capsys,
                                                           text, expected):
    """A YAML bomb, a repeated key or a huge --columns file: exit 2 at once, nothing written."""
    (tmp_path / "map.yaml").write_text(text, encoding="utf-8")
    status, doc = fit(tmp_path, clean_rows[:50], "--columns", str(tmp_path / "map.yaml"))
    assert status == 2 and doc is None and expected in capsys.readouterr().err


def test_a_failed_fit_leaves_the_previous_outputs_as_they_were(tmp_path, clean_rows):
    """After a good fit, a failing one (every ticket a no-show) changes no file in the folder."""
    assert fit(tmp_path, clean_rows)[0] == 0
    folder = tmp_path / "log"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "log.csv"}
    ghosts = [[*r[:4], "", "no_show", r[6]] for r in clean_rows]
    write(folder / "log.csv", ghosts)
    assert main(["fit", "tickets", str(folder / "log.csv"), "--out", str(folder / "hall.yaml")]) == 2
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "log.csv"} == before


def test_everyone_no_showing_is_a_clear_message(tmp_path, clean_rows, capsys):
    """A log of no-shows only: exit 2 saying no ticket was served, not a schema path."""
    ghosts = [[*r[:4], "", "no_show", r[6]] for r in clean_rows]
    status, doc = fit(tmp_path, ghosts)
    err = capsys.readouterr().err
    assert status == 2 and doc is None and "no ticket was served" in err and "patience.mean" not in err


def test_the_fitted_scenario_of_a_messy_log_runs(tmp_path, clean_rows):
    """Stray ticket, offsets and title rows together: the scenario written loads and runs."""
    rows = _with_offset(clean_rows, 0, "+08:00")
    rows.append(["X", "缴费", "2026-03-04 21:00:00+08:00", "", "", "no_show", ""])
    write(tmp_path / "log.csv", rows, title=["Export,,,,,,"])
    assert main(["fit", "tickets", str(tmp_path / "log.csv"), "--out", str(tmp_path / "h.yaml")]) == 0
    day = hallsim.simulate(hallsim.load_scenario(tmp_path / "h.yaml"), seed=1)
    assert day.summary["metrics"]["customers"]["mean"] > 0


def test_a_streamed_log_reads_as_the_whole_file(tmp_path, clean_rows, monkeypatch):
    """Read block by block (small blocks: dozens of batches), a log gives exactly the
    tickets, rejects and line numbers of the whole-file reader."""
    from hallsim.calibration import csvread, tickets

    rows = [list(r) for r in clean_rows]
    rows[100][2] = "not a time"
    rows[2000][5] = "已取消"
    write(tmp_path / "log.csv", rows, title=["Export,,,,,,"])
    batches, seen = csvread.Stream.batches, []

    def small(self, block=0):
        for batch in batches(self, block=8192):
            seen.append(len(batch[0]))
            yield batch

    monkeypatch.setattr(csvread.Stream, "batches", small)
    streamed = tickets.read_log(tmp_path / "log.csv", ignore_unknown=True)
    monkeypatch.setattr(tickets, "stream", lambda *args, **kw: None)
    whole = tickets.read_log(tmp_path / "log.csv", ignore_unknown=True)
    assert len(seen) > 20 and sum(seen) == len(rows)
    pd.testing.assert_frame_equal(streamed.tickets, whole.tickets, check_dtype=False)
    pd.testing.assert_frame_equal(streamed.rejects, whole.rejects, check_dtype=False)
    assert streamed.rejects["line"].tolist() == [103, 2003] and streamed.rows == len(rows)


def test_the_fit_works_without_pyarrow(tmp_path, clean_rows):
    """With pyarrow hidden (a planner's install without the parquet extra), fit tickets
    reads the log with pandas' own reader and writes the same scenario."""
    import subprocess
    import sys

    rows = clean_rows[:1500]
    write(tmp_path / "log.csv", rows)
    status, doc = fit(tmp_path, rows, name="with")
    code = ("import sys; sys.modules['pyarrow'] = None; from hallsim.cli import main; "
            f"sys.exit(main(['fit', 'tickets', {str(tmp_path / 'log.csv')!r}, '--out', "
            f"{str(tmp_path / 'without.yaml')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    without = yaml.safe_load((tmp_path / "without.yaml").read_text(encoding="utf-8"))
    assert status == 0 and {**without, "name": "x"} == {**doc, "name": "x"}


def test_a_cancelled_status_is_suggested_as_no_show_and_an_unclear_one_is_left_to_choose(
        tmp_path, clean_rows, capsys):
    """已取消 rows that carry a finish time (when the ticket was closed) are still suggested
    as no_show; a status whose word does not say is not guessed: the user is told to choose."""
    rows = [list(r) for r in clean_rows]
    for k in range(100, 117):
        rows[k][5] = "已取消"                          # finish time kept
    for k in range(200, 203):
        rows[k][5] = "挂起"
    status, _doc = fit(tmp_path, rows)
    err = capsys.readouterr().err
    assert status == 2
    assert "outcome_values: {已取消: no_show, 挂起: served/no_show}" in err
    assert '"挂起"' in err and "in place of served/no_show, write served if" in err


@pytest.mark.parametrize("word, meaning", [
    ("已取消", "no_show"), ("撤销", "no_show"), ("已过号", "no_show"), ("Cancelled", "no_show"),
    ("作废", "no_show"), ("办理完成", "served"), ("Finished", "served"), ("挂起", None),
    ("转出", None)])
def test_status_words_suggest_what_they_say(word, meaning):
    from hallsim.calibration.tickets import suggested_outcome

    assert suggested_outcome(word) == meaning


def test_left_out_statuses_are_not_rejects_and_chinese_output_is_chinese(tmp_path, clean_rows,
                                                                        capsys):
    """--ignore-unknown rows are counted apart from bad rows (console, YAML header, report);
    under --lang zh the reasons, the YAML's first comment lines and the row lines are Chinese
    with full-width colons; a long stray list on the console says how many more there are."""
    rows = [list(r) for r in clean_rows]
    rows[10][5] = rows[11][5] = "已取消"
    rows[20][3] = "not a time"
    day = rows[0][2][:10]
    rows += [[f"S{k}", "缴费", f"{day} 20:{k:02d}:00", f"{day} 20:{k + 1:02d}:00",
              f"{day} 20:{k + 5:02d}:00", "served", "1"] for k in range(13)]
    status, _doc = fit(tmp_path, rows, "--ignore-unknown", "--lang", "zh")
    err = capsys.readouterr().err
    assert status == 0
    assert "剔除 1 行" in err and "  called_at 的时间无效：1\n" in err
    assert "2 行的状态已用 --ignore-unknown 略去，不计入剔除：已取消：2" in err
    assert "unknown outcome" not in err and "line " not in err
    assert "第 " in err and "另有 3 个（见 " in err
    text = (tmp_path / "log" / "hall.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"# 由 hallsim fit tickets 根据 log.csv 拟合：{len(clean_rows) - 3} 个号，")
    assert "剔除 1 行" in text.splitlines()[0]
    assert "#   剔除（called_at 的时间无效）：1 行（行号见 fit-rejects.csv）" in text
    report = (tmp_path / "log" / "fit-report.html").read_text(encoding="utf-8")
    assert "剔除：1（" in report and "<td>called_at 的时间无效</td>" in report
    assert "unknown outcome" not in report and "bad time" not in report


def test_a_failed_fit_leaves_no_folder_it_made(tmp_path, clean_rows):
    """Exit 2 on an unmapped status: --out's missing folders (nested too) are not left behind."""
    rows = [list(r) for r in clean_rows]
    rows[10][5] = "已取消"
    write(tmp_path / "log.csv", rows)
    out = tmp_path / "new" / "deeper" / "hall.yaml"
    assert main(["fit", "tickets", str(tmp_path / "log.csv"), "--out", str(out)]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv"]
    assert main(["fit", "tickets", str(tmp_path / "log.csv"), "--ignore-unknown",
                 "--out", str(out)]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["fit-rejects.csv", "fit-report.html",
                                                           "hall.yaml"]
