"""What each built-in command does, once the command line (``cli.py``) has parsed it.

Each ``cmd_*`` takes the parsed arguments and returns the exit status; errors in the input
are raised as ``ScenarioError`` and become exit 2 in ``cli.main``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ScenarioError
from .i18n import _
from .output.location import claim, default_folder
from .output.textsafe import dumps
from .scenario.overrides import parse_assignment
from .scenario.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    from .exercise.challenge import Challenge


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
    from .week import command as week_command
    from .week.weekfile import is_week_file

    if is_week_file(args.scenario):
        return week_command.run(args)
    scenario = _load(args.scenario, args.set)
    until = _until(args.until, args.max_reps, args.reps)
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
                               keep_records=out is not None or bool(args.export_tickets),
                               until=until, max_reps=args.max_reps if until else None)
        if until:
            _report_precision(result, until)
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
                name=scenario.name, reps=len(result.days), seed=args.seed)))
    return 0


def _until(texts: Sequence[str], max_reps: int | None, reps: int) -> dict[str, float] | None:
    """``--until METRIC=HALF_WIDTH`` flags as ``{metric: half-width}``, checked (exit 2)."""
    import difflib
    import math

    from .results.metrics import METRICS

    if not texts:
        if max_reps is not None:
            raise ScenarioError(_("--max-reps needs --until (a precision to reach)"))
        return None
    until: dict[str, float] = {}
    for text in texts:
        metric, sep, value = (part.strip() for part in text.partition("="))
        try:
            half = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise ScenarioError(_("--until {text}: expected METRIC=HALF_WIDTH, e.g. "
                                  "mean_wait_min=0.1").format(text=text))
        if metric not in METRICS:
            close = difflib.get_close_matches(metric, METRICS, n=1)
            raise ScenarioError(_("--until {text}: unknown metric; metrics: {metrics}").format(
                text=text, metrics=", ".join(close or METRICS)))
        if not (math.isfinite(half) and half > 0):
            raise ScenarioError(_("--until {text}: the half-width must be a number > 0")
                                .format(text=text))
        until[metric] = half
    if reps < 2:
        raise ScenarioError(_("--until needs --reps of at least 2 (the first batch)"))
    if max_reps is not None and max_reps < reps:
        raise ScenarioError(_("--max-reps {max}: must be at least --reps ({reps})").format(
            max=max_reps, reps=reps))
    return until


def _report_precision(result, until: dict[str, float]) -> None:
    metrics = result.summary["metrics"]
    reached = ", ".join(_("{metric} ±{half:.3g} (target {target:g})").format(
        metric=m, half=metrics[m]["ci95"], target=h) for m, h in until.items())
    if result.met:
        print(_("precision reached after {n} replications: {reached}").format(
            n=len(result.days), reached=reached), file=sys.stderr)
    else:
        print(_("precision not reached within {n} replications (raise --max-reps): {reached}")
              .format(n=len(result.days), reached=reached), file=sys.stderr)


def cmd_exercise(args: argparse.Namespace) -> int:
    from .exercise.challenge import load_challenge

    challenge = load_challenge(args.challenge)
    name = challenge.scenario.name
    if args.exercise_command == "brief":
        from .exercise.pages import write_brief

        folder = Path(args.out) if args.out else default_folder(name, suffix="-brief")
        with output_claim(folder):
            write_brief(challenge, folder)
        print(_("brief written to {path}").format(path=folder / "brief.html"), file=sys.stderr)
        return 0
    if args.exercise_command == "debrief":
        from .exercise import debrief_command

        return debrief_command.run(args, challenge)
    if args.exercise_command == "pack":
        return _pack(challenge, args)

    from .exercise.scoring import document, load_plans, score_plans
    from .output import console

    plans, rejected = load_plans(challenge, args.plans)
    reps = args.reps or challenge.exercise.reps
    runs = (len(plans) + (challenge.reference_path is not None)) * reps
    out: Path | None = None
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


def _pack(challenge: Challenge, args: argparse.Namespace) -> int:
    from .exercise.pack import write_pack
    from .output import console

    folder = Path(args.out) if args.out else default_folder(challenge.scenario.name,
                                                            suffix="-pack")
    reps = args.reps or challenge.exercise.reps
    runs = (1 + (challenge.reference_path is not None)) * reps
    with output_claim(folder), console.progress(runs, _("simulating the answer key")) as advance:
        _written, missing = write_pack(challenge, folder, reps=reps, seed=args.seed,
                                       jobs=args.jobs, progress=advance)
    if missing:
        print(_("warning: no installed font has some characters of the PDFs ({chars}); install "
                "a CJK font (Debian/Ubuntu: apt-get install fonts-noto-cjk) and write the pack "
                "again").format(chars="; ".join(missing)), file=sys.stderr)
    print(_("training pack written to {path}").format(path=folder), file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .model.arrivals import rate_schedule
    from .model.staff import scheduled_minutes
    from .runs.compare_command import load_for_compare
    from .scenario.coverage import plan_warnings
    from .week import command as week_command
    from .week.weekfile import is_week_file

    failed = warned = 0
    for path in args.scenarios:
        if is_week_file(path):
            try:
                warnings = week_command.validate(path)
            except ScenarioError as exc:
                print(exc, file=sys.stderr)
                failed += 1
                continue
            for warning in warnings:
                print(_("{path}: warning: {warning}").format(path=path, warning=warning),
                      file=sys.stderr)
            warned += len(warnings)
            continue
        try:
            scenario = load_for_compare(path).scenario
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


def cmd_schema(args: argparse.Namespace) -> int:
    from . import formats

    text = formats.markdown(args.kind) if args.markdown else formats.json_text(args.kind)
    sys.stdout.write(text)
    return 0
