"""``hallsim staff SCENARIO --target METRIC=VALUE`` (contract section 6)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..i18n import _
from .targets import METRICS


def add_commands(commands) -> None:
    from ..cli import language_option, whole_number

    staff = commands.add_parser(
        "staff", help="draft counter shifts that hold a service target in every interval")
    staff.add_argument("scenario", help="scenario YAML file (a challenge file's rules are "
                       "used), or a week file: drafts the week's roster for its staff list")
    staff.add_argument("--target", required=True, action="append", metavar="METRIC=VALUE",
                       help=f"one of {', '.join(METRICS)}, e.g. wait_probability=0.2 or "
                       "service_level=0.8@20s (served within 20 s; or @10m); repeat it to hold "
                       "several targets at once")
    staff.add_argument("--rules", metavar="RULES.yaml",
                       help="shift rules in the exercise's rules format (start_times, "
                       "min_shift_hours, max_shift_hours, break_rule, max_on_duty); default: the "
                       "challenge's, else 3-9 h shifts with a 30-minute break over 6 h")
    staff.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                       help="change the hall first, e.g. counters.windows=12 (a week file: "
                       "also its days, staff, rules, e.g. days.sat.load_factor=1.6)")
    staff.add_argument("--reps", type=whole_number(1), default=20,
                       help="simulated days per ISA round to start with; more when the "
                       "requirement wavers (default 20)")
    staff.add_argument("--max-reps", type=whole_number(1), default=160,
                       help="most simulated days per ISA round (default 160)")
    staff.add_argument("--verify-days", type=whole_number(1), default=200,
                       help="fresh simulated days the plan is verified on (default 200)")
    staff.add_argument("--seed", type=whole_number(0), default=1, help="random seed (default 1)")
    staff.add_argument("--jobs", type=whole_number(0), default=1,
                       help="parallel processes, 0 = all cores (default 1)")
    staff.add_argument("--out", metavar="DIR", nargs="?", const="", default=None,
                       help="write plan.yaml, scenario.yaml, advice.json and report.html "
                       "(default DIR: reports/<scenario name>-staff/); for a week file, "
                       "roster.csv, roster.xlsx, roster.html, roster.json, week.yaml and "
                       "hall.yaml (default DIR: reports/<week name>-roster/)")
    staff.add_argument("--json", action="store_true", help="print advice.json only")
    language_option(staff)
    staff.set_defaults(handler=cmd_staff)


def _load(path: str):
    """The scenario, and a challenge file's rules when it has an ``exercise:`` block (the
    rest of that block is the exercise's business: ``hallsim validate`` checks it)."""
    from ..scenario import loading
    from ..scenario.scenario import Scenario, load_scenario
    from .candidates import parse_rules

    data, node = loading.read_yaml(path)
    if not (isinstance(data, dict) and "exercise" in data):
        return load_scenario(path), None
    hall = {k: v for k, v in data.items() if k != "exercise"}
    scenario = Scenario.from_data(hall, str(path), node)
    block = data["exercise"]
    if not (isinstance(block, dict) and "rules" in block):
        return scenario, None
    return scenario, parse_rules(block["rules"], str(path), _child(_child(node, "exercise"),
                                                                     "rules"))


def _child(node, key: str):
    """The YAML node under ``key`` of a mapping node (None when absent)."""
    if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def _source(path: str) -> str | None:
    """The scenario file's text, for a scenario.yaml that keeps its comments."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def cmd_staff(args: argparse.Namespace) -> int:
    from ..commands import output_claim
    from ..output import console
    from ..output.location import default_folder
    from ..output.outfiles import write_files
    from ..scenario.overrides import parse_assignment
    from ..week.weekfile import is_week_file
    from .advice import advise
    from .candidates import read_rules
    from .planfiles import advice_json, plan_yaml, scenario_yaml
    from .report import report_html
    from .requirement import MAX_ROUNDS
    from .targets import parse_targets
    from .verify import MAX_REPAIRS

    if is_week_file(args.scenario):               # a week: draft the roster (section 10)
        from ..roster.command import cmd_roster

        return cmd_roster(args)
    scenario, rules = _load(args.scenario)
    if args.set:
        scenario = scenario.with_changes(dict(parse_assignment(a) for a in args.set))
    targets = parse_targets(args.target, scenario)      # bad targets fail before any work
    if args.rules:
        rules = read_rules(args.rules)
    steps = 1 + max(len(scenario.counters.groups or []), 1) * (1 + MAX_ROUNDS) + MAX_REPAIRS
    out = None
    if args.out is not None:  # checked and held before any simulating
        out = Path(args.out) if args.out else default_folder(scenario.name, suffix="-staff")
    with output_claim(out):
        with console.progress(steps, _("advising {name}").format(name=scenario.name)) as advance:
            advice = advise(scenario, targets, rules, reps=args.reps, seed=args.seed,
                            jobs=args.jobs, progress=advance, verify_days=args.verify_days,
                            max_reps=args.max_reps)
        if out is not None:
            write_files(out, {"plan.yaml": plan_yaml(advice),
                              "scenario.yaml": scenario_yaml(advice, _source(args.scenario)),
                              "advice.json": advice_json(advice),
                              "report.html": report_html(advice)}, last="report.html")
            print(_("advice written to {path}").format(path=out / "report.html"),
                  file=sys.stderr)
    if args.json:
        sys.stdout.write(advice_json(advice))
    else:
        _print(advice)
    return 0


def _print(advice) -> None:
    from rich.markup import escape

    from ..output import console
    from .statements import all_lines

    doc = advice.document
    several = len(advice.targets) > 1
    target = escape(_("; ").join(t.words() for t in advice.targets))
    out = console.stdout()
    title = _("{name}, in every interval: {goals}").format(name=escape(advice.scenario.name),
                                                           goals=target)
    out.print(console.whole_headers(_table(title, doc["intervals"], advice.targets, several)))
    for name, entry in doc.get("groups", {}).items():
        title = _("counter group {group}, in every interval: {goals}").format(
            group=escape(name), goals=target)
        out.print(console.whole_headers(_table(title, entry["intervals"], advice.targets,
                                               several)))
    out.print(_("counter staff hours: {counter}; all roles: {total}").format(
        counter=doc["counter_staff_hours"], total=doc["staff_hours"]))
    for line in all_lines(doc):
        out.print(line, markup=False)


def _table(title: str, rows: list[dict], targets: list, several: bool):
    """The intervals of the hall or of one counter group, as a console table."""
    from rich.table import Table

    from .statements import verdict_word

    table = Table(title=title)
    verified = ([t.metric for t in targets] if several else [_("verified")])
    for head in (_("interval"), _("arrivals/h"), _("ISA"), _("SIPP"), _("scheduled"),
                 *verified, _("verdict")):
        table.add_column(head, justify="right")
    for row in rows:
        shown = [_shown(v) for v in (row["targets"] if several else [row["verified"]])]
        table.add_row(f"{row['start']}-{row['end']}", f"{row['arrivals_per_hour']}",
                      str(row["required_isa"]), str(row["required_sipp"]), str(row["scheduled"]),
                      *shown, verdict_word(row["verdict"]))
    return table


def _shown(value: dict) -> str:
    """``0.153 ± 0.03``: a verified mean and its 95% half-width."""
    if value["mean"] is None:
        return ""
    return f"{value['mean']:.3g}" + ("" if value["ci95"] is None else f" ± {value['ci95']:.2g}")
