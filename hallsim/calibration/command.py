"""``hallsim fit tickets`` and ``hallsim fit detractor`` (contract §7)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ScenarioError
from ..i18n import _
from ..output.outfiles import write_atomic
from ..output.textsafe import csv_text
from .files import MAX_BAD_SHARE, REJECTS_NAME, REPORT_NAME


def _interval(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of minutes, got '{text}'") from None
    if not 5 <= value <= 240:
        raise argparse.ArgumentTypeError(f"must be between 5 and 240 minutes, got {value}")
    return value


def add_commands(commands) -> None:
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
    tickets.add_argument("--name", help="scenario name (default: the output file's stem)")
    tickets.add_argument("--out", metavar="SCENARIO.yaml", required=True,
                         help=f"scenario to write; {REPORT_NAME} and {REJECTS_NAME} go beside it")
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
    survey.set_defaults(handler=cmd_fit_detractor)


def cmd_fit_tickets(args: argparse.Namespace) -> int:
    from .pipeline import fit_log
    from .tickets import read_column_map, read_log

    out = Path(args.out)
    columns, outcome_values = read_column_map(args.columns)
    log = read_log(args.log, columns, outcome_values)
    rejects_path = out.parent / REJECTS_NAME
    write_atomic(rejects_path, csv_text(log.rejects).encode("utf-8"))
    counts = log.reject_counts
    print(_("{log}: {rows} rows, {good} usable, {bad} rejected ({share:.1%})").format(
        log=args.log, rows=log.rows, good=len(log.tickets), bad=len(log.rejects),
        share=log.bad_share), file=sys.stderr)
    for reason, n in counts.items():
        print(f"  {reason}: {n}", file=sys.stderr)
    if counts:
        print(_("rejected rows and their line numbers: {path}").format(path=rejects_path),
              file=sys.stderr)
    if log.bad_share > MAX_BAD_SHARE:
        raise ScenarioError(_("{log}: {share:.1%} of rows could not be used (more than 5%): "
                              "fix or map the columns (see {path}); no scenario written").format(
                                  log=args.log, share=log.bad_share, path=rejects_path))
    result = fit_log(log, args.name or out.stem, str(args.log), args.interval, args.days,
                     args.exact_rates)
    report = result.report_html(REJECTS_NAME)
    (out.parent / REPORT_NAME).unlink(missing_ok=True)
    write_atomic(out, result.yaml.encode("utf-8"))
    write_atomic(out.parent / REPORT_NAME, report.encode("utf-8"))
    print(_("scenario written to {out}, report to {report}").format(
        out=out, report=out.parent / REPORT_NAME), file=sys.stderr)
    return 0


def cmd_fit_detractor(args: argparse.Namespace) -> int:
    from .detractor_fit import block_yaml, detractor_report, fit_survey, read_survey

    survey = read_survey(args.survey)
    for line, reason in survey.bad_lines:
        print(f"{args.survey}: line {line}: {reason} (row skipped)", file=sys.stderr)
    fit = fit_survey(survey, args.curve, boot=args.boot, seed=args.seed)
    text = block_yaml(fit)
    if args.out:
        out = Path(args.out)
        write_atomic(out, text.encode("utf-8"))
        print(_("detractor block written to {out}").format(out=out), file=sys.stderr)
        report = Path(args.report) if args.report else out.parent / "detractor-report.html"
    else:
        sys.stdout.write(text)
        report = Path(args.report) if args.report else Path("detractor-report.html")
    write_atomic(report, detractor_report(fit, str(args.survey)).encode("utf-8"))
    print(_("reliability report written to {report}").format(report=report), file=sys.stderr)
    return 0
