"""The ``hallsim`` command (contract section 3). Exit status: 0 ok, 2 bad input, 1 other."""

from __future__ import annotations

import argparse
import importlib
import math
import os
import signal
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress

from . import commands, inputs
from .cli_help import LocalParser, language_in, localise
from .errors import ScenarioError
from .i18n import LANGUAGES, _, language, option
from .runs import compare_command, sweep_command
from .runs.arguments import DEFAULT_JOBS, DEFAULT_SEED


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("expected a whole number, got '{text}'").format(text=text)) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(_("must be >= {minimum}, got {value}").format(
                minimum=minimum, value=value))
        return value

    return parse


_positive, _seed, _jobs = whole_number(1), whole_number(0), whole_number(0)


def _hour_cost(text: str) -> float:
    """An argparse type: a finite number >= 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("expected a number, got '{text}'").format(
            text=text)) from None
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(_("must be a number >= 0, got '{text}'").format(
            text=text))
    return value


def language_option(sub: argparse.ArgumentParser) -> None:
    """``--lang``: the language of the reports and tables this command writes or prints."""
    sub.add_argument("--lang", type=option, choices=LANGUAGES, default=None,
                     help="language of reports, tables and messages (default: from the locale, "
                     "LANG/LC_ALL)")

# Commands that live in a folder of their own (staffing, calibration, web, ...). Each module
# has ``add_commands(commands)``, which adds its sub-parsers and sets ``handler=`` on each:
# a function of the parsed arguments returning the exit status.
EXTENSIONS: tuple[str, ...] = ("hallsim.calibration.command", "hallsim.web.command",
                               "hallsim.staffing.command", "hallsim.batch.command")


EXIT_STATUS = """exit status:
  0  ok
  1  something else went wrong (HALLSIM_DEBUG=1 shows the traceback); exercise score: a plan
     could not be scored; sweep: a combination failed
  2  bad input: the message names the file, the line and the field
  130  interrupted (Ctrl-C); a sweep keeps the rows it finished"""

EXAMPLES = """examples:
  hallsim run scenarios/weekday.yaml --out                # table + reports/weekday/report.html
  hallsim run scenarios/weekday.yaml --set counters.windows=6 --reps 20 --json
  hallsim compare scenarios/weekday.yaml my-plan.yaml --out --lang zh
  hallsim validate my-hall.yaml --strict                  # warnings (unstaffed hours) fail too
  hallsim sweep scenarios/weekday.yaml --vary counters.windows=6..10 --jobs 0   # all cores
  hallsim exercise brief scenarios/exercise/lunch_peak.yaml --out handout/
  hallsim exercise score scenarios/exercise/lunch_peak.yaml team1.yaml team2.yaml --out board/
  hallsim exercise debrief scenarios/exercise/lunch_peak.yaml team1.yaml --out debrief/
  hallsim exercise pack scenarios/exercise/lunch_peak.yaml --lang zh --out pack/
  hallsim schema --markdown                               # every scenario key (docs/scenario.md)

""" + EXIT_STATUS


def _epilog(*examples: str) -> dict:
    """An epilog with the command's examples and the exit statuses, kept as written."""
    text = "examples:\n" + "\n".join(f"  {e}" for e in examples) + "\n\n" + EXIT_STATUS
    return {"epilog": text, "formatter_class": argparse.RawDescriptionHelpFormatter}


def build_parser() -> argparse.ArgumentParser:
    parser = LocalParser(
        prog="hallsim", description="Simulate a service hall's day: waits, abandonment, "
        "NPS detractors, for a given shift plan.", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version="hallsim 0.1.0")
    parser.add_argument("--lang", dest="main_lang", type=option, choices=LANGUAGES, default=None,
                        help="language of help, messages, reports and tables (default: from "
                        "the locale, LANG/LC_ALL)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="simulate a scenario and report", **_epilog(
        "hallsim run scenarios/weekday.yaml --out            # reports/weekday/report.html",
        "hallsim run scenarios/weekday.yaml --set shifts.early.count=3 --reps 20 --json",
        "hallsim run scenarios/weekday.yaml --until mean_wait_min=0.2 --max-reps 400",
        "hallsim run my-hall.yaml --out my-report/ --lang zh"))
    run.add_argument("scenario", help="scenario YAML file")
    _common(run)
    run.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                     help="override a field, e.g. counters.windows=6 or shifts.early.count=4 "
                     "(a week file: days.sat.load_factor=1.6, or a field of its hall)")
    run.add_argument("--out", metavar="DIR", nargs="?", const="", default=None,
                     help="write summary.json, CSVs, plots and report.html "
                     "(default DIR: reports/<scenario name>/)")
    run.add_argument("--json", action="store_true", help="print the summary document only")
    run.add_argument("--until", action="append", default=[], metavar="METRIC=HALF_WIDTH",
                     help="add replications until the metric's 95%% half-width is at most "
                     "HALF_WIDTH, e.g. mean_wait_min=0.1 (--reps is the first batch); repeatable")
    run.add_argument("--max-reps", type=_positive, default=None,
                     help="with --until: never more replications than this (default 1000)")
    run.add_argument("--export-tickets", metavar="FILE.csv", default=None,
                     help="also write the simulated queue-ticket log (one weekday per replication)")
    language_option(run)

    compare = commands.add_parser(
        "compare", help="compare two plans on the same customers (paired differences)",
        **_epilog("hallsim compare scenarios/weekday.yaml my-plan.yaml --reps 20 --out",
                  "hallsim compare a.yaml b.yaml --json     # with a verdict on the weighted score",
                  "hallsim compare a.yaml b.yaml --hour-cost 30  # a staff hour weighs 30 points",
                  "hallsim compare team1.yaml team2.yaml --challenge "
                  "scenarios/exercise/lunch_peak.yaml"))
    compare.add_argument("scenario_a", metavar="SCENARIO_A")
    compare.add_argument("scenario_b", metavar="SCENARIO_B")
    _common(compare)
    compare.add_argument("--challenge", metavar="CHALLENGE", default=None,
                         help="compare teams' plan files in this challenge's hall, scored with "
                         "its weights, and say whether each is over budget")
    compare.add_argument("--out", metavar="DIR", nargs="?", const="", default=None,
                         help="write a comparison report (default DIR: reports/<a>-vs-<b>/)")
    compare.add_argument("--json", action="store_true", help="print the comparison document only")
    compare.add_argument("--hour-cost", type=_hour_cost, default=None, metavar="W",
                         help="fold cost into the verdict: W score points per staff hour (and "
                         "W/60 per overtime minute); default: the verdict scores service only "
                         "and states the staff hours beside it")
    language_option(compare)

    sweep = commands.add_parser("sweep", help="run a grid of changes, many replications each")
    sweep.add_argument("scenario", help="scenario YAML file")
    sweep.add_argument("--vary", action="append", required=True, metavar="PATH=V1,V2,...",
                       help="values of one field: a list (loads.peak=90,110) or a whole-number "
                       "range (counters.windows=4..10); repeat for a grid")
    sweep.add_argument("--reps", type=_positive, default=10, help="replications (default 10)")
    _seed_and_jobs(sweep)
    sweep.add_argument("--dask", metavar="ADDRESS", help="run on a Dask scheduler, e.g. tcp://host:8786")
    sweep.add_argument("--out", metavar="FILE", default=None,
                       help="results table: .csv, or .parquet with pyarrow (default: "
                       "reports/<scenario name>-sweep.csv); rows stream to NAME.partial.csv "
                       "beside it while the sweep runs")
    sweep.add_argument("--resume", action="store_true",
                       help="finish an interrupted sweep: keep the rows in NAME.partial.csv "
                       "and run only the missing ones")
    language_option(sweep)

    exercise = commands.add_parser("exercise", help="the flexible-scheduling exercise (弹性排班)")
    tasks = exercise.add_subparsers(dest="exercise_command", required=True, metavar="TASK")
    score = tasks.add_parser("score", help="check, simulate, score and rank trainee plans")
    score.add_argument("challenge", help="challenge YAML (a scenario with an exercise: block)")
    score.add_argument("plans", nargs="+", metavar="PLAN", help="plan YAML files (shifts: ...)")
    score.add_argument("--reps", type=_positive, default=None,
                       help="replications (default: the challenge's)")
    _seed_and_jobs(score)
    score.add_argument("--out", metavar="DIR", nargs="?", const="", default=None,
                       help="write scorecards and a leaderboard (default reports/<challenge>-scores/)")
    score.add_argument("--json", action="store_true", help="print the leaderboard document only")
    language_option(score)
    debrief = tasks.add_parser(
        "debrief", help="the debrief (复盘): why each plan won or lost, hour by hour, against the reference "
        "plan and the winner", **_epilog(
            "hallsim exercise debrief scenarios/exercise/lunch_peak.yaml team1.yaml team2.yaml",
            "hallsim exercise debrief CHALLENGE team1.yaml --out debrief/ --lang zh"))
    debrief.add_argument("challenge", help="challenge YAML (a scenario with an exercise: block)")
    debrief.add_argument("plans", nargs="+", metavar="PLAN", help="plan YAML files (shifts: ...)")
    debrief.add_argument("--reps", type=_positive, default=None,
                         help="replications (default: the challenge's, as exercise score)")
    _seed_and_jobs(debrief)
    debrief.add_argument("--out", metavar="DIR", nargs="?", const="", default=None,
                         help="write index.html and debrief.json (default DIR: "
                         "reports/<challenge>-debrief/)")
    debrief.add_argument("--json", action="store_true", help="print the debrief document only")
    debrief.add_argument("--no-levers", action="store_true",
                         help="do not price each lever (saves one simulation per lever bought)")
    language_option(debrief)
    brief = tasks.add_parser("brief", help="write a printable one-page handout for trainees")
    brief.add_argument("challenge")
    brief.add_argument("--out", metavar="DIR", default=None,
                       help="folder (default reports/<challenge>-brief/)")
    language_option(brief)
    pack = tasks.add_parser(
        "pack", help="write the training pack: the brief, a worksheet PDF with a blank shift "
        "grid, and the facilitator guide (HTML and PDF) with the answer key",
        **_epilog("hallsim exercise pack scenarios/exercise/mid_load.yaml --lang zh --out pack/"))
    pack.add_argument("challenge")
    pack.add_argument("--out", metavar="DIR", default=None,
                      help="folder (default reports/<challenge>-pack/)")
    pack.add_argument("--reps", type=_positive, default=None,
                      help="simulated days for the answer key (default: the challenge's)")
    _seed_and_jobs(pack)
    language_option(pack)

    validate = commands.add_parser(
        "validate", help="check scenario (or challenge) files, and warn about unstaffed hours "
        "and counter staff beyond the windows",
        **_epilog("hallsim validate scenarios/*.yaml", "hallsim validate my-hall.yaml --strict"))
    validate.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    validate.add_argument("--strict", action="store_true",
                          help="treat warnings (opening hours with no counter staff, more "
                          "counter staff than windows) as errors: exit status 2")
    language_option(validate)
    schema = commands.add_parser(
        "schema", help="print the file format: JSON Schema for editors, or a Markdown reference",
        **_epilog("hallsim schema > scenario.schema.json   # for VS Code's YAML extension",
                  "hallsim schema --kind plan --markdown",
                  "hallsim schema --markdown --lang zh > docs/zh/scenario.md"))
    schema.add_argument("--kind", choices=("scenario", "plan", "challenge", "rules"),
                        default="scenario",
                        help="which file: a scenario (default), a team's plan, a challenge, or the "
                        "advisor's rules (hallsim staff --rules)")
    schema.add_argument("--markdown", action="store_true",
                        help="a reference of every key (docs/<kind>.md) instead of JSON Schema")
    language_option(schema)
    for name in EXTENSIONS:
        importlib.import_module(name).add_commands(commands)
    return localise(parser)


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--reps", type=_positive, default=10, help="replications (default 10)")
    _seed_and_jobs(sub)


def _seed_and_jobs(sub: argparse.ArgumentParser) -> None:
    """``--seed`` and ``--jobs``, with the defaults the Python API has too."""
    sub.add_argument("--seed", type=_seed, default=DEFAULT_SEED,
                     help=f"base random seed (default {DEFAULT_SEED})")
    sub.add_argument("--jobs", type=_jobs, default=DEFAULT_JOBS,
                     help=f"parallel processes, 0 = all cores (default {DEFAULT_JOBS})")


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a command as Ctrl-C does: work done is kept


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    with language(language_in(argv)):   # --help and argument errors in the chosen language
        args = build_parser().parse_args(argv)
    previous = None
    with suppress(ValueError):  # not the main thread (an embedding app): leave signals alone
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        handler = getattr(args, "handler", None) or _COMMANDS[args.command]
        chosen = getattr(args, "lang", None) or getattr(args, "main_lang", None)
        with language(chosen), inputs.recording():
            return handler(args)
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("hallsim: interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the contract promises no traceback
        if os.environ.get("HALLSIM_DEBUG"):
            raise
        print(_("hallsim: error: {error} (set HALLSIM_DEBUG=1 for details)").format(error=exc),
              file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


_COMMANDS = {"run": commands.cmd_run, "compare": compare_command.cmd_compare,
             "sweep": sweep_command.cmd_sweep,
             "exercise": commands.cmd_exercise,
             "validate": commands.cmd_validate, "schema": commands.cmd_schema}
