"""The command line in the user's language: --help, and --lang before the command."""

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from hallsim.cli import build_parser, main
from hallsim.cli_help import ARGPARSE_WORDS, language_in
from hallsim.i18n import language, translate


def _parsers(parser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def _help_texts():
    for parser in _parsers(build_parser()):
        yield parser.prog, parser.description
        for action in parser._actions:
            yield parser.prog, action.help
            for choice in getattr(action, "_choices_actions", []):
                yield parser.prog, choice.help
    for word in ARGPARSE_WORDS:
        yield "argparse", word


def test_every_help_text_has_a_chinese_translation():
    """Every option's and command's help is in the zh catalog (the help is translated when
    it is printed: add new help strings to hallsim.po)."""
    with language("zh"):
        missing = sorted({f"{prog}: {text}" for prog, text in _help_texts()
                          if text and text != argparse.SUPPRESS and translate(text) == text})
    assert not missing, "\n".join(missing)


def test_lang_before_the_command_prints_chinese_help():
    """`hallsim --lang zh --help` works and is Chinese, with full-width section colons."""
    proc = subprocess.run([sys.executable, "-m", "hallsim", "--lang", "zh", "--help"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("用法：hallsim")
    assert "位置参数：" in proc.stdout and "显示本帮助并退出" in proc.stdout
    assert "弹性排班演练" in proc.stdout and "退出状态：" in proc.stdout


def test_a_commands_help_follows_lang_given_after_it(capsys):
    """`hallsim run --help --lang zh`: the language is found before the help is printed."""
    with pytest.raises(SystemExit) as stop:
        main(["run", "--help", "--lang", "zh"])
    assert stop.value.code == 0
    assert "场景 YAML 文件" in capsys.readouterr().out


def test_lang_before_the_command_applies_to_the_command(capsys):
    """`hallsim --lang zh run ...` prints the Chinese table."""
    assert main(["--lang", "zh", "run", "scenarios/weekday.yaml", "--reps", "1"]) == 0
    assert "平均等候时间" in capsys.readouterr().out


def test_language_is_read_from_the_command_line_before_parsing():
    """The last --lang wins; an unknown language is left to argparse to refuse."""
    assert language_in(["--lang", "zh", "run", "--lang=en"]) == "en"
    assert language_in(["run", "x.yaml"]) is None and language_in(["--lang", "fr"]) is None


def test_validate_and_run_errors_in_chinese(tmp_path, capsys):
    """--lang zh: a scenario's errors are Chinese after the file:line: field: location."""
    text = Path("scenarios/low.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "hall.yaml"
    bad.write_text(text.replace("counters: {windows: 8}", "counters: {windows: -1, door: 2}")
                   .replace('close: "18:00"', 'close: "25:00"'), encoding="utf-8")
    for command in (["validate"], ["run", "--reps", "1"]):
        assert main([*command, str(bad), "--lang", "zh"]) == 2
        err = capsys.readouterr().err
        assert f'{bad}:6: hours.close: 应为 "00:00" 到 "24:00" 之间的 "HH:MM"，实际为 "25:00"' in err
        assert "counters.windows: 必须 >= 1，实际为 -1" in err
        assert 'counters.door: 未知的键 "door"；此处可用的键：windows' in err
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert main(["--lang", "zh", "validate", str(tmp_path / "empty.yaml")]) == 2
    assert "文件是空的" in capsys.readouterr().err


@pytest.mark.parametrize("alias, lang", [
    ("zh_Hant", "zh-Hant"), ("zh_TW", "zh-Hant"), ("zh-TW", "zh-Hant"), ("zh-Hant", "zh-Hant"),
    ("zh_CN", "zh"), ("zh-CN", "zh"), ("zh-Hans", "zh"), ("zh", "zh"), ("en_GB", "en")])
def test_lang_takes_the_locale_spellings_people_type(alias, lang, capsys):
    """--lang zh_Hant, zh_TW, zh-CN ... before or after the command: the same language."""
    expected = {"zh-Hant": "通過", "zh": "通过", "en": "ok"}[lang]
    for args in (["validate", "scenarios/weekday.yaml", "--lang", alias],
                 ["--lang", alias, "validate", "scenarios/weekday.yaml"]):
        assert main(args) == 0
        assert expected in capsys.readouterr().out
    assert language_in(["run", f"--lang={alias}"]) == lang


def test_an_unknown_lang_is_still_refused_with_the_choices(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["validate", "scenarios/weekday.yaml", "--lang", "fr"])
    assert stop.value.code == 2 and "zh-Hant" in capsys.readouterr().err
