"""Chinese pages are Chinese: under --lang zh, Latin letters are under 5% of the visible
letters of every page and table hallsim writes, ids the user typed (scenario, shift, team
and service names, file names, the commands themselves) and code blocks excepted."""

import html
import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import hallsim
from hallsim.cli import main
from hallsim.exercise.challenge import load_challenge

CHALLENGE = "scenarios/exercise/launch_mix.yaml"


# Names that are no English prose: commands and keys to type, formats and products.
NAMES = {"hallsim", "run", "compare", "sweep", "exercise", "score", "brief", "validate", "schema",
         "fit", "tickets", "detractor", "serve", "staff", "yaml", "html", "csv", "json", "HH",
         "MM", "Ctrl", "JSON", "Schema", "Markdown", "Dask", "pyarrow", "parquet", "UTC", "SIPP",
         "ISA", "Erlang", "P90", "P95", "A", "B", "pp", "Feldman", "Mandelbaum", "Massey", "Whitt",
         "wait_probability"}


def _ids() -> set[str]:
    """Every name a user wrote in the shipped files these pages show, and NAMES."""
    names = set(NAMES) | {"weekday", "peak"}
    for path in ["scenarios/weekday.yaml", "scenarios/peak.yaml"]:
        sc = hallsim.load_scenario(path)
        names |= {sc.name, *(s.name for s in sc.shifts), *(s.name for s in sc.services)}
    challenge = load_challenge(CHALLENGE)
    sc = challenge.scenario
    names |= {sc.name, *(s.name for s in sc.shifts), *(s.name for s in sc.services)}
    ref = Path(CHALLENGE).with_name("launch_mix.reference.yaml").read_text(encoding="utf-8")
    names |= set(re.findall(r"name: (\w+)", ref))
    return names


def _visible(text: str, is_html: bool) -> str:
    if is_html:
        text = re.sub(r"<(script|style|pre|code)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        text = html.unescape(text)
    return text


def latin_share(text: str, ids: set[str], is_html: bool = True) -> tuple[float, list[str]]:
    """Latin letters / (Latin letters + CJK characters), ids and paths left out."""
    text = _visible(text, is_html)
    text = re.sub(r"\S*[/\\]\S*", " ", text)                     # file paths
    text = re.sub(r"\bhallsim(?: [a-z][a-z-]*)*", " ", text)     # commands to type
    words = [w for w in re.findall(r"[A-Za-z_][A-Za-z_0-9-]*", text) if w not in ids]
    latin = sum(len(re.sub(r"[^A-Za-z]", "", w)) for w in words)
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    return (latin / (latin + cjk) if latin + cjk else 0.0), words


@pytest.fixture(scope="module", params=["zh", "zh-Hant"])
def pages(request, tmp_path_factory) -> dict[str, tuple[str, bool]]:
    lang = request.param
    out = tmp_path_factory.mktemp(lang)
    texts: dict[str, tuple[str, bool]] = {}
    team = out / "plan.yaml"
    team.write_text(Path(CHALLENGE).with_name("launch_mix.reference.yaml")
                    .read_text(encoding="utf-8").replace("team: trainer's reference", "team: 一组"),
                    encoding="utf-8")
    runs = {
        "run": ["run", "scenarios/weekday.yaml", "--reps", "2", "--out", str(out / "run")],
        "compare": ["compare", "scenarios/weekday.yaml", "scenarios/peak.yaml", "--reps", "2",
                    "--out", str(out / "cmp")],
        "brief": ["exercise", "brief", CHALLENGE, "--out", str(out / "brief")],
        "score": ["exercise", "score", CHALLENGE, str(team), "--reps", "2",
                  "--out", str(out / "score")],
    }
    for name, args in runs.items():
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            assert main(["--lang", lang, *args]) == 0, name
        texts[f"{name} (console)"] = (buffer.getvalue(), False)
    for page in out.rglob("*.html"):
        texts[str(page.relative_to(out))] = (page.read_text(encoding="utf-8"), True)
    return texts


def test_every_chinese_page_is_under_5_percent_latin(pages):
    """Run and compare reports, the brief, scorecards, the leaderboard and their console
    tables, in 简体 and 繁體: under 5% Latin letters once the user's own ids are set aside."""
    ids = _ids()
    over = {}
    for name, (text, is_html) in pages.items():
        share, words = latin_share(text, ids, is_html)
        if share >= 0.05:
            over[name] = (round(share, 3), sorted(set(words))[:40])
    assert not over, over


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
@pytest.mark.parametrize("command", [[], ["run"], ["compare"], ["validate"], ["exercise", "score"],
                                     ["staff"]])
def test_help_in_chinese_is_under_5_percent_latin(command, lang, capsys):
    """`hallsim --lang zh [COMMAND] --help`: option names, metavars, example commands and
    key names set aside, the help is Chinese."""
    with pytest.raises(SystemExit):
        main(["--lang", lang, *command, "--help"])
    text = capsys.readouterr().out
    text = re.sub(r"(?m)^\s+hallsim .*$", " ", text)          # example command lines
    text = re.sub(r"^用法：.*?\n\n", " ", text, flags=re.S)     # the usage block
    text = re.sub(r"(?m)^  \S+|\b\w+:|\w+_$", " ", text)      # argument names, keys, wraps
    text = re.sub(r"-{1,2}[A-Za-z][\w-]*|\b[A-Z][A-Z_.0-9]+\b|\{[^}]*\}|\b\w+_\w+\b|\w+\.\w+",
                  " ", text)                                  # options, metavars, keys, files
    share, words = latin_share(text, _ids() | {"usage", "COMMAND"}, is_html=False)
    assert share < 0.05, (share, sorted(set(words)))


def test_validate_errors_in_chinese_are_under_5_percent_latin(tmp_path, capsys):
    """A file with several mistakes: the messages, field paths set aside, are Chinese."""
    text = Path("scenarios/low.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "hall.yaml"
    bad.write_text(text.replace("counters: {windows: 8}", "counters: {windows: -1}")
                   .replace('close: "18:00"', 'close: "18：00"').replace("divert_online: 0.5",
                                                                        "divert_online: 70"),
                   encoding="utf-8")
    assert main(["--lang", "zh", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    err = re.sub(r"(?m)^\S+:\d+: [\w.\[\]\"]+: ", " ", err)     # file:line: field:
    share, words = latin_share(err, _ids(), is_html=False)
    assert share < 0.05, (share, sorted(set(words)), err)


@pytest.fixture(scope="module")
def more_pages(tmp_path_factory) -> dict[str, str]:
    """The advisor's report, a debrief and a week's report, in 简体 (the catalogs of both
    scripts hold the same entries; test_glossary holds them to each other's words). About 3 s,
    most of it one short advisor run: the only way to see its report."""
    out = tmp_path_factory.mktemp("more")
    team = out / "plan.yaml"
    team.write_text(Path("scenarios/exercise/lunch_peak.reference.yaml").read_text(encoding="utf-8")
                    .replace("team: trainer's reference", "team: 一组"), encoding="utf-8")
    runs = {
        "staff": ["staff", "scenarios/low.yaml", "--target", "wait_probability=0.3", "--reps", "1",
                  "--verify-days", "2", "--out", str(out / "staff")],
        "debrief": ["exercise", "debrief", "scenarios/exercise/lunch_peak.yaml", str(team),
                    "--reps", "1", "--out", str(out / "debrief")],
        "week": ["run", "scenarios/weeks/city-week.yaml", "--reps", "1", "--out", str(out / "week")],
    }
    for name, args in runs.items():
        with redirect_stdout(io.StringIO()):
            assert main(["--lang", "zh", *args]) == 0, name
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}


def test_advisor_debrief_and_week_pages_are_chinese(more_pages, tmp_path):
    """The staffing advisor's report, the debrief and the week's report: under 5% Latin once
    the ids (the advisor's own shift names among them) are set aside."""
    ids = _ids() | {"city-week", "lunch-peak"}
    for name in ("lunch_peak.reference.yaml",):
        ids |= set(re.findall(r"name: (\w+)", Path("scenarios/exercise", name).read_text()))
    over = {}
    for name, text in more_pages.items():
        found = ids | set(re.findall(r"\bc\d{4}_\d{4}(?:_\d+)?\b", text))  # advisor's shifts
        share, words = latin_share(text, found)
        if share >= 0.05:
            over[name] = (round(share, 3), sorted(set(words))[:40])
    assert len(more_pages) >= 3 and not over, over
