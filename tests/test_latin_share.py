"""Chinese pages are Chinese (contract section 12): under --lang zh and --lang zh-Hant, Latin
letters are under 5% of the visible letters of everything hallsim writes, once the names the
user typed (scenario, shift, team, staff, service and file names, the commands and keys to
type) and code are set aside.

Nothing here is a hand list that can forget a page: the commands come from the parser (a
command with no run below fails the test), the pages from whatever each command wrote (a
file of a kind not classed as a page or as data fails it), and the web pages from the app's
routes (a route that serves HTML and is not fetched fails it)."""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import hallsim
from hallsim.cli import build_parser, main
from hallsim.exercise.levers import LEVERS

ROOT = Path(__file__).resolve().parents[1]

# Names that are no English prose: the product, formats, statistics and keys on a keyboard.
NAMES = {"hallsim", "yaml", "YAML", "html", "csv", "json", "JSON", "pdf", "xlsx", "HH", "MM",
         "Ctrl", "Shift", "Alt", "Schema", "Markdown", "Dask", "pyarrow", "parquet", "UTC",
         "SIPP", "ISA", "Erlang", "P90", "P95", "A", "B", "pp", "AIC", "KS", "QQ", "p",
         "Feldman", "Mandelbaum", "Massey", "Whitt", "English", "NPS"}


def _names_in(text: str) -> set[str]:
    """Every name a YAML file gives (``name:``, ``team:``, keys of loads), word by word."""
    found = set(re.findall(r"\b(?:name|team|hall):\s*['\"]?([^'\"\n#,}]+)", text))
    return {w for name in found for w in re.findall(r"[A-Za-z_][A-Za-z_0-9-]*", name)}


def _ids(*folders: Path) -> set[str]:
    """NAMES, and every name the shipped files (and any files in ``folders``) give: the
    scenarios', shifts', services', staff's and teams' names and the files' own stems."""
    names = set(NAMES) | set(LEVERS)                # the keys of a plan's levers: block
    for folder in (ROOT / "scenarios", *folders):
        for path in folder.rglob("*.yaml"):
            names |= _names_in(path.read_text(encoding="utf-8")) | set(
                re.findall(r"[A-Za-z_][A-Za-z_0-9-]*", path.stem))
    return names


def _visible(text: str, is_html: bool) -> str:
    if is_html:
        text = re.sub(r"<(script|style|pre|code)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        text = html.unescape(text)
    return text


FILE_NAME = re.compile(r"[\w*.-]+\.(?:html|pdf|yaml|csv|json|xlsx|md|png|parquet)\b")


def latin_share(text: str, ids: set[str], is_html: bool = True) -> tuple[float, list[str]]:
    """Latin letters / (Latin letters + CJK characters), ids, paths and commands left out."""
    text = _visible(text, is_html)
    text = re.sub(r"\S*[/\\]\S*", " ", text)                     # file paths
    text = FILE_NAME.sub(" ", text)                               # file names
    text = re.sub(r"\bhallsim(?: [a-z][a-z-]*)*", " ", text)     # commands to type
    text = re.sub(r"(?<!\w)--?[a-z][\w-]*", " ", text)            # their options
    text = re.sub(r"\b[a-z_]+(?:\.[\w-]+)+|\b[a-z_]+:(?=\s)", " ", text)  # fields, keys to type
    words = re.findall(r"[A-Za-z_][A-Za-z_0-9-]*(?:…)?", text)
    words = [w for w in words if w not in ids and not (         # an id cut short by a table
        w.endswith("…") and any(i.startswith(w[:-1]) for i in ids))]
    latin = sum(len(re.sub(r"[^A-Za-z]", "", w)) for w in words)
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    return (latin / (latin + cjk) if latin + cjk else 0.0), words


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> set[tuple]:
    """Every command a user can run (``("exercise", "score")``, ...), from the parser."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {path}
    return {leaf for name, sub in subs[0].choices.items()
            for leaf in leaf_commands(sub, (*path, name))}


TEAM = "scenarios/exercise/lunch_peak.reference.yaml"
CHALLENGE = "scenarios/exercise/lunch_peak.yaml"

# What each command is run with ({tmp}: the inputs' folder, {out}: a fresh output folder).
# Small halls and few replications: the words are the point, not the numbers.
COMMANDS: dict[tuple, list[list[str]]] = {
    ("run",): [["run", "scenarios/low.yaml", "--reps", "2", "--out", "{out}"],
               ["run", "{tmp}/week.yaml", "--reps", "1", "--out", "{out}"]],
    ("compare",): [["compare", "scenarios/low.yaml", "scenarios/mid.yaml", "--reps", "2",
                    "--out", "{out}"],
                   ["compare", TEAM, "{tmp}/plan.yaml", "--challenge", CHALLENGE, "--reps", "1"]],
    ("sweep",): [["sweep", "scenarios/low.yaml", "--vary", "counters.windows=6,8", "--reps", "1",
                  "--out", "{out}/sweep.csv"]],
    ("exercise", "brief"): [["exercise", "brief", CHALLENGE, "--out", "{out}"]],
    ("exercise", "score"): [["exercise", "score", CHALLENGE, "{tmp}/plan.yaml", "--reps", "1",
                             "--out", "{out}"]],
    ("exercise", "debrief"): [["exercise", "debrief", CHALLENGE, "{tmp}/plan.yaml", "--reps", "1",
                               "--no-levers", "--out", "{out}"]],
    ("exercise", "pack"): [["exercise", "pack", CHALLENGE, "--reps", "1", "--out", "{out}"]],
    ("validate",): [["validate", "scenarios/low.yaml", "{tmp}/week.yaml", CHALLENGE]],
    ("fit", "tickets"): [["fit", "tickets", "{tmp}/log.csv", "--out", "{out}/hall.yaml"]],
    ("fit", "detractor"): [["fit", "detractor", "{tmp}/survey.csv", "--boot", "5",
                            "--out", "{out}/block.yaml"]],
    ("staff",): [["staff", "scenarios/low.yaml", "--target", "wait_probability=0.3", "--reps", "1",
                  "--verify-days", "2", "--out", "{out}"],
                 ["staff", "{tmp}/week.yaml", "--target", "wait_probability=0.3", "--reps", "2",
                  "--verify-days", "2", "--out", "{out}"]],
}
# Commands measured elsewhere, and why.
ELSEWHERE = {
    ("serve",): "its pages: test_every_page_served_in_chinese_is_chinese, over the app's routes",
    ("batch",): "its halls' reports: test_batch_reports_are_in_the_batch_language (a Dask "
                "cluster costs seconds; the reports come from the function its workers run)",
    ("schema",): "prints the file formats for editors (JSON Schema) and docs/ (the docs' task)",
}
# What hallsim writes that is data for programs, or a file the user edits (their names are
# ids), rather than a page to read.
DATA = {".csv", ".json", ".yaml", ".png", ".parquet"}


def _text_of(path: Path) -> tuple[str, bool] | None:
    """A written file's visible text (is it HTML?), or None for data."""
    if path.suffix in DATA:
        return None
    if path.suffix == ".html":
        return path.read_text(encoding="utf-8"), True
    if path.suffix in (".md", ".txt"):
        return path.read_text(encoding="utf-8"), False
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout, False
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        cells = [str(c) for sheet in load_workbook(path).worksheets
                 for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        return "\n".join(cells), False
    raise AssertionError(f"{path.name}: a new kind of file; class it as a page or as DATA")


def _inputs(folder: Path) -> None:
    """A team's plan, a small week with its staff, a ticket log and a survey."""
    (folder / "plan.yaml").write_text(Path(TEAM).read_text(encoding="utf-8").replace(
        "team: trainer's reference", "team: 一组"), encoding="utf-8")
    hall = yaml.safe_load(Path("scenarios/low.yaml").read_text(encoding="utf-8"))
    hall.update(name="小厅", hours={"open": "09:00", "close": "12:00"},
                profile=[{"from": "09:00", "to": "12:00", "rate": 30}],
                shifts=[{"name": "早班", "role": "counter", "start": "09:00", "end": "12:00",
                         "count": 2}])
    (folder / "hall.yaml").write_text(yaml.safe_dump(hall, allow_unicode=True), encoding="utf-8")
    (folder / "week.yaml").write_text(yaml.safe_dump({
        "name": "小厅一周", "hall": "hall.yaml", "days": {"sun": {"closed": True}},
        "rules": {"min_shift_hours": 2, "max_shift_hours": 3},
        "staff": [{"name": "王芳", "weekly_hours": [6, 15], "days_off": 2},
                  {"name": "李娜", "weekly_hours": [6, 15], "days_off": 2},
                  {"name": "张伟", "weekly_hours": [6, 15], "days_off": 2}]},
        allow_unicode=True), encoding="utf-8")
    from hallsim.calibration.export import ticket_log

    sc = hallsim.load_scenario("scenarios/low.yaml")
    days = hallsim.replicate(sc, reps=2, seed=3)
    ticket_log(days.customers, sc.hours.open).to_csv(folder / "log.csv", index=False)
    rng = np.random.default_rng(5)
    wait = rng.exponential(8.0, 200).round(1)
    score = np.where(rng.random(200) < wait / 25, 3, np.where(rng.random(200) < 0.5, 9, 7))
    pd.DataFrame({"wait_min": wait, "score": score}).to_csv(folder / "survey.csv", index=False)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[dict[str, tuple[str, bool]], set[str]]:
    """Every command run, in 简体 and 繁體 by turns (the two catalogs hold the same entries,
    test_i18n; what leaks English is text that bypasses them, in either script): what it
    printed and every page it wrote, with the ids of the inputs and of the files it wrote.
    About 7 s of CPU: the report's plots, the advisor, the fit."""
    tmp = tmp_path_factory.mktemp("in")
    _inputs(tmp)
    texts: dict[str, tuple[str, bool]] = {}
    outs = tmp_path_factory.mktemp("out")
    turn = 0
    for command, runs in COMMANDS.items():
        for k, args in enumerate(runs):
            lang = ("zh", "zh-Hant")[turn % 2]
            turn += 1
            name = f"{' '.join(command)} #{k} ({lang})"
            out = outs / f"{'-'.join(command)}-{k}-{lang}"
            args = [a.format(tmp=tmp, out=out) for a in args]
            stdout, stderr = io.StringIO(), io.StringIO()
            with redirect_stdout(stdout), redirect_stderr(stderr):
                status = main(["--lang", lang, *args])
            assert status == 0, (name, stderr.getvalue())
            texts[f"{name}: console"] = (stdout.getvalue() + "\n" + stderr.getvalue(), False)
    for path in sorted(outs.rglob("*")):
        if path.is_file() and (found := _text_of(path)) is not None:
            texts[str(path.relative_to(outs))] = found
    return texts, _ids(tmp, outs)


def test_every_command_is_run_or_measured_elsewhere():
    """A new command fails here until its output is measured below."""
    assert leaf_commands(build_parser()) == set(COMMANDS) | set(ELSEWHERE)


def test_everything_hallsim_writes_in_chinese_is_under_5_percent_latin(written):
    """Every command's console output and every page, document, worksheet and spreadsheet
    it wrote, in 简体 and 繁體: under 5% Latin once the user's own ids are set aside."""
    texts, ids = written
    assert len([n for n in texts if not n.endswith(": console")]) >= 15
    assert {"zh", "zh-Hant"} <= {n.split("(")[-1].split(")")[0] for n in texts}
    over = {}
    for name, (text, is_html) in texts.items():
        share, words = latin_share(text, ids, is_html)
        if share >= 0.05:
            over[name] = (round(share, 3), sorted(set(words))[:40])
    assert not over, over


@pytest.mark.parametrize("lang", ["zh-Hant"])
def test_batch_reports_are_in_the_batch_language(lang):
    """A batch's hall reports are written by its workers, which start in English: the job
    carries the language (the report of a hall run there is Chinese)."""
    from hallsim.batch.tasks import Job, run_hall

    sc = hallsim.load_scenario("scenarios/low.yaml")
    _row, files = run_hall(sc, Job(None, reps=1, seed=1, verify_days=1, lang=lang))
    share, words = latin_share(files["report.html"].decode("utf-8"), _ids())
    assert share < 0.05, (share, sorted(set(words)))


def _help_share(lang: str, command: tuple, capsys) -> tuple[float, list[str]]:
    with pytest.raises(SystemExit):
        main(["--lang", lang, *command, "--help"])
    text = capsys.readouterr().out
    text = re.sub(r"(?m)^\s+hallsim .*?(?:\s# |$)", " ", text)  # example commands (not notes)
    text = re.sub(r"(?m)^    \S+", " ", text)                 # sub-command names
    text = re.sub(r"^用法：.*?\n\n", " ", text, flags=re.S)     # the usage block
    text = re.sub(r"(?m)^  \S+|\b\w+:|\w+_$", " ", text)      # argument names, keys, wraps
    text = re.sub(r"-{1,2}[A-Za-z][\w-]*|\b[A-Z][A-Z_.0-9]+\b|\{[^}]*\}|\b\w+_\w+\b|\w+\.\w+",
                  " ", text)                                  # options, metavars, keys, files
    commands = {name for leaf in leaf_commands(build_parser()) for name in leaf}  # typed
    return latin_share(text, _ids() | commands | {"usage", "COMMAND"}, is_html=False)


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_every_help_in_chinese_is_under_5_percent_latin(lang, capsys):
    """`hallsim --lang zh [COMMAND] --help` for every command and sub-command the parser
    has: option names, metavars, example commands and key names set aside, it is Chinese."""
    over = {}
    commands = leaf_commands(build_parser())
    for command in sorted({(), *commands, *{c[:1] for c in commands}}):
        share, words = _help_share(lang, command, capsys)
        if share >= 0.05:
            over[command] = (round(share, 3), sorted(set(words)))
    assert not over, over


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_validate_errors_in_chinese_are_under_5_percent_latin(lang, tmp_path, capsys):
    """A file with several mistakes: the messages, field paths set aside, are Chinese."""
    text = Path("scenarios/low.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "hall.yaml"
    bad.write_text(text.replace("counters: {windows: 8}", "counters: {windows: -1}")
                   .replace('close: "18:00"', 'close: "18：00"').replace("divert_online: 0.5",
                                                                        "divert_online: 70"),
                   encoding="utf-8")
    assert main(["--lang", lang, "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    err = re.sub(r"(?m)^\S+:\d+: [\w.\[\]\"]+: ", " ", err)     # file:line: field:
    share, words = latin_share(err, _ids(), is_html=False)
    assert share < 0.05, (share, sorted(set(words)), err)


def _finish(client, url: str) -> None:
    import time

    for _ in range(1200):
        if client.get(url).json()["status"] not in ("queued", "running"):
            return
        time.sleep(0.05)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """The app with a room, a run asked in 简体 and a fit in 繁體 (a job's report is written
    in the language it was asked in; either script is Chinese to the measure)."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from hallsim.web.app import create_app

    tmp = tmp_path_factory.mktemp("web-in")
    _inputs(tmp)
    from hallsim.web import fitting

    app = create_app(tmp_path_factory.mktemp("web"), workers=0)
    with pytest.MonkeyPatch.context() as patch, TestClient(app, base_url="http://localhost") as client:
        patch.setattr(fitting, "CHECK_DAYS", 2)       # the words, not the check's precision
        room = client.post("/api/rooms", json={"challenge": "lunch_peak", "reps": 1}).json()
        run = client.post("/api/runs?lang=zh", json={"scenario": "low", "reps": 1}).json()
        _finish(client, f"/api/runs/{run['id']}")
        files = {name: (f"{name}.csv", (tmp / f"{name}.csv").read_bytes(), "text/csv")
                 for name in ("log", "survey")}
        fit = client.post("/api/fits?lang=zh-Hant", files=files, data={"name": "小厅"})
        assert fit.status_code == 202, fit.text
        _finish(client, f"/api/fits/{fit.json()['id']}")
        jobs = {"/api/fits/": fit.json()["id"], "/": run["id"]}
        yield app, client, {"room_id": room["room"], "name": "weekday"}, jobs


def _routes(routes):
    """Every route, those of included routers too (FastAPI may keep them behind a wrapper)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from (_routes(inner.routes) if inner is not None else (route,))


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_every_page_served_in_chinese_is_chinese(web, lang):
    """Every route that serves an HTML page, fetched with ?lang=: the page, and the words its
    scripts show (handed to them translated), under 5% Latin."""
    from fastapi.responses import HTMLResponse
    from fastapi.routing import APIRoute

    app, client, params, jobs = web
    fitted = client.get(f"/api/fits/{jobs['/api/fits/']}/scenario").text
    ids = _ids() | _names_in(fitted)          # the names in the hall the fit wrote
    over, fetched = {}, 0
    for route in _routes(app.routes):
        if not (isinstance(route, APIRoute) and "GET" in route.methods
                and route.response_class is HTMLResponse):
            continue
        job = next((j for prefix, j in jobs.items() if route.path.startswith(prefix)), "")
        url = route.path.format(**params, job_id=job)
        page = client.get(f"{url}?lang={lang}")
        assert page.status_code == 200, url
        if not page.headers["content-type"].startswith("text/html"):
            continue                            # a scenario's YAML: the user's own file
        fetched += 1
        text = page.text
        script = re.search(r"window\.HALLSIM_TEXT = (\{.*?\});</script>", text)
        if script:
            shown = " ".join(json.loads(script.group(1)).values())
            text += "<p>" + re.sub(r"\{\w*\}", " ", shown) + "</p>"   # not {placeholders}
        share, words = latin_share(text, ids)
        if share >= 0.05:
            over[route.path] = (round(share, 3), sorted(set(words))[:40])
    assert fetched >= 8 and not over, over
