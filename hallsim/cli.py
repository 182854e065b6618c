"""The ``hallsim`` command (contract section 3). Exit status: 0 ok, 2 bad input, 1 other."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack, nullcontext, suppress
from pathlib import Path

from .errors import ScenarioError
from .i18n import LANGUAGES, _, language
from .output.location import claim, default_folder
from .output.textsafe import dumps
from .scenario.overrides import parse_assignment
from .scenario.scenario import Scenario, load_scenario


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {value}")
        return value

    return parse


_positive, _seed, _jobs = whole_number(1), whole_number(0), whole_number(0)


def language_option(sub: argparse.ArgumentParser) -> None:
    """``--lang``: the language of the reports and tables this command writes or prints."""
    sub.add_argument("--lang", choices=LANGUAGES, default=None,
                     help="language of reports and tables: " + ", ".join(LANGUAGES)
                     + " (default: from the locale, LANG/LC_ALL)")

# Commands that live in a folder of their own (staffing, calibration, web, ...). Each module
# has ``add_commands(commands)``, which adds its sub-parsers and sets ``handler=`` on each:
# a function of the parsed arguments returning the exit status.
EXTENSIONS: tuple[str, ...] = ("hallsim.calibration.command", "hallsim.web.command",
                               "hallsim.staffing.command")


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
  hallsim sweep scenarios/weekday.yaml --vary counters.windows=6..10 --jobs 0
  hallsim exercise brief scenarios/exercise/lunch_peak.yaml --out handout/
  hallsim exercise score scenarios/exercise/lunch_peak.yaml team1.yaml team2.yaml --out board/
  hallsim schema --markdown                               # every scenario key (docs/scenario.md)

""" + EXIT_STATUS


def _epilog(*examples: str) -> dict:
    """An epilog with the command's examples and the exit statuses, kept as written."""
    text = "examples:\n" + "\n".join(f"  {e}" for e in examples) + "\n\n" + EXIT_STATUS
    return {"epilog": text, "formatter_class": argparse.RawDescriptionHelpFormatter}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallsim", description="Simulate a service hall's day: waits, abandonment, "
        "NPS detractors, for a given shift plan.", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version="hallsim 0.1.0")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="simulate a scenario and report", **_epilog(
        "hallsim run scenarios/weekday.yaml --out            # reports/weekday/report.html",
        "hallsim run scenarios/weekday.yaml --set shifts.early.count=3 --reps 20 --json",
        "hallsim run my-hall.yaml --out my-report/ --lang zh"))
    run.add_argument("scenario", help="scenario YAML file")
    _common(run)
    run.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                     help="override a field, e.g. counters.windows=6 or shifts.early.count=4")
    run.add_argument("--out", metavar="DIR", nargs="?", const="", default=None,
                     help="write summary.json, CSVs, plots and report.html "
                     "(default DIR: reports/<scenario name>/)")
    run.add_argument("--json", action="store_true", help="print the summary document only")
    run.add_argument("--export-tickets", metavar="FILE.csv", default=None,
                     help="also write the simulated queue-ticket log (one weekday per replication)")
    language_option(run)

    compare = commands.add_parser(
        "compare", help="compare two plans on the same customers (paired differences)",
        **_epilog("hallsim compare scenarios/weekday.yaml my-plan.yaml --reps 20 --out",
                  "hallsim compare a.yaml b.yaml --json     # with a verdict on the weighted score"))
    compare.add_argument("scenario_a", metavar="SCENARIO_A")
    compare.add_argument("scenario_b", metavar="SCENARIO_B")
    _common(compare)
    compare.add_argument("--out", metavar="DIR", nargs="?", const="", default=None,
                         help="write a comparison report (default DIR: reports/<a>-vs-<b>/)")
    compare.add_argument("--json", action="store_true", help="print the comparison document only")
    language_option(compare)

    sweep = commands.add_parser("sweep", help="run a grid of changes, many replications each")
    sweep.add_argument("scenario", help="scenario YAML file")
    sweep.add_argument("--vary", action="append", required=True, metavar="PATH=V1,V2,...",
                       help="values of one field: a list (loads.peak=90,110) or a whole-number "
                       "range (counters.windows=4..10); repeat for a grid")
    sweep.add_argument("--reps", type=_positive, default=10, help="replications (default 10)")
    sweep.add_argument("--seed", type=_seed, default=1, help="base random seed (default 1)")
    sweep.add_argument("--jobs", type=_jobs, default=0, help="parallel processes (default 0: all cores)")
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
    score.add_argument("--seed", type=_seed, default=1, help="base random seed (default 1)")
    score.add_argument("--jobs", type=_jobs, default=1, help="parallel processes, 0 = all cores")
    score.add_argument("--out", metavar="DIR", nargs="?", const="", default=None,
                       help="write scorecards and a leaderboard (default reports/<challenge>-scores/)")
    score.add_argument("--json", action="store_true", help="print the leaderboard document only")
    language_option(score)
    brief = tasks.add_parser("brief", help="write a printable one-page handout for trainees")
    brief.add_argument("challenge")
    brief.add_argument("--out", metavar="DIR", default=None,
                       help="folder (default reports/<challenge>-brief/)")
    language_option(brief)

    validate = commands.add_parser(
        "validate", help="check scenario (or challenge) files, and warn about unstaffed hours",
        **_epilog("hallsim validate scenarios/*.yaml", "hallsim validate my-hall.yaml --strict"))
    validate.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    validate.add_argument("--strict", action="store_true",
                          help="treat warnings (e.g. opening hours with no counter staff) as "
                          "errors: exit status 2")
    language_option(validate)
    schema = commands.add_parser(
        "schema", help="print the file format: JSON Schema for editors, or a Markdown reference",
        **_epilog("hallsim schema > scenario.schema.json   # for VS Code's YAML extension",
                  "hallsim schema --kind plan --markdown"))
    schema.add_argument("--kind", choices=("scenario", "plan", "challenge"), default="scenario",
                        help="which file: a scenario (default), a team's plan, or a challenge")
    schema.add_argument("--markdown", action="store_true",
                        help="a reference of every key (docs/<kind>.md) instead of JSON Schema")
    for name in EXTENSIONS:
        importlib.import_module(name).add_commands(commands)
    return parser


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--reps", type=_positive, default=10, help="replications (default 10)")
    sub.add_argument("--seed", type=_seed, default=1, help="base random seed (default 1)")
    sub.add_argument("--jobs", type=_jobs, default=1, help="parallel processes, 0 = all cores")


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a command as Ctrl-C does: work done is kept


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    previous = None
    with suppress(ValueError):  # not the main thread (an embedding app): leave signals alone
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        handler = getattr(args, "handler", None) or _COMMANDS[args.command]
        with language(getattr(args, "lang", None)):
            return handler(args)
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hallsim: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the contract promises no traceback
        if os.environ.get("HALLSIM_DEBUG"):
            raise
        print(f"hallsim: error: {exc} (set HALLSIM_DEBUG=1 for details)", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def output_claim(out: Path | None, kind: str = "folder"):
    """Check and lock the output location before simulating (exit 2 if it is unusable)."""
    return claim(out, kind) if out is not None else nullcontext()


def _load(path: str, assignments: Sequence[str] = ()) -> Scenario:
    scenario = load_scenario(path)
    if assignments:
        changes = dict(parse_assignment(a) for a in assignments)
        scenario = scenario.with_changes(changes)
    return scenario


def cmd_run(args: argparse.Namespace) -> int:
    from .output import console
    from .runs.simulation import replicate

    scenario = _load(args.scenario, args.set)
    out = None
    if args.out is not None:
        out = Path(args.out) if args.out else default_folder(scenario.name)
    with ExitStack() as held:  # output locations checked and held before simulating
        held.enter_context(output_claim(out))
        if args.export_tickets:
            held.enter_context(claim(args.export_tickets, "file"))
        with console.progress(args.reps, _("simulating {name}").format(name=scenario.name)
                              ) as advance:
            result = replicate(scenario, reps=args.reps, seed=args.seed, jobs=args.jobs,
                               progress=advance,
                               keep_records=out is not None or bool(args.export_tickets))
        if out is not None:
            from .output.report import write_run_report

            write_run_report(result, out)
            print(_("report written to {path}").format(path=out / "report.html"),
                  file=sys.stderr)
        if args.export_tickets:
            from .calibration.export import write_ticket_log

            rows = write_ticket_log(result.customers, scenario.hours.open,
                                    Path(args.export_tickets))
            print(_("{n} tickets written to {path}").format(n=rows, path=args.export_tickets),
                  file=sys.stderr)
    if args.json:
        print(dumps(result.summary, indent=2))
    else:
        console.stdout().print(console.summary_table(
            result.summary, _("{name}: {reps} replication(s), seed {seed}").format(
                name=scenario.name, reps=args.reps, seed=args.seed)))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from rich.text import Text

    from .output import console
    from .runs.compare import compare, plan_labels

    (a, weights_a), (b, weights_b) = _load_for_compare(args.scenario_a), _load_for_compare(
        args.scenario_b)
    name_a, name_b = plan_labels(a, b)
    out = None
    if args.out is not None:
        out = Path(args.out) if args.out else default_folder(name_a, name_b)
    with output_claim(out):
        with console.progress(2 * args.reps, _("comparing {a} and {b}").format(a=name_a, b=name_b)
                              ) as advance:
            result = compare(a, b, reps=args.reps, seed=args.seed, jobs=args.jobs,
                             progress=advance, weights=weights_a or weights_b)
        if out is not None:
            from .output.report import write_compare_report

            write_compare_report(result, out)
            print(_("report written to {path}").format(path=out / "report.html"),
                  file=sys.stderr)
    if args.json:
        print(dumps(result.summary, indent=2))
    else:
        out_console = console.stdout()
        out_console.print(console.comparison_table(result.summary))
        out_console.print(Text(console.verdict_line(result.summary)))
    return 0


def _load_for_compare(path: str) -> tuple[Scenario, dict | None]:
    """A scenario, or a challenge's hall with its scoring weights (for compare's verdict)."""
    from .scenario.loading import read_yaml

    data, _node = read_yaml(path)
    if isinstance(data, dict) and "name" not in data and "shifts" in data and (
            set(data) <= {"team", "shifts", "flex", "levers"}):
        raise ScenarioError(_("{path}: this is a team's plan (team, shifts, flex), not a scenario; "
                              "check it with its challenge: hallsim exercise score CHALLENGE "
                              "{path}").format(path=path))
    if isinstance(data, dict) and "exercise" in data:
        from .exercise.challenge import load_challenge

        challenge = load_challenge(path)
        return challenge.scenario, challenge.exercise.scoring.model_dump()
    return _load(path), None


def cmd_sweep(args: argparse.Namespace) -> int:
    from .output import console
    from .output.outfiles import scenario_hash, write_atomic
    from .output.partial import PartialSweep
    from .results.metrics import METRICS
    from .runs.sweep import SweepInterrupted, combinations, sweep
    from .scenario.overrides import parse_values

    scenario = _load(args.scenario)
    vary = dict(parse_values(text) for text in args.vary)
    out = Path(args.out) if args.out else default_folder(scenario.name, suffix="-sweep.csv")
    if out.suffix not in (".csv", ".parquet"):
        raise ScenarioError(f"--out {out}: expected a .csv or .parquet file name")
    combos = combinations(vary)
    with claim(out, "file"):
        partial = PartialSweep(out, {"scenario": scenario_hash(scenario), "vary": vary,
                                     "seed": args.seed},
                               [*vary, "combination", "replication", *METRICS])
        done = {}
        if args.resume:
            done = partial.read()
        elif partial.exists():
            raise ScenarioError(_("{path}: an interrupted sweep left its rows here; add --resume "
                                  "to finish it, or remove the file to start afresh")
                                .format(path=partial.rows_path))
        kept = [{**combos[i], "combination": i, "replication": k, **m}
                for (i, k), m in sorted(done.items()) if i < len(combos) and k < args.reps]
        partial.start(kept)
        client = _dask_client(args.dask)
        total = len(combos) * args.reps
        try:
            with console.progress(total, _("sweeping {name}").format(name=scenario.name)
                                  ) as advance:
                frame = sweep(scenario, vary, reps=args.reps, seed=args.seed, jobs=args.jobs,
                              client=client, progress=advance, on_row=partial.add,
                              done={(r["combination"], r["replication"]): r for r in kept})
        except SweepInterrupted as stop:
            partial.close()
            print(_("hallsim: interrupted; {n} completed run(s) kept in {path}; run the same "
                    "command with --resume to finish").format(n=len(stop.partial),
                                                              path=partial.rows_path),
                  file=sys.stderr)
            return 130
        finally:
            partial.close()
            if client is not None:
                client.close()
        failures = frame.attrs.get("failures", [])
        if len(frame) == 0 and failures:
            partial.remove()
            # Nothing could run: the --vary values or paths are wrong, not the simulation.
            raise ScenarioError(sorted({f["reason"] for f in failures}))
        write_atomic(out, _table_bytes(frame, out))
        partial.remove()
    print(_("{n} runs written to {path}").format(n=len(frame), path=out), file=sys.stderr)
    for failure in failures:
        params = ", ".join(f"{k}={v}" for k, v in failure.items() if k not in ("combination", "reason"))
        print(_("failed: {params}: {reason}").format(params=params, reason=failure["reason"]),
              file=sys.stderr)
    return 1 if failures else 0


def _dask_client(address: str | None):
    if not address:
        return None
    try:
        from distributed import Client
    except ImportError:
        raise ScenarioError("--dask needs dask.distributed: pip install 'hallsim[dask]'") from None
    return Client(address)


def _table_bytes(frame, out: Path) -> bytes:
    if out.suffix == ".parquet":
        import io

        try:
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
        except ImportError:
            raise ScenarioError(f"--out {out}: writing .parquet needs pyarrow "
                                "(pip install pyarrow), or use .csv") from None
        return buffer.getvalue()  # parquet is typed: numbers are never formulas
    from .output.textsafe import csv_text

    return csv_text(frame).encode("utf-8")


def cmd_exercise(args: argparse.Namespace) -> int:
    from .exercise.challenge import load_challenge

    challenge = load_challenge(args.challenge)
    name = challenge.scenario.name
    if args.exercise_command == "brief":
        from .exercise.pages import write_brief

        out = Path(args.out) if args.out else default_folder(name, suffix="-brief")
        with output_claim(out):
            write_brief(challenge, out)
        print(_("brief written to {path}").format(path=out / "brief.html"), file=sys.stderr)
        return 0

    from .exercise.scoring import document, load_plans, score_plans
    from .output import console

    plans, rejected = load_plans(challenge, args.plans)
    reps = args.reps or challenge.exercise.reps
    runs = (len(plans) + (challenge.reference_path is not None)) * reps
    out = None
    if args.out is not None:
        out = Path(args.out) if args.out else default_folder(name, suffix="-scores")
    with output_claim(out):
        with console.progress(runs, _("scoring {n} plan(s)").format(n=len(plans))) as advance:
            scores = score_plans(challenge, plans, reps=reps, seed=args.seed, jobs=args.jobs,
                                 progress=advance)
        if out is not None:
            from .exercise.pages import write_scores

            write_scores(scores, challenge, out, rejected)
            print(_("leaderboard written to {path}").format(path=out / "index.html"),
                  file=sys.stderr)
    if args.json:
        print(dumps(document(scores, challenge, rejected), indent=2))
    else:
        out_console = console.stdout()
        for entry in scores:
            out_console.print(console.scorecard(entry, challenge))
        out_console.print(console.leaderboard_table(scores, challenge))
    for bad in rejected:   # after the leaderboard, on stderr, so it is the last thing read
        print(console.rejected_text(bad), file=sys.stderr)
    return 1 if rejected else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .model.arrivals import rate_schedule
    from .model.staff import scheduled_minutes
    from .scenario.coverage import plan_warnings

    failed = warned = 0
    for path in args.scenarios:
        try:
            scenario, _weights = _load_for_compare(path)
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        edges, rates = rate_schedule(scenario)
        expected = float((rates * (edges[1:] - edges[:-1])).sum())
        print(_("{path}: ok ({name}: about {customers:.0f} customers, {hours:.1f} staff hours)")
              .format(path=path, name=scenario.name, customers=expected,
                      hours=scheduled_minutes(scenario) / 60))
        for warning in plan_warnings(scenario):
            print(_("{path}: warning: {warning}").format(path=path, warning=warning),
                  file=sys.stderr)
            warned += 1
    return 2 if failed or (args.strict and warned) else 0


SCHEMA_INTROS = {
    "scenario": ("Scenario file reference",
                 "A scenario is one YAML file describing the hall and one day's shift plan "
                 "(`scenarios/weekday.yaml` is a commented example). Times of day are quoted "
                 '`"HH:MM"` strings; durations are minutes; shares and rates are fractions from '
                 "0 to 1. Unknown keys are errors. The defaults that matter most: the target "
                 "wait for the service level is 10 minutes (`detractor.target_wait_minutes`), "
                 "the report's intervals are 30 minutes (`interval_minutes`), there is no "
                 "warm-up (`warmup_minutes: 0`) and nobody abandons unless `patience` is given."),
    "plan": ("Plan file reference",
             "A team's plan in the flexible-scheduling exercise: the shifts (and flex rules, and "
             "any levers the challenge opens) that replace the challenge's own. Everything else "
             "is the challenge's hall. Times are quoted `\"HH:MM\"` strings."),
    "challenge": ("Challenge file reference",
                  "A challenge is a scenario (see scenario.md) plus an `exercise:` block: the "
                  "budget, the rules, the scoring weights and the learning goal."),
}


def cmd_schema(args: argparse.Namespace) -> int:
    from .scenario import reference

    if args.kind == "scenario":
        from .scenario.schema import ScenarioModel as model
    else:
        from .exercise import challenge as files

        model = files.PlanFile if args.kind == "plan" else files.ChallengeFile
    title, intro = SCHEMA_INTROS[args.kind]
    if args.markdown:
        sys.stdout.write(reference.markdown(model, title, intro))
    else:
        sys.stdout.write(reference.json_text(model, f"hallsim {args.kind} file"))
    return 0


_COMMANDS = {"run": cmd_run, "compare": cmd_compare, "sweep": cmd_sweep, "exercise": cmd_exercise,
             "validate": cmd_validate, "schema": cmd_schema}
