"""Hostile and careless input: every case in tests/hostile/ gives its exit status and message,
no traceback, and writes nothing outside its output folder; plus the checks behind them."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import hallsim
from hallsim import ScenarioError
from hallsim.cli import main
from hallsim.output import plots
from hallsim.output.location import default_folder, slug
from hallsim.output.textsafe import csv_text, dumps
from hallsim.scenario import limits
from hallsim.scenario.loading import parse_yaml

from .helpers import tiny

CASES = sorted((Path(__file__).parent / "hostile").glob("*.yaml"))


def _header(path: Path) -> dict[str, list[str]]:
    """The ``# key: value`` lines at the top of a case file."""
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^# (\w+): (.*)$", line)
        if not match:
            break
        found.setdefault(match.group(1), []).append(match.group(2))
    return found


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _contents(root: Path) -> dict[str, bytes | str]:
    """Every path under ``root`` with what it holds: a file's bytes, a link's target."""
    found: dict[str, bytes | str] = {}
    for path in root.rglob("*"):
        name = str(path.relative_to(root))
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            found[name] = "folder"
    return found


def _pair(text: str, case: Path, repo: str) -> tuple[str, str]:
    """``A -> B`` with {file} and {repo} filled in."""
    left, right = text.replace("{file}", case.name).replace("{repo}", repo).split(" -> ", 1)
    return left, right


def _set_up(spec: dict[str, list[str]], case: Path, work: Path, repo: str) -> None:
    """Create what the case's header asks for, in the order: files, folders, copies, links,
    then ``before`` commands (which must succeed)."""
    for name in spec.get("touch", []):
        (work / name).write_text("in the way\n")
    for name in spec.get("mkdir", []):
        (work / name).mkdir()
    for line in spec.get("write", []):
        name, text = line.split(" :: ", 1)
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        with (work / name).open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    for line in spec.get("copy", []):
        source, name = _pair(line, case, repo)
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / source, work / name)
    for line in spec.get("link", []):
        name, target = _pair(line, case, repo)
        (work / name).symlink_to(target)
    for line in spec.get("hardlink", []):
        name, target = _pair(line, case, repo)
        os.link(work / target, work / name)
    for line in spec.get("before", []):
        argv = line.replace("{file}", case.name).replace("{repo}", repo).split()
        assert main(argv) == 0, line


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_hostile_case(case, tmp_path, monkeypatch, capsys):
    """The case's command exits as its header says, with its message, no traceback, and
    writes files only under reports/ (or the case's --out); a refused command changes no
    file at all (no input overwritten, nothing half-written)."""
    spec = _header(case)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(case, work / case.name)
    monkeypatch.chdir(work)
    if spec.get("plots") != ["real"]:  # drawing is slow and beside the point of most cases
        monkeypatch.setattr(plots, "render", lambda fig: (plt.close(fig), plots.Picture(b"PNG"))[1])
    repo = str(Path(__file__).resolve().parent.parent)
    _set_up(spec, case, work, repo)
    capsys.readouterr()
    before = _tree(tmp_path)
    held = _contents(tmp_path)
    argv = spec["hallsim"][0].replace("{file}", case.name).replace("{repo}", repo).split()
    status = main(argv)
    out, err = capsys.readouterr()
    assert status == int(spec["exit"][0]), err
    assert "Traceback" not in out + err
    for fragment in spec.get("expect", []):
        assert fragment in out + err
    for item in spec.get("creates", []):
        assert (work / item).is_file()
    for item in spec.get("contains", []):
        path, fragment = item.split(" :: ", 1)
        assert fragment in (work / path).read_text(encoding="utf-8")
    new = _tree(tmp_path) - before
    assert all(p.startswith("work/reports") for p in new), sorted(new)
    if status != 0:
        assert not new, sorted(new)
        assert _contents(tmp_path) == held


def test_every_expectation_names_a_message_or_a_file():
    """Each case says what must happen, so none can pass vacuously."""
    for case in CASES:
        spec = _header(case)
        assert spec.get("hallsim") and spec.get("exit"), case
        assert spec.get("expect") or spec.get("creates"), case


@pytest.mark.parametrize(("name", "expected"), [
    ("weekday", "weekday"), ("..", "scenario"), ("../escaped", "escaped"), ("/tmp/x", "tmp-x"),
    (".hidden", "hidden"), ("a/b\\c", "a-b-c"), ("城东 营业厅", "城东-营业厅"), ("", "scenario"),
    ("x" * 300, "x" * 60), ("a..b", "a-b"), ("C:\\x", "C-x"), ("nul\x00byte", "nul-byte")])
def test_slug_keeps_letters_digits_dash_underscore(name, expected):
    """Names become one safe path element: no separators, no dots, CJK kept, bounded length."""
    assert slug(name) == expected


def test_default_folders_stay_under_reports():
    """Every default output is reports/<slug>...; two names join with -vs-."""
    assert default_folder("../../etc", "/root") == Path("reports/etc-vs-root")
    assert default_folder("a", suffix="-sweep.csv") == Path("reports/a-sweep.csv")


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted_numbers_are_not():
    """OWASP: text starting with = + - @ tab or CR gets a leading quote; numbers stay numbers."""
    frame = pd.DataFrame({"name": ["=1+1", "+x", "-y", "@z", "\tt", "\rr", "ok", "-3"],
                          "value": [-1.5, 2, -3, 4, 5, 6, 7, 8],
                          "=col": pd.Categorical(["=a"] * 8)})
    lines = list(csv.reader(io.StringIO(csv_text(frame))))
    assert lines[0] == ["name", "value", "'=col"]
    assert [line[0] for line in lines[1:]] == ["'=1+1", "'+x", "'-y", "'@z", "'\tt", "'\rr", "ok",
                                              "'-3"]
    assert [line[1] for line in lines[1:4]] == ["-1.5", "2.0", "-3.0"]


def test_strict_json_has_no_nan_or_infinity():
    """NaN and ±inf become null; numpy scalars become plain numbers."""
    text = dumps({"a": float("nan"), "b": [np.float64("inf"), -np.inf], "c": np.int64(3)})
    assert json.loads(text) == {"a": None, "b": [None, None], "c": 3}


def test_one_replication_summary_is_strict_json_with_null_ci():
    """summary.json of one replication has ci95 null, never NaN or 0 pretending to be known."""
    doc = json.loads(dumps(hallsim.replicate(tiny(), reps=1, seed=1).summary),
                     parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))
    assert all(cell["ci95"] is None for cell in doc["metrics"].values())


def test_scenario_file_over_2_mb_is_refused_before_parsing(tmp_path):
    """A huge file is refused by its size, without being parsed."""
    big = tmp_path / "big.yaml"
    big.write_text("# padding\n" * (limits.MAX_FILE_BYTES // 10 + 1))
    with pytest.raises(ScenarioError, match="larger than 2 MB"):
        hallsim.load_scenario(big)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    """A FIFO (which would block a reader forever) is refused from its type alone."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match="not a regular file"):
        hallsim.load_scenario(fifo)


def test_deeply_nested_yaml_is_refused(tmp_path):
    """Nesting that would exhaust the parser's recursion is a located error, not a crash."""
    deep = tmp_path / "deep.yaml"
    deep.write_text("name: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ScenarioError, match="nested too deeply"):
        hallsim.load_scenario(deep)


def test_merge_keys_are_not_duplicates():
    """A YAML merge (<<: *base) overriding a merged key is legitimate, not a repeated key."""
    text = ("base: &c {name: c, role: counter, start: '09:00', end: '12:00', count: 1}\n"
            "shifts: [{<<: *c, count: 2}]\n")
    loaded, _ = parse_yaml(text, "merge.yaml")
    assert loaded["shifts"][0] == {"name": "c", "role": "counter", "start": "09:00",
                                   "end": "12:00", "count": 2}


@pytest.mark.parametrize(("change", "message"), [
    ({"warmup_minutes": float("inf")}, "warmup_minutes: must be a finite number"),
    ({"load_factor": 1000}, "load_factor: must be at most 100"),
    ({"counters.windows": 10**6}, "counters.windows: must be at most 10,000"),
    ({"detractor.scale_minutes": 1e9}, "detractor.scale_minutes: must be at most 10,080"),
    ({"detractor.base": 0.9, "detractor.max": 0.5}, "detractor.base: must be <= max (0.5)"),
    ({"shifts": [{"name": f"s{i}", "role": "counter", "start": "09:00", "end": "12:00",
                  "count": 9000} for i in range(12)]}, "shifts: 108,000 staff shifts in all"),
    ({"services.a.counter_minutes": {"dist": "lognormal", "mean": 5, "cv": 1e300}},
     "services[0].counter_minutes.cv: must be at most 20"),
    ({"services.a.counter_minutes": {"dist": "uniform", "low": 5, "high": 1}},
     "services[0].counter_minutes: 'high' must be >= 'low'"),
])
def test_overrides_meet_the_same_bounds(change, message):
    """--set and with_changes go through the same limits as the file, naming the field."""
    with pytest.raises(ScenarioError, match=re.escape(message)):
        tiny().with_changes(change)


@pytest.mark.parametrize(("call", "kind", "fragment"), [
    (lambda sc: hallsim.simulate("x.yaml"), TypeError, "'scenario' must be a hallsim.Scenario"),
    (lambda sc: sc.with_changes("a=b"), TypeError, "'changes' must be a mapping"),
    (lambda sc: hallsim.summarise(pd.DataFrame()), ValueError, "'frame' is not a sweep result"),
    (lambda sc: hallsim.summarise("x"), TypeError, "'frame' must be the DataFrame"),
    (lambda sc: hallsim.sweep(sc, {"counters.windows": [1]}, client="x"), TypeError, "'client'"),
    (lambda sc: hallsim.sweep(sc, {"counters.windows": []}), ValueError, "is empty"),
    (lambda sc: hallsim.sweep(sc, {}), ValueError, "at least one path"),
    (lambda sc: hallsim.sweep(sc, "counters.windows=1"), TypeError, "'vary' must be a mapping"),
    (lambda sc: hallsim.replicate(sc, reps=2.5), TypeError, "'reps' must be an integer"),
    (lambda sc: hallsim.replicate(sc, reps=0), ValueError, "'reps' must be an integer >= 1"),
    (lambda sc: hallsim.replicate(sc, jobs=-1), ValueError, "'jobs'"),
    (lambda sc: hallsim.replicate(sc, progress=3), TypeError, "'progress'"),
    (lambda sc: hallsim.simulate(sc, seed=-1), ValueError, "'seed'"),
    (lambda sc: hallsim.compare(sc, None), TypeError, "'b' must be a hallsim.Scenario"),
    (lambda sc: hallsim.load_scenario(3), TypeError, "'path' must be a file name"),
    (lambda sc: hallsim.Scenario.from_dict(["x"]), TypeError, "'data' must be a mapping"),
])
def test_api_names_the_wrong_argument(call, kind, fragment):
    """Public functions check their arguments and name the one that is wrong."""
    with pytest.raises(kind, match=re.escape(fragment)):
        call(tiny())


def test_numpy_integers_are_accepted_wherever_ints_are():
    """np.int64 reps, seed and jobs, and numpy values in overrides, work like ints."""
    sc = tiny()
    a = hallsim.replicate(sc, reps=np.int64(2), seed=np.int64(3), jobs=np.int64(1))
    b = hallsim.replicate(sc, reps=2, seed=3)
    assert a.summary == b.summary
    assert sc.with_changes({"counters.windows": np.int64(2)}).counters.windows == 2
    frame = hallsim.sweep(sc, {"counters.windows": np.array([1, 2])}, reps=np.int64(1), jobs=1)
    assert list(frame["counters.windows"]) == [1, 2]


def test_a_refused_output_is_named_in_the_chosen_language(tmp_path, monkeypatch, capsys):
    """Refused outputs go through the catalog like every message: --lang zh gives Chinese."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(Path(__file__).parent.parent / "scenarios" / "low.yaml", "low.yaml")
    assert main(["run", "low.yaml", "--export-tickets", "low.yaml", "--lang", "zh"]) == 2
    assert "low.yaml：此输出就是输入文件 low.yaml（同一个文件）" in capsys.readouterr().err
    Path("in-the-way").write_text("a file\n")
    assert main(["run", "low.yaml", "--out", "in-the-way", "--lang", "zh"]) == 2
    assert "in-the-way：有一个文件挡在那里（输出需要一个文件夹）" in capsys.readouterr().err


def test_outputs_inside_an_input_folder_are_refused(tmp_path):
    """A folder read as input (as a batch of halls is) takes no output inside it."""
    from hallsim import inputs
    from hallsim.output.location import OutputError, check_target

    (tmp_path / "halls").mkdir()
    with inputs.recording():
        inputs.note(tmp_path / "halls")
        with pytest.raises(OutputError, match="this output is inside the input folder"):
            check_target(tmp_path / "halls" / "out")
        check_target(tmp_path / "elsewhere")


def test_library_writes_are_not_checked_against_reads(tmp_path):
    """Outside a command (a script using the API), reading records nothing: the script
    decides where its files go."""
    from hallsim import inputs
    from hallsim.output.location import check_target

    scenario = tmp_path / "low.yaml"
    shutil.copy(Path(__file__).parent.parent / "scenarios" / "low.yaml", scenario)
    hallsim.load_scenario(scenario)
    assert inputs.read() == []
    assert check_target(scenario, "file") == scenario
