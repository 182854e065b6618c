"""The week roster (轮休, contract section 10): every written roster keeps every rule (checked
from roster.csv alone), the program's cost is the optimum on small cases (brute force), and
bad staff lists or rosters are located errors."""

from __future__ import annotations

import csv
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

import hallsim
from hallsim import ScenarioError
from hallsim.roster import problem
from hallsim.staffing.candidates import Candidate
from hallsim.week.people import Member

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def hall_file(tmp_path: Path, open_: str = "09:00", close: str = "13:00", rate: float = 24,
              windows: int = 3) -> Path:
    path = tmp_path / "hall.yaml"
    path.write_text(yaml.safe_dump({
        "name": "small", "hours": {"open": open_, "close": close},
        "profile": [{"from": open_, "to": close, "rate": rate}],
        "services": [{"name": "any", "share": 1.0,
                      "counter_minutes": {"dist": "exponential", "mean": 5}}],
        "counters": {"windows": windows}, "interval_minutes": 60,
        "shifts": [{"name": "c", "role": "counter", "start": open_, "end": close, "count": 1}],
    }), encoding="utf-8")
    return path


def week_file(tmp_path: Path, staff: list, days: dict | None = None, **extra) -> Path:
    hall_file(tmp_path, **extra.pop("hall", {}))
    path = tmp_path / "week.yaml"
    path.write_text(yaml.safe_dump({"name": "small-week", "hall": "hall.yaml",
                                    "days": days or {}, "staff": staff,
                                    "rules": {"min_shift_hours": 2, "max_shift_hours": 4},
                                    **extra}, allow_unicode=True), encoding="utf-8")
    return path


def hallsim_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hallsim", *args], capture_output=True,
                          text=True, check=False)


# ---- an independent reading of roster.csv and the rules ---------------------------------

CELL = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)((?: break \d\d:\d\d\+\d+(?:\.\d+)?)*)$")


def parse_cell(text: str) -> tuple[int, int, float] | None:
    """``09:00-13:00 break 11:00+30`` → (start, end, paid minutes); off/closed → None."""
    if text in ("off", "closed"):
        return None
    m = CELL.match(text)
    assert m, f"unreadable roster cell {text!r}"
    start, end = int(m[1]) * 60 + int(m[2]), int(m[3]) * 60 + int(m[4])
    breaks = sum(float(b.split("+")[1]) for b in m[5].split(" break ")[1:])
    return start, end, end - start - breaks


def rule_breaks(rows: list[dict], staff: dict[str, dict], closed: set[str],
                open_hours: tuple[int, ...] = (540, 780), shift_hours: tuple[float, float] = (2, 4)
                ) -> list[str]:
    """Every rule the roster breaks, contracts and shift rules (lengths within
    ``shift_hours``, inside the ``open_hours``), computed from the CSV rows alone."""
    out = []
    weekend = {}
    for row in rows:
        p = staff[row["person"]]
        duties = [parse_cell(row[d]) for d in DAYS]
        for d, x in zip(DAYS, duties, strict=True):
            if x is not None and not (open_hours[0] <= x[0] and x[1] <= open_hours[1]):
                out.append(f"{row['person']}: {row[d]} outside opening hours")
            if x is not None and not shift_hours[0] <= (x[1] - x[0]) / 60 <= shift_hours[1]:
                out.append(f"{row['person']}: {row[d]} is too short or too long")
        hours = sum(x[2] for x in duties if x) / 60
        low, high = p["weekly_hours"]
        if not low - 1e-6 <= hours <= high + 1e-6:
            out.append(f"{row['person']}: {hours} h")
        if abs(hours - float(row["hours"])) > 0.01:
            out.append(f"{row['person']}: hours column {row['hours']} != {hours}")
        works = [x is not None for x in duties]
        if sum(works) > 7 - p.get("days_off", 2):
            out.append(f"{row['person']}: {sum(works)} days")
        most = p.get("max_consecutive_days", 6)
        doubled = works + works
        longest = max((len(r) for r in "".join("1" if w else "0" for w in doubled).split("0")),
                      default=0)
        if min(longest, 7) > most:
            out.append(f"{row['person']}: {longest} days in a row")
        for i in range(7):
            a, b = duties[i], duties[(i + 1) % 7]
            if a and b and 24 * 60 + b[0] - a[1] < 11 * 60:
                out.append(f"{row['person']}: rest after {DAYS[i]}")
        for d, x in zip(DAYS, duties, strict=True):
            if x is not None and d in closed:
                out.append(f"{row['person']}: works closed {d}")
            if d in closed:
                assert row[d] == "closed"
        weekend[row["person"]] = sum(x is not None for x in duties[5:])
    by_role: dict[str, list[int]] = {}
    for row in rows:
        by_role.setdefault(row["role"], []).append(weekend[row["person"]])
    for role, worked in by_role.items():
        if max(worked) - min(worked) > 1:
            out.append(f"{role}: weekends {worked}")
    return out


def expanded(staff: list[dict]) -> dict[str, dict]:
    out = {}
    for entry in staff:
        names = [entry["name"]] if "count" not in entry else [
            f"{entry['name']} {k}" for k in range(1, entry["count"] + 1)]
        for name in names:
            out[name] = entry
    return out


CASES = {
    "six-days": (
        [{"name": "王芳", "weekly_hours": [12, 16], "days_off": 2, "max_consecutive_days": 4},
         {"name": "part", "count": 2, "weekly_hours": [6, 12], "days_off": 3}],
        {"sun": {"closed": True}, "sat": {"load_factor": 1.5}}, {}),
    "late-nights": (   # 08:00-23:00: shifts ending late and starting early break the 11 h rest
        [{"name": "a", "count": 3, "weekly_hours": [10, 20], "days_off": 2,
          "max_consecutive_days": 3}],
        {}, {"hall": {"open_": "08:00", "close": "23:00", "rate": 12}}),
    "all-week": (
        [{"name": "x", "count": 4, "weekly_hours": [8, 14], "days_off": 3,
          "max_consecutive_days": 2}],
        {}, {}),
}


def draft(folder: Path, case: str) -> tuple[Path, subprocess.CompletedProcess]:
    """hallsim staff WEEK --out --json on one of CASES in ``folder``: the output folder and
    the finished process."""
    staff, days, extra = CASES[case]
    path = week_file(folder, staff, days, **extra)
    out = folder / "out"
    proc = hallsim_cli("staff", str(path), "--target", "wait_probability=0.4", "--reps", "4",
                       "--out", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    return out, proc


@pytest.fixture(scope="module")
def six_days(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The six-days week drafted once for the tests that read its folder (each draft is a
    subprocess of several seconds; the tests only read what it wrote)."""
    return draft(tmp_path_factory.mktemp("six-days"), "six-days")


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_written_roster_keeps_every_rule(tmp_path, case, request):
    """hallsim staff WEEK --out: roster.csv read on its own keeps weekly hours, days off, days
    in a row and 11 h rest (around the week), closed days, fair weekends, shift lengths and
    opening hours; the week file written beside it loads and runs with the roster."""
    staff, days, extra = CASES[case]
    out, _proc = request.getfixturevalue("six_days") if case == "six-days" else draft(tmp_path, case)
    with open(out / "roster.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    people = expanded(staff)
    assert sorted(r["person"] for r in rows) == sorted(people)
    closed = {d for d, v in days.items() if v.get("closed")}
    hall = extra.get("hall", {})
    hours = tuple(int(h[:2]) * 60 + int(h[3:]) for h in (hall.get("open_", "09:00"),
                                                         hall.get("close", "13:00")))
    assert rule_breaks(rows, people, closed, hours) == []
    assert {"roster.csv", "roster.xlsx", "roster.html", "roster.json", "week.yaml"} <= {
        p.name for p in out.iterdir()}
    week = hallsim.load_week(out / "week.yaml")
    assert week.roster is not None
    for row in rows:
        for d in DAYS:
            duty = week.roster[d].get(row["person"]) if d in week.roster else None
            assert (duty.text() if duty else ("closed" if d in closed else "off")) == row[d]


def test_days_alike_share_one_requirement(tmp_path):
    """Monday to Friday run as the hall (their names aside): one kind, one requirement;
    Saturday's load makes it a kind of its own."""
    from hallsim.roster.draft import day_kind

    staff, days, extra = CASES["six-days"]
    week = hallsim.load_week(week_file(tmp_path, staff, days, **extra))
    kinds = {wd.day: day_kind(wd.scenario) for wd in week.open_days}
    assert len({kinds[d] for d in ("mon", "tue", "wed", "thu", "fri")}) == 1
    assert kinds["sat"] != kinds["mon"] and set(kinds) == {*DAYS} - {"sun"}


def test_roster_files_open_as_a_spreadsheet_and_a_page(six_days):
    """roster.xlsx has the grid (header, one row a person); roster.html the printable table;
    roster.json the people, each day's intervals with their verified target, and the gaps."""
    from openpyxl import load_workbook

    out, proc = six_days
    doc = json.loads(proc.stdout)
    assert [p["name"] for p in doc["people"]] == ["王芳", "part 1", "part 2"]
    assert [d["day"] for d in doc["days"]] == ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert doc["days"][0]["intervals"][0]["start"] == "09:00"
    first = doc["days"][0]
    assert sum(first["verdicts"].values()) == len(first["intervals"])
    assert {i["verdict"] for i in first["intervals"]} <= {"met", "close", "missed"}
    assert doc["targets"] == [{"metric": "wait_probability", "value": 0.4}]
    sheet = load_workbook(out / "roster.xlsx").active
    values = list(sheet.values)
    assert values[0][0] == "person" and values[0][2] == "Monday" and len(values) == 4
    assert values[1][0] == "王芳"
    page = (out / "roster.html").read_text(encoding="utf-8")
    assert "id='roster'" in page and "王芳" in page and "@page" in page
    assert "id='verdicts'" in page


def test_running_the_written_week_uses_the_roster(six_days):
    """Each day of the written week staffs its counters with the rostered people only."""
    out, _proc = six_days
    week = hallsim.load_week(out / "week.yaml")
    for wd in week.open_days:
        counter = [s for s in wd.scenario.shifts if s.role == "counter"]
        working = {n for n, duty in week.roster[wd.day].items() if duty is not None}
        assert {s.name for s in counter} == working and all(s.count == 1 for s in counter)


def test_the_written_week_reproduces_what_was_verified(tmp_path):
    """Drafted with --set and --rules, the folder holds the hall as verified (hall.yaml, the
    override in it) and the rules kept; moved elsewhere, with the original hall changed,
    its week.yaml drafts and verifies to the same roster.json, verdicts and all."""
    closed = {d: {"closed": True} for d in ("tue", "wed", "thu", "sun")}
    path = week_file(tmp_path, [{"name": "王芳", "weekly_hours": [4, 9], "days_off": 4},
                                {"name": "part", "count": 2, "weekly_hours": [2, 6]}],
                     {**closed, "sat": {"load_factor": 1.5}}, hall={"close": "12:00"})
    rules = tmp_path / "rules.yaml"
    rules.write_text("min_shift_hours: 2\nmax_shift_hours: 3\n", encoding="utf-8")
    out = tmp_path / "out"
    common = ["--target", "wait_probability=0.4", "--reps", "3", "--verify-days", "6"]
    first = hallsim_cli("staff", str(path), *common, "--rules", str(rules),
                        "--set", "services.any.counter_minutes.mean=7", "--out", str(out))
    assert first.returncode == 0, first.stderr
    (tmp_path / "hall.yaml").write_text("not: a hall\n", encoding="utf-8")
    moved = tmp_path / "elsewhere" / "folder"
    moved.parent.mkdir()
    out.rename(moved)
    written = yaml.safe_load((moved / "week.yaml").read_text(encoding="utf-8"))
    assert written["hall"] == "hall.yaml"
    assert written["rules"] == {"min_shift_hours": 2.0, "max_shift_hours": 3.0}
    week = hallsim.load_week(moved / "week.yaml")
    assert week.hall.services[0].counter_minutes.mean == 7
    hashes = json.loads((moved / "manifest.json").read_text(encoding="utf-8"))["scenarios"]
    from hallsim.output.outfiles import scenario_hash

    assert {wd.day: scenario_hash(wd.scenario) for wd in week.open_days} == {
        day: h["sha256"] for day, h in hashes.items()}
    again = hallsim_cli("staff", str(moved / "week.yaml"), *common, "--out",
                        str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / "roster.json").read_bytes() == (
        moved / "roster.json").read_bytes()


# ---- the program is optimal: brute force on small cases -----------------------------------

def _day(day: str, open_: int, close: int, need: list[float], cap: int) -> problem.DayInput:
    cands = [Candidate(a, b) for a in range(open_, close, 60) for b in range(a + 60, close + 1, 60)]
    edges = np.arange(open_, close + 1, 60)
    cover = np.array([[1.0 if c.start <= a and b <= c.end else 0.0
                       for a, b in zip(edges[:-1], edges[1:], strict=True)] for c in cands])
    times = sorted({open_, close, *(c.start for c in cands), *(c.end for c in cands)})
    present = np.array([[1.0 if c.start <= a and b <= c.end else 0.0
                         for a, b in zip(times[:-1], times[1:], strict=True)] for c in cands])
    return problem.DayInput(day, cands, np.array(need, dtype=float), edges, cover, present, cap)


def _brute_force(people: list[Member], days: list[problem.DayInput]) -> float:
    """The least cost over every assignment that keeps every rule (the test's own checks)."""
    best = np.inf
    options = [[None, *d.candidates] for d in days]
    price = problem.penalty(people)
    for choice in itertools.product(*[opt for _p in people for opt in options]):
        rows, hours = [], 0.0
        for i, p in enumerate(people):
            mine = choice[i * len(days):(i + 1) * len(days)]
            cells = {d.day: ("off" if c is None else
                             f"{c.start // 60:02d}:{c.start % 60:02d}-{c.end // 60:02d}:"
                             f"{c.end % 60:02d}") for d, c in zip(days, mine, strict=True)}
            paid = sum(c.paid_minutes for c in mine if c is not None) / 60
            rows.append({"person": p.name, "role": p.role, "hours": paid,
                         **{d: cells.get(d, "closed") for d in DAYS}})
            hours += paid
        staff = {p.name: {"weekly_hours": [p.min_hours, p.max_hours], "days_off": p.days_off,
                          "max_consecutive_days": p.max_consecutive} for p in people}
        closed = {d for d in DAYS if d not in {x.day for x in days}}
        if rule_breaks(rows, staff, closed, (0, 24 * 60), (0, 24)):
            continue
        uncovered = 0.0
        for j, d in enumerate(days):
            on = np.zeros(len(d.need))
            for i in range(len(people)):
                c = choice[i * len(days) + j]
                if c is not None:
                    on += d.cover[d.candidates.index(c)]
            if any(on[s] > d.cap for s in range(len(on))):
                break
            uncovered += float(np.maximum(d.need - on, 0) @ d.width)
        else:
            best = min(best, hours + price * uncovered)
    return best


SMALL = {
    "weekend-and-rest": (
        [Member("a", "counter", 2, 5, 1, 2, 0, "a"), Member("b", "counter", 1, 4, 1, 3, 1, "b")],
        [_day("fri", 19 * 60, 22 * 60, [1, 2, 1], 2), _day("sat", 8 * 60, 11 * 60, [2, 1, 1], 2),
         _day("sun", 8 * 60, 10 * 60, [1, 1], 1)]),
    "short-of-people": (
        [Member("a", "counter", 0, 3, 1, 1, 0, "a"), Member("b", "counter", 0, 3, 1, 1, 0, "a")],
        [_day("mon", 9 * 60, 12 * 60, [2, 2, 1], 2), _day("tue", 9 * 60, 12 * 60, [1, 2, 2], 2),
         _day("wed", 9 * 60, 11 * 60, [1, 1], 2)]),
    "alike-from-two-entries": (    # the same contract on two entries: ordered, still optimal
        [Member("a", "counter", 1, 3, 1, 1, 0, "a"), Member("b", "counter", 1, 3, 1, 1, 1, "b"),
         Member("c", "counter", 0, 2, 2, 1, 2, "c")],
        [_day("mon", 9 * 60, 12 * 60, [2, 2, 1], 2), _day("tue", 9 * 60, 11 * 60, [1, 2], 2)]),
}


@pytest.mark.parametrize("case", sorted(SMALL))
def test_the_program_finds_the_cheapest_roster_that_keeps_the_rules(case):
    """On cases small enough to try every assignment, the MILP's roster costs at most 1% more
    than the cheapest assignment that keeps every rule (paid hours + priced shortfall)."""
    people, days = SMALL[case]
    solution = problem.solve(people, days)
    best = _brute_force(people, days)
    assert np.isfinite(best)
    assert best - 1e-9 <= solution.cost <= best * 1.01 + 1e-9, (solution.cost, best)


# ---- bad staff lists and rosters: exit 2, file, line and field ---------------------------

def test_weekly_hours_no_pattern_can_meet(tmp_path):
    """50 h with at most 5 days of 4-hour shifts: named at the entry's weekly_hours line."""
    path = week_file(tmp_path, [{"name": "张三", "weekly_hours": [50, 60], "days_off": 2}])
    with pytest.raises(ScenarioError, match=r"staff\[0\]\.weekly_hours: no pattern of shifts "
                                            r"reaches 50 h"):
        hallsim.load_week(path)
    proc = hallsim_cli("staff", str(path), "--target", "wait_probability=0.3")
    assert proc.returncode == 2 and proc.stderr.startswith(f"{path}:")
    line = int(proc.stderr.split(":")[1])
    assert "weekly_hours" in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_seven_working_days_with_two_days_off(tmp_path):
    """A hand-written roster with a person on all seven days breaks days_off: 2 (exit 2)."""
    shift = {"start": "09:00", "end": "11:00"}
    path = week_file(tmp_path, [{"name": "李四", "weekly_hours": [0, 40], "days_off": 2,
                                 "max_consecutive_days": 7}],
                     roster={d: {"李四": shift} for d in DAYS})
    proc = hallsim_cli("validate", str(path))
    assert proc.returncode == 2
    assert "staff[0].days_off: 李四 works 7 days; days_off: 2 allows at most 5" in proc.stderr
    assert proc.stderr.startswith(f"{path}:") and "Traceback" not in proc.stderr
    line = int(proc.stderr.split(":")[1])
    assert "days_off: 2" in path.read_text(encoding="utf-8").splitlines()[line - 1]


@pytest.mark.parametrize("roster, expected", [
    ({"monday": {"李四": "off"}}, "roster.monday: unknown weekday \"monday\" (did you mean 'mon'?)"),
    ({"mon": {"李三": "off"}}, 'roster.mon.李三: "李三" is not on the staff list (did you mean "李四"?)'),
    ({"mon": {"李四": {"start": "20:00", "end": "23:00"}},
      "tue": {"李四": {"start": "07:00", "end": "09:00"}}}, "roster.mon.李四: 李四 rests 8 h"),
    ({"mon": {"李四": {"start": "09:00", "end": "10:00"}}}, "staff[0].weekly_hours: 李四 is rostered 1 h"),
])
def test_bad_rosters_are_located(tmp_path, roster, expected):
    """Unknown days and people, too little rest, hours outside the contract: each located."""
    path = week_file(tmp_path, [{"name": "李四", "weekly_hours": [2, 40]}], roster=roster)
    with pytest.raises(ScenarioError) as caught:
        hallsim.load_week(path)
    assert expected in str(caught.value) and str(caught.value).startswith(f"{path}:")


def test_off_unquoted_is_the_word(tmp_path):
    """``李四: off`` (YAML 1.1 reads it as false) is a day off."""
    path = week_file(tmp_path, [{"name": "李四", "weekly_hours": [0, 40]}])
    text = path.read_text(encoding="utf-8") + "roster:\n  mon: {李四: off}\n"
    path.write_text(text, encoding="utf-8")
    assert hallsim.load_week(path).roster["mon"]["李四"] is None


def test_the_gaps_are_the_intervals_the_verdicts_do_not_meet(tmp_path):
    """One person on at most 8 h for a hall that needs several all week: the target is not
    met, and the gap lines cover exactly the intervals whose verdict is not ``met`` (never a
    line that disagrees with a verdict), each naming its day, hours and what binds there."""
    path = week_file(tmp_path, [{"name": "solo", "weekly_hours": [4, 8], "days_off": 2}],
                     {"sun": {"closed": True}}, hall={"rate": 40})
    draft = hallsim.draft_roster(hallsim.load_week(path), {"wait_probability": 0.3}, reps=3,
                                 seed=1, verify_days=5)
    assert not draft.meets_target and draft.gaps
    unmet = {(day, start) for day, r in draft.days.items()
             for start, meets in zip(r.inputs["counter"].edges[:-1], r.metric["meets"],
                                     strict=True) if not meets}
    in_gaps = {(g.day, start) for g in draft.gaps
               for start in draft.days[g.day].inputs["counter"].edges[:-1]
               if g.start <= start < g.end}
    assert in_gaps == unmet
    working = {day for day, r in draft.roster.items() if r["solo"] is not None}
    for gap in draft.gaps:
        assert re.match(r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday) \d\d:\d\d-"
                        r"\d\d:\d\d: the target is not met; binding: ", gap.message), gap.message
        duty = draft.roster[gap.day]["solo"]
        if duty is not None and duty.start <= gap.start and gap.end <= duty.end:
            assert gap.binds == () and "the number of people" in gap.message
        else:           # off, or on a shorter shift: 8 h are used up
            assert gap.blocked == {"weekly_hours": ("solo",)}, gap
    assert draft.hours("solo") == 8 and len(working) >= 2


def test_each_gap_names_the_rule_that_binds_there():
    """Per gap, the rule that stops each person: Monday after a late Sunday, rest (a); on
    Wednesday b's weekly hours (a is on duty already); on Thursday nobody is stopped: a fits
    there within every rule, so no rule binds."""
    from types import SimpleNamespace

    import pandas as pd

    from hallsim.roster import gaps

    a = Member("a", "counter", 0, 12, 0, 7, 0, "a")
    b = Member("b", "counter", 0, 4, 0, 7, 1, "b")
    days = {"sun": _day("sun", 18 * 60, 23 * 60, [1] * 5, 2),
            "mon": _day("mon", 8 * 60, 10 * 60, [2, 2], 2),
            "wed": _day("wed", 8 * 60, 12 * 60, [2] * 4, 2),
            "thu": _day("thu", 8 * 60, 10 * 60, [1, 1], 2)}

    def on(day: str, start: int, end: int):
        return problem.as_duty(next(c for c in days[day].candidates
                                    if (c.start, c.end) == (start * 60, end * 60)))

    roster = {"sun": {"a": on("sun", 18, 23), "b": None},
              "mon": {"a": None, "b": on("mon", 8, 10)},
              "wed": {"a": on("wed", 8, 12), "b": on("wed", 8, 10)},
              "thu": {"a": None, "b": None}}
    met = {"sun": True, "mon": False, "wed": False, "thu": False}
    results = {d: SimpleNamespace(metric=pd.DataFrame({"meets": [met[d]] * len(days[d].need)}))
               for d in days}
    found = gaps.find([a, b], ["counter"], {"counter": days}, roster, results)
    assert [(g.day, g.start, g.end, g.binds, g.blocked, g.free) for g in found] == [
        ("mon", 480, 600, ("rest",), {"rest": ("a",)}, ()),
        ("wed", 480, 720, ("weekly_hours",), {"weekly_hours": ("b",)}, ()),
        ("thu", 480, 600, ("weekly_hours",), {"weekly_hours": ("b",)}, ("a",))]
    assert found[0].message == ("Monday 08:00-10:00: the target is not met; binding: "
                                "11 h rest between shifts (a)")
    assert found[2].message == ("Thursday 08:00-10:00: the target is not met; no rule binds: "
                                "a could work there within every rule (the repair rounds ended "
                                "first)")
