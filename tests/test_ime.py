"""A Chinese input method's slips in a scenario or plan: each found at its own line, with
the fix named, and the file's other errors still reported."""

from pathlib import Path

import pytest

import hallsim
from hallsim import ScenarioError
from hallsim.exercise.challenge import load_challenge, load_plan
from hallsim.i18n import language
from hallsim.scenario import ime

BASE = Path("scenarios/low.yaml").read_text(encoding="utf-8")


def _errors(tmp_path, text: str) -> list[str]:
    path = tmp_path / "hall.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        hallsim.load_scenario(path)
    return [line.replace(str(path), "hall.yaml") for line in str(caught.value).splitlines()]


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_full_width_colon_after_a_key_is_reported_at_its_own_line(tmp_path):
    """`name： low` and `share： 0.30`: both slips at their lines (not one line late), the fix
    named, and an unrelated error in the same file is reported too."""
    text = (BASE.replace("name: low", "name： low").replace("    share: 0.30\n", "    share： 0.30\n")
            .replace("counters: {windows: 8}", "counters: {windows: -1}"))
    errors = _errors(tmp_path, text)
    assert errors[0].startswith(f"hall.yaml:{_line(text, 'name：')}: full-width colon")
    assert 'write the ASCII ":"' in errors[0]
    assert errors[1].startswith(f"hall.yaml:{_line(text, 'share：')}: full-width colon")
    assert errors[2] == f"hall.yaml:{_line(text, 'windows: -1')}: counters.windows: must be >= 1, got -1"
    assert not any("could not find expected" in e for e in errors)


def test_full_width_colon_in_a_time_names_the_time_to_write(tmp_path):
    """`close: "18：00"` → write "18:00"; `close：18:00` in a flow mapping is named too."""
    errors = _errors(tmp_path, BASE.replace('close: "18:00"}', 'close: "18：00"}', 1))
    assert errors == ['hall.yaml:6: hours.close: expected "HH:MM", got "18：00" '
                      '(full-width colon "：": write "18:00")']
    errors = _errors(tmp_path, BASE.replace('close: "18:00"}', "close：18:00}", 1))
    assert errors == ['hall.yaml:6: full-width colon "：" after "close" (a Chinese input '
                      'method\'s): write "close:"',
                      'hall.yaml:6: hours.close: expected a quoted time "HH:MM", got the number '
                      '1080 (YAML reads unquoted 18:00 as a number: write "18:00")']


def test_full_width_comma_in_a_flow_mapping(tmp_path):
    """`{open: "09:00"， close: "18:00"}`: the comma is named at its line."""
    text = BASE.replace('{open: "09:00", close: "18:00"}', '{open: "09:00"， close: "18:00"}')
    assert _errors(tmp_path, text) == ['hall.yaml:6: full-width comma "，" between items: write '
                                       'the ASCII ","']


@pytest.mark.parametrize("quoted", ["“09:00”", "‘09:00’"])
def test_chinese_quotes_around_a_time(tmp_path, quoted):
    """Chinese quotation marks: write the value with ASCII quotes."""
    text = BASE.replace('{open: "09:00"', "{open: " + quoted, 1)
    assert _errors(tmp_path, text) == [
        f'hall.yaml:6: hours.open: expected "HH:MM", got "{quoted}" (Chinese quotation marks: '
        'write "09:00" with ASCII quotes)']


@pytest.mark.parametrize(("written", "meant"), [("greeter", "triage"), ("引导员", "triage"),
                                                ("营业员", "counter"), ("预处理", "preprocess")])
def test_a_role_in_other_words_gets_the_role_meant(tmp_path, written, meant):
    """role: greeter / 引导员 / 营业员 / 预处理 → did you mean triage / counter / preprocess."""
    text = BASE.replace("role: preprocess", f"role: {written}", 1)
    (error,) = _errors(tmp_path, text)
    assert error.endswith(f"(did you mean '{meant}'?)")
    assert f"hall.yaml:{_line(text, f'role: {written}')}: shifts[" in error


def test_a_percentage_where_a_share_is_meant(tmp_path):
    """divert_online: 70 → write 0.7."""
    (error,) = _errors(tmp_path, BASE.replace("divert_online: 0.5", "divert_online: 70"))
    assert error.endswith("triage.divert_online: must be <= 1, got 70 (a share, not a "
                          "percentage: write 0.7 for 70%)")


def test_a_key_that_swallowed_a_full_width_colon(tmp_path):
    """`self_service：{kiosks: 4}` parses as one odd key: the colon is named."""
    (error,) = _errors(tmp_path, BASE.replace("self_service: {kiosks: 4}",
                                              "self_service： {kiosks: 4}"))
    assert error == ('hall.yaml:47: full-width colon "：" after "self_service" (a Chinese '
                     'input method\'s): write "self_service:"')


def test_a_service_named_by_its_chinese_display_name(tmp_path):
    """streamline: {开户: 10} in a plan → did you mean new_line (开户)."""
    challenge = load_challenge("scenarios/exercise/launch_mix.yaml")
    plan = tmp_path / "plan.yaml"
    plan.write_text('team: 一组\nshifts:\n  - {name: a, role: counter, start: "09:00", '
                    'end: "17:00", count: 8}\nlevers:\n  streamline: {开户: 10}\n',
                    encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"plan\.yaml:5: levers\.streamline\.开户: no service "
                       r"\"开户\" .*\(did you mean 'new_line' \(开户\)\?"):
        load_plan(challenge, plan)
    with pytest.raises(ScenarioError, match="did you mean 'new_line'"):
        hallsim.load_scenario("scenarios/low.yaml").with_changes({"services.开户.share": 0.2})
    plan.write_text(plan.read_text(encoding="utf-8").replace("开户", "新开户"), encoding="utf-8")
    with language("zh"), pytest.raises(ScenarioError, match="（现有：缴费（bill_payment）、套餐变更"
                                       "（plan_change）、开户（new_line）"):
        load_plan(challenge, plan)          # no hint to give: the list pairs names and ids


def test_hints_in_chinese():
    """Under --lang zh the hints are Chinese and name the same fix."""
    with language("zh"):
        assert ime.share_hint(70) == "（这里是比例，不是百分数：70% 请写成 0.7）"
        assert "全角冒号" in ime.slips("name： low\n")[0][1]


def test_names_may_hold_chinese_punctuation(tmp_path):
    """A name with full-width punctuation in a valid file is no slip: the file loads as written."""
    path = tmp_path / "hall.yaml"
    path.write_text(BASE.replace("name: low", "name: 城东：A厅，周一“新”"), encoding="utf-8")
    assert hallsim.load_scenario(path).name == "城东：A厅，周一“新”"


@pytest.mark.parametrize("typed", ['start："09:00"', "start：09:00", 'start： "09:00"'])
@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
def test_a_colon_typed_without_a_space_is_named_at_its_line_in_line_order(tmp_path, typed, flow):
    """`start："09:00"` (how an input method types it), `start：09:00` and `start： "09:00"`,
    in a flow map or a block: the slip at its own line, no false "required field is
    missing", and the file's other errors before and after it, in line order."""
    shift = '  - {name: counter_a, role: counter,    start: "09:00", end: "18:00", count: 2,'
    shift += '\n     breaks: [{at: "11:30", minutes: 45}]}'
    if flow:
        slipped = shift.replace('start: "09:00"', typed)
    else:
        slipped = ("  - name: counter_a\n    role: counter\n    " + typed + '\n    end: "18:00"'
                   '\n    count: 2\n    breaks: [{at: "11:30", minutes: 45}]')
    text = (BASE.replace(shift, slipped)
            .replace("counters: {windows: 8}", "counters: {windows: -1}")
            .replace('start: "09:00", end: "18:00", count: 2,\n     breaks: [{at: "13:00"',
                     'start: "09:00", end: "18:00", count: -2,\n     breaks: [{at: "13:00"'))
    errors = _errors(tmp_path, text)
    lines = [int(e.split(":")[1]) for e in errors]
    assert lines == sorted(lines)
    slip = _line(text, typed)
    assert f"hall.yaml:{slip}: full-width colon" in "\n".join(errors)
    assert errors[0].startswith(f"hall.yaml:{_line(text, 'windows: -1')}: counters.windows")
    assert any(e.startswith(f"hall.yaml:{_line(text, 'count: -2')}: shifts[1].count") for e in errors)
    assert not any("missing" in e or "syntax error" in e for e in errors)
    assert len(errors) == 3
