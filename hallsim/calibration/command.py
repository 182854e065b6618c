"""``hallsim fit tickets`` and ``hallsim fit detractor`` (contract §7)."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from .. import inputs
from ..errors import ScenarioError
from ..i18n import _
from ..output.location import claim
from ..output.outfiles import write_atomic
from ..output.textsafe import csv_text
from ..scenario.clock import parse_clock
from .files import REJECTS_NAME, REPORT_NAME


def _interval(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of minutes, got '{text}'") from None
    if not 5 <= value <= 240:
        raise argparse.ArgumentTypeError(f"must be between 5 and 240 minutes, got {value}")
    return value


def _clock(text: str) -> int:
    try:
        return parse_clock(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _hours(text: str) -> tuple[int, int]:
    parts = text.split("-")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"expected HH:MM-HH:MM, e.g. 09:00-18:00, got '{text}'")
    return _clock(parts[0]), _clock(parts[1])


def _skip(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"expected a number of lines from 0 to 1000, got '{text}'")
    return value


def add_commands(commands) -> None:
    from ..cli import language_option

    fit = commands.add_parser("fit", help="learn a scenario from the hall's own data")
    tasks = fit.add_subparsers(dest="fit_command", required=True, metavar="DATA")
    tickets = tasks.add_parser("tickets", help="a scenario from a queue-ticket log (取号记录)")
    tickets.add_argument("log", metavar="LOG.csv")
    tickets.add_argument("--columns", metavar="MAP.yaml",
                         help="which header holds each field, e.g. issued_at: TakeTime "
                         "(and outcome_values: {OK: served, Gone: no_show})")
    tickets.add_argument("--interval", type=_interval, default=30,
                         help="minutes per interval of the profile (default 30)")
    tickets.add_argument("--days", choices=("weekday", "weekend", "all"), default="all",
                         help="which days to average over (default all)")
    tickets.add_argument("--exact-rates", action="store_true",
                         help="keep each interval's own rate instead of peak/mid/low levels")
    tickets.add_argument("--hours", type=_hours, metavar="HH:MM-HH:MM",
                         help="opening hours (default: the intervals with tickets on at least "
                         "half the days); tickets outside are stray, reported and left out")
    tickets.add_argument("--day-starts", type=_clock, default=0, metavar="HH:MM",
                         help="when the hall's day starts, for tickets that run across midnight "
                         "(default 00:00)")
    tickets.add_argument("--tz", metavar="ZONE",
                         help="the hall's time zone for times with a UTC offset, e.g. +08:00 or "
                         "Asia/Shanghai (default: the offset the log uses)")
    tickets.add_argument("--skip-rows", type=_skip, metavar="N",
                         help="title lines above the header (default: found by the column names)")
    tickets.add_argument("--ignore-unknown", action="store_true",
                         help="leave out rows whose status is not understood, instead of stopping")
    tickets.add_argument("--name", help="scenario name (default: the output file's stem)")
    tickets.add_argument("--out", metavar="SCENARIO.yaml", required=True,
                         help=f"scenario to write; {REPORT_NAME} and {REJECTS_NAME} go beside it")
    language_option(tickets)
    tickets.add_argument("--by-weekday", action="store_true",
                         help="write a week file: weekdays grouped into day types by volume, "
                         "the hall fitted over every day beside it (NAME-hall.yaml)")
    tickets.set_defaults(handler=cmd_fit_tickets)

    survey = tasks.add_parser("detractor", help="the detractor curve from NPS survey answers")
    survey.add_argument("survey", metavar="SURVEY.csv", help="columns wait_min, score (0-10)")
    survey.add_argument("--curve", choices=("logistic", "table"), default="logistic")
    survey.add_argument("--out", metavar="BLOCK.yaml",
                        help="write the detractor: block here (default: print it)")
    survey.add_argument("--report", metavar="FILE.html",
                        help="reliability report (default: detractor-report.html beside --out, "
                        "or in the current folder)")
    survey.add_argument("--boot", type=int, default=200,
                        help="bootstrap resamples for the 95%% intervals (default 200, 0: none)")
    survey.add_argument("--seed", type=int, default=1, help="bootstrap seed (default 1)")
    language_option(survey)
    survey.set_defaults(handler=cmd_fit_detractor)


def cmd_fit_tickets(args: argparse.Namespace) -> int:
    out = Path(args.out)
    inputs.note(args.log, args.columns)
    if args.by_weekday and args.days != "all":
        raise ScenarioError(_("--by-weekday learns every weekday's volume: it takes the log's "
                              "every day (leave out --days {days})").format(days=args.days))
    with ExitStack() as held:  # no output may replace the log or the map: checked before reading
        paths = [out, out.parent / REJECTS_NAME, out.parent / REPORT_NAME]
        if args.by_weekday:
            paths.append(hall_file(out))
        for path in paths:
            held.enter_context(claim(path, "file"))
        return _fit_tickets(args, out)


def hall_file(week: Path) -> Path:
    """Where ``--by-weekday`` writes the hall: ``NAME-hall.yaml`` beside the week file."""
    return week.with_name(f"{week.stem}-hall.yaml")


def _fit_tickets(args: argparse.Namespace, out: Path) -> int:
    from .tickets import read_column_map, read_log

    columns, outcome_values = read_column_map(args.columns)
    log = read_log(args.log, columns, outcome_values, skip_rows=args.skip_rows, tz=args.tz,
                   ignore_unknown=args.ignore_unknown)
    # scipy (the fits) is loaded once the log is read: the two never weigh on memory at once
    from .pipeline import check_bad_share, fit_log, ignored_sentence
    from .tickets import reason_name

    err = sys.stderr
    if log.skipped:
        print(_("{log}: {n} title line(s) above the header skipped").format(
            log=args.log, n=log.skipped), file=err)
    print(_("{log}: {rows} rows, {good} usable, {bad} rejected ({share:.1%})").format(
        log=args.log, rows=log.rows, good=len(log.tickets), bad=log.bad_rows,
        share=log.bad_share), file=err)
    for reason, n in log.bad_counts.items():
        print("  " + _("{reason}: {n}").format(reason=reason_name(reason), n=n), file=err)
    if log.ignored:
        print(ignored_sentence(log.ignored), file=err)
    if log.zone:
        print(_("times with a UTC offset converted to {zone}").format(zone=log.zone), file=err)
    check_bad_share(log, str(args.log))          # nothing written when the log is unusable
    name = args.name or out.stem
    result = fit_log(log, f"{name}-hall" if args.by_weekday else name, str(args.log),
                     args.interval, args.days, args.exact_rates, args.hours, args.day_starts)
    stray = result.fit.arrivals.hours.stray
    if len(stray):
        print(_("{n} stray ticket(s) outside the opening hours {open}-{close}, left out:").format(
            n=len(stray), open=result.fit.arrivals.hours.clock(result.fit.arrivals.open),
            close=result.fit.arrivals.hours.clock(result.fit.arrivals.close)), file=err)
        for line, issued in zip(stray["line"][:10], stray["issued"][:10], strict=True):
            print("  " + _("line {line}: {time}").format(
                line=int(line), time=f"{issued:%Y-%m-%d %H:%M:%S}"), file=err)
        if len(stray) > 10:
            print("  " + _("and {n} more (see {report})").format(
                n=len(stray) - 10, report=out.parent / REPORT_NAME), file=err)
    from .calls import call_sentences
    from .flexfit import flex_sentences
    from .report import patience_sentence

    print(_("patience: {sentence}").format(sentence=patience_sentence(result.fit.patience)),
          file=err)
    for sentence in call_sentences(result.fit.calls) + flex_sentences(result.fit.staffing.flex):
        print(_("staff: {sentence}").format(sentence=sentence), file=err)
    report = result.report_html(REJECTS_NAME).encode("utf-8")
    rejects_path = out.parent / REJECTS_NAME
    # An older scenario never stays beside this fit's rejects and report: it goes first,
    # and the new one is written last, once everything else is in place.
    try:
        out.unlink(missing_ok=True)
    except OSError as exc:
        raise ScenarioError(f"{out}: {exc}") from None
    write_atomic(rejects_path, csv_text(log.rejects).encode("utf-8"))
    write_atomic(out.parent / REPORT_NAME, report)
    if args.by_weekday:
        _write_week(result, name, out, str(args.log))
    else:
        write_atomic(out, result.yaml.encode("utf-8"))
    if len(log.rejects):
        print(_("rejected rows and their line numbers: {path}").format(path=rejects_path), file=err)
    if not args.by_weekday:
        print(_("scenario written to {out}, report to {report}").format(
            out=out, report=out.parent / REPORT_NAME), file=err)
    return 0


def cmd_fit_detractor(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    report = Path(args.report) if args.report else (
        out.parent if out is not None else Path()) / "detractor-report.html"
    inputs.note(args.survey)
    with ExitStack() as held:  # no output may replace the survey: checked before reading
        for path in (out, report):
            if path is not None:
                held.enter_context(claim(path, "file"))
        return _fit_detractor(args, out, report)


def _fit_detractor(args: argparse.Namespace, out: Path | None, report: Path) -> int:
    from .detractor_fit import block_yaml, detractor_report, fit_survey, read_survey

    survey = read_survey(args.survey)
    for line, reason in survey.bad_lines:
        print(_("{path}: line {line}: {reason} (row rejected, not fitted)").format(
            path=args.survey, line=line, reason=reason), file=sys.stderr)
    fit = fit_survey(survey, args.curve, boot=args.boot, seed=args.seed)
    text = block_yaml(fit)
    page = detractor_report(fit, str(args.survey)).encode("utf-8")
    write_atomic(report, page)           # the block last: nothing half-written on failure
    if out is not None:
        write_atomic(out, text.encode("utf-8"))
        print(_("detractor block written to {out}").format(out=out), file=sys.stderr)
    else:
        sys.stdout.write(text)
    print(_("reliability report written to {report}").format(report=report), file=sys.stderr)
    return 0


def _write_week(result: Any, name: str, out: Path, log: str) -> None:
    """The hall beside the week file, then the week file (checked to load) last."""
    from ..week.weekfile import week_from_data
    from .weekdays import week_yaml, weekday_fit

    fit = weekday_fit(result.fit.arrivals)
    hall = hall_file(out)
    header = [f"Fitted by hallsim fit tickets --by-weekday from {Path(log).name}: "
              f"{len(result.fit.arrivals.days)} day(s).",
              "Tickets per day by weekday: " + ", ".join(
                  f"{d} {v:.0f} ({fit.days[d]} day(s))" for d, v in fit.volumes.items()),
              "Day types: the weekdays grouped by volume (1-D k-means); load_factor = the "
              "type's tickets per day / every day's."]
    if fit.closed:
        header.append("No ticket on " + ", ".join(fit.closed) + ": closed.")
    text = week_yaml(fit, name, hall.name, header)
    import yaml

    week_from_data(yaml.safe_load(text), str(out), None, out.parent, hall=result.scenario)
    write_atomic(hall, result.yaml.encode("utf-8"))
    write_atomic(out, text.encode("utf-8"))
    print(_("week written to {out}, its hall to {hall}, report to {report}").format(
        out=out, hall=hall, report=out.parent / REPORT_NAME), file=sys.stderr)
