"""Errors in the reader's language: under --lang zh and zh-Hant every message about a bad
scenario, challenge, plan, rules file or override is Chinese once the file, line, field and
the values the user typed are set aside — no English sentence is left (the Latin-share
pattern of test_latin_share, applied message by message)."""

import re
from pathlib import Path

import pytest

from hallsim.cli import main

LOW = Path("scenarios/low.yaml").read_text(encoding="utf-8")
CHALLENGE = Path("scenarios/exercise/lunch_peak.yaml").read_text(encoding="utf-8")

# Each case: a file made from a shipped one by replacements, and what it gets wrong.
SCENARIOS = {
    "time": [('close: "18:00"', 'close: "25:99"')],
    "missing": [("name: low\n", "")],
    "typo": [("counters: {windows: 8}", "counters: {windos: 8}"),
             ("self_service: {kiosks: 4}", "self_service: {kiosk: 4}")],
    "shares": [("share: 0.35", "share: 0.45")],
    "gap": [('  - {from: "09:00", to: "18:00", load: low}',
             '  - {from: "09:00", to: "12:00", load: low}\n'
             '  - {from: "13:00", to: "18:00", load: busy}')],
    "distribution": [("{dist: lognormal, mean: 3.0, cv: 0.5}", "{dist: lognormol, mean: 3.0}"),
                     ("{dist: gamma, mean: 7.0, cv: 0.6}", "{dist: gamma, mean: -7.0, cv: 0.6}"),
                     ("{dist: lognormal, mean: 8.0, cv: 0.5}", "{dist: lognormal, mean: 8.0}")],
    "types": [("counters: {windows: 8}", "counters: {windows: eight}"),
              ("priority: 0", "priority: 0.5"), ("share: 0.15", "share: many")],
    "shifts": [('start: "09:00", end: "18:00", count: 2,\n     breaks: [{at: "11:30"',
                'start: "09:00", end: "08:00", count: 2,\n     breaks: [{at: "11:30"'),
               ('breaks: [{at: "13:00", minutes: 45}]', 'breaks: [{at: "19:00", minutes: 45}]'),
               ("name: floor", "name: counter_b"),
               ("queue_at_least: 4, queue_at_most: 1", "queue_at_least: 4, queue_at_most: 6")],
    "roles": [("role: preprocess", "role: greeter"), ("to: counter,", "to: preprocess,")],
    "syntax": [("loads: {low: 35}", "loads: {low: 35")],
    "tab": [("loads: {low: 35}", "loads:\n\t low: 35")],
    "ime": [('close: "18:00"', 'close: "18：00"'), ("divert_online: 0.5", "divert_online: 70")],
    "empty-list": [("flex:                                       # the floor person opens a "
                    "window if needed\n  - {from: preprocess, to: counter, queue_at_least: 4, "
                    "queue_at_most: 1}", "shifts_extra: []")],
}
CHALLENGES = {
    "duty": [("max_on_duty: {triage: 2, preprocess: 2}", "max_on_duty: {greeter: 2}")],
    "rules": [("break_rule: {over_hours: 6, min_minutes: 30}", "break_rule: {over_hours: 6}")],
    "reference": [("reference_plan: lunch_peak.reference.yaml", "reference_plan: nowhere.yaml")],
}


def _write(tmp_path: Path, name: str, text: str, changes: list[tuple[str, str]]) -> Path:
    for old, new in changes:
        assert old in text, (name, old)
        text = text.replace(old, new, 1)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _english_left(err: str) -> list[str]:
    """Runs of three or more English words left once the location, quoted values, ids and
    keys are set aside; and the Latin share of what is left."""
    found = []
    for line in err.splitlines():
        line = re.sub(r"^\S+?:\d+: [\w.\[\]\"-]+: ", " ", line)        # file:line: field:
        line = re.sub(r"^\S+?(:\d+)?[:：]\s?", " ", line)                # file: / file:line:
        line = re.sub(r"\"[^\"]*\"|'[^']*'|“[^”]*”|`[^`]*`", " ", line)    # values as typed
        line = re.sub(r"\b\w+[_.]\w+\b|--?\w[\w-]*", " ", line)          # keys and options
        found += re.findall(r"[A-Za-z]+(?: [A-Za-z]+){2,}", line)
        found += [w for w in re.findall(r"[A-Za-z]+", line) if w.lower() in ENGLISH]
    return found


# Words of English messages that are never ids, keys or values.
ENGLISH = {"error", "argument", "arguments", "required", "expected", "must", "got", "invalid",
           "choose", "unknown", "the", "should", "cannot", "missing", "field", "value"}


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_scenario_errors_are_chinese(tmp_path, capsys, lang):
    """Times, missing and unknown keys, shares, profile gaps, distributions, types, shifts,
    breaks, flex rules, roles, YAML syntax and input-method slips: all in Chinese."""
    files = [_write(tmp_path, name, LOW, changes) for name, changes in SCENARIOS.items()]
    for path in files:
        assert main(["--lang", lang, "validate", str(path)]) == 2, path.name
    err = capsys.readouterr().err
    assert len(err.splitlines()) >= len(files)
    assert _english_left(err) == [], err
    print(err)


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_challenge_plan_override_and_argument_errors_are_chinese(tmp_path, capsys, lang):
    """A challenge's rules and reference, a team's plan, --set and a bad number argument."""
    for name, changes in CHALLENGES.items():
        path = _write(tmp_path, name, CHALLENGE, changes)
        (tmp_path / "lunch_peak.reference.yaml").write_text(
            Path("scenarios/exercise/lunch_peak.reference.yaml").read_text(encoding="utf-8"),
            encoding="utf-8")
        assert main(["--lang", lang, "exercise", "brief", str(path), "--out",
                     str(tmp_path / "out")]) == 2, name
    plan = tmp_path / "plan.yaml"
    plan.write_text('team: 一组\nshifts:\n  - {name: a, role: counter, start: "09:00", '
                    'end: "13:00", count: 2, colour: red}\nlevers: {kiosks: 5}\n',
                    encoding="utf-8")
    assert main(["--lang", lang, "exercise", "score", "scenarios/exercise/lunch_peak.yaml",
                 str(plan), "--reps", "1"]) == 1
    assert main(["--lang", lang, "run", "scenarios/low.yaml", "--set", "shifts.nobody.count=2",
                 "--reps", "1"]) == 2
    assert main(["--lang", lang, "run", "scenarios/low.yaml", "--set", "counters.windows=0",
                 "--reps", "1"]) == 2
    for bad in (["run", "scenarios/low.yaml", "--reps", "many"], ["runn"], ["run"],
                ["run", "scenarios/low.yaml", "--lang", "fr"], ["validate", "x.yaml", "--frobnicate"]):
        with pytest.raises(SystemExit):
            main(["--lang", lang, *bad])
    err = capsys.readouterr().err
    err = "\n".join(line for line in err.splitlines()       # usage lines: options as typed
                    if not re.match(r"用法|\s+(\[|\w+$)", line))
    assert _english_left(err) == [], err
    print(err)
