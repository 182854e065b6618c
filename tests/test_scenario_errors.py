"""Bad scenarios: a located one-line message per problem, exit status 2, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hallsim
from hallsim import ScenarioError

WEEKDAY = Path("scenarios/weekday.yaml").read_text(encoding="utf-8")

# (what is broken, text replaced, replacement, expected "line: field: words")
BROKEN = [
    ("unknown key", "counters: {windows: 8}", "counters: {windos: 8}",
     'counters.windos: unknown key "windos" (did you mean \'windows\'?)'),
    ("unquoted clock", 'hours: {open: "09:00", close: "19:00"}',
     'hours: {open: "09:00", close: 19:00}', 'hours.close: expected a quoted time'),
    ("bad clock", '{name: early,    role: counter,    start: "09:00"',
     '{name: early,    role: counter,    start: "25:99"', 'shifts[0].start: expected "HH:MM"'),
    ("negative count", 'end: "13:30", count: 2}', 'end: "13:30", count: -2}',
     "shifts[0].count: must be >= 0, got -2"),
    ("shares", "    share: 0.35\n", "    share: 0.45\n", "services: shares must sum to 1"),
    ("profile gap", '{from: "12:00", to: "13:30", rate: 55}',
     '{from: "12:15", to: "13:30", rate: 55}', "profile[2].from: expected \"12:00\""),
    ("unknown load", '{from: "13:30", to: "17:00", load: low}',
     '{from: "13:30", to: "17:00", load: quiet}', 'profile[3].load: unknown load level "quiet"'),
    ("unknown distribution", "{dist: gamma, mean: 7.0, cv: 0.6}", "{dist: weibull, mean: 7.0}",
     "services[1].counter_minutes: unknown distribution 'weibull'"),
    ("missing parameter", "{dist: gamma, mean: 7.0, cv: 0.6}", "{dist: gamma, mean: 7.0}",
     "services[1].counter_minutes.cv: required field is missing"),
    ("unknown role", "role: triage,   start: \"09:00\"", "role: porter,   start: \"09:00\"",
     "shifts[5].role: expected 'counter', 'triage' or 'preprocess'"),
    ("break outside shift", '[{at: "13:30", minutes: 45}]', '[{at: "18:00", minutes: 45}]',
     "shifts[2].breaks[0].at: break 18:00+45 min must lie inside the shift"),
    ("flex same role", "{from: preprocess, to: counter,", "{from: counter, to: counter,",
     "flex[0].to: must differ from 'from'"),
    ("flex thresholds", "queue_at_least: 8, queue_at_most: 3", "queue_at_least: 3, queue_at_most: 8",
     "flex[0].queue_at_most: must be < queue_at_least"),
    ("share above 1", "online_eligible: 0.4", "online_eligible: 1.4",
     "services[0].online_eligible: must be <= 1, got 1.4"),
    ("close before open", 'close: "19:00"}', 'close: "08:00"}', "hours.close: must be after open"),
]


@pytest.mark.parametrize("what, old, new, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_scenario_names_file_line_and_field(tmp_path, what, old, new, expected):
    """Each broken scenario is refused with file:line: field: what was expected."""
    assert old in WEEKDAY, f"test setup: {old!r} not in weekday.yaml"
    path = tmp_path / "broken.yaml"
    path.write_text(WEEKDAY.replace(old, new, 1), encoding="utf-8")
    line = WEEKDAY[: WEEKDAY.index(old)].count("\n") + 1 + old[: old.find(new[0])].count("\n")
    with pytest.raises(ScenarioError) as err:
        hallsim.load_scenario(path)
    message = str(err.value)
    assert expected in message
    assert message.startswith(f"{path}:")
    if what not in ("shares",):  # the shares rule points at the services block
        assert f"{path}:{line}: " in message


@pytest.mark.parametrize("text, expected", [
    ("", "the file is empty"),
    ("name: [unclosed\n", "YAML syntax error"),
    ("- just\n- a list\n", "expected a YAML mapping"),
    ("name: x\n", "hours: required field is missing"),
])
def test_unusable_files_are_refused(tmp_path, text, expected):
    """Empty, unparsable or non-mapping files get a clear message."""
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=expected):
        hallsim.load_scenario(path)


def test_cli_exit_status_2_one_line_per_problem_no_traceback(tmp_path):
    """The command line prints located lines on stderr and exits 2, with no traceback."""
    path = tmp_path / "broken.yaml"
    path.write_text(WEEKDAY.replace("counters: {windows: 8}", "counters: {windows: 0}"), "utf-8")
    for args in (["run", str(path), "--reps", "1"], ["validate", str(path)]):
        proc = subprocess.run([sys.executable, "-m", "hallsim", *args], capture_output=True,
                              text=True, check=False)
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
        line = WEEKDAY[: WEEKDAY.index("counters:")].count("\n") + 1
        assert proc.stderr.strip().splitlines() == [
            f"{path}:{line}: counters.windows: must be >= 1, got 0"]
        assert proc.stdout == ""


def test_missing_file_is_bad_input():
    """A scenario path that does not exist is bad input (exit 2)."""
    proc = subprocess.run([sys.executable, "-m", "hallsim", "validate", "nope.yaml"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "nope.yaml: no such file" in proc.stderr


def test_table_detractor_curve_needs_ordered_points():
    """curve: table checks its points."""
    data = yaml.safe_load(WEEKDAY)
    data["detractor"] = {"curve": "table", "points": [[10, 0.2], [5, 0.5]]}
    with pytest.raises(ScenarioError, match="strictly increasing"):
        hallsim.Scenario.from_dict(data)


_leaf = st.one_of(st.none(), st.booleans(), st.integers(-5, 2000), st.floats(-2, 2),
                  st.text(max_size=6), st.sampled_from(["09:00", "24:00", "none", "peak"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(["name", "hours.open", "hours.close", "loads.peak", "counters.windows",
                             "services.vip.share", "services.bill_payment.counter_minutes",
                             "shifts.early.count", "shifts.day.breaks", "flex.0.queue_at_most",
                             "patience", "detractor.curve", "triage.minutes.mean",
                             "self_service.kiosks", "profile.1.load", "warmup_minutes",
                             "load_factor", "interval_minutes", "typo_key"]),
       value=_leaf)
def test_any_single_change_loads_or_fails_cleanly(path, value):
    """Whatever one field is set to, loading either succeeds or raises a located ScenarioError."""
    base = hallsim.load_scenario("scenarios/weekday.yaml")
    try:
        changed = base.with_changes({path: value})
    except ScenarioError as err:
        for line in str(err).splitlines():
            assert line.startswith(("scenarios/weekday.yaml", path)), line
    else:
        assert changed.name
