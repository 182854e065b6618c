"""``hallsim run WEEK.yaml`` and ``hallsim validate WEEK.yaml``: what they do for a week file."""

from __future__ import annotations

import argparse
import re
import sys
from contextlib import nullcontext
from pathlib import Path

from ..errors import ScenarioError
from ..i18n import _
from ..output.location import claim, default_folder
from ..output.textsafe import dumps
from ..scenario.overrides import parse_assignment
from .weekfile import Week, load_week


def load(path: str, assignments: list[str] | tuple[str, ...] = (), roster: bool = True) -> Week:
    """A week file with ``--set`` overrides, one at a time: of the week file (``days.sat.
    load_factor=1.6``) or of its hall (so of every day). An override that makes the week
    invalid is named, with its value, in place of a line of the file. ``roster=False``: the
    file's roster set aside first (it is about to be drafted again)."""
    week = load_week(path)
    if not roster:
        week = week.without_roster()
    for text in assignments:
        change = dict([parse_assignment(text)])
        try:
            week = week.with_changes(change)
        except ScenarioError as exc:
            raise ScenarioError([_set_message(text, m, (week.origin, week.hall.origin))
                                 for m in exc.messages]) from None
    return week


def _set_message(text: str, message: str, origins: tuple[str, ...]) -> str:
    """``--set PATH=VALUE: field: why``: the option in place of the file and line it would
    otherwise name (the value set by it is the option's, not the file's)."""
    for origin in origins:
        where = re.match(re.escape(origin) + r"(:\d+)?: ", message)
        if where:
            message = message[where.end():]
            break
    note = _(" (value set by an override)")
    if message.endswith(note):
        message = message[: -len(note)]
    return f"--set {text}: {message}"


def run(args: argparse.Namespace) -> int:
    """Simulate every open day; print the days and the week, optionally write the report."""
    from ..output import console
    from .report import days_table, write_week_report
    from .run import run_week

    if args.export_tickets:
        raise ScenarioError(_("--export-tickets: {path} is a week file; export a ticket log from "
                              "its hall or one day's scenario").format(path=args.scenario))
    week = load(args.scenario, args.set)
    out = None
    if args.out is not None:
        out = Path(args.out) if args.out else default_folder(week.name)
    with claim(out) if out is not None else nullcontext():
        total = args.reps * len(week.open_days)
        with console.progress(total, _("simulating {name}").format(name=week.name)) as advance:
            result = run_week(week, reps=args.reps, seed=args.seed, jobs=args.jobs,
                              progress=advance, keep_records=out is not None)
        if out is not None:
            write_week_report(result, out)
            print(_("report written to {path}").format(path=out / "report.html"),
                  file=sys.stderr)
    if args.json:
        print(dumps(result.summary, indent=2))
    else:
        stdout = console.stdout()
        stdout.print(days_table(result.summary))
        stdout.print(console.summary_table(result.summary, _("{name}: the week").format(
            name=week.name)))
    return 0


def validate(path: str) -> list[str]:
    """Check a week file; print ``ok`` per day to stdout, return the warnings."""
    from ..model.arrivals import rate_schedule
    from ..model.staff import scheduled_minutes
    from ..scenario.coverage import plan_warnings
    from .schema import day_name

    week = load_week(path)
    warnings = []
    parts = []
    for wd in week.days:
        if wd.scenario is None:
            parts.append(_("{day} closed").format(day=day_name(wd.day)))
            continue
        edges, rates = rate_schedule(wd.scenario)
        expected = float((rates * (edges[1:] - edges[:-1])).sum())
        parts.append(_("{day} about {customers:.0f} customers, {hours:.1f} staff hours").format(
            day=day_name(wd.day), customers=expected,
            hours=scheduled_minutes(wd.scenario) / 60))
        warnings += [f"{day_name(wd.day)}: {w}" for w in plan_warnings(wd.scenario)]
    print(_("{path}: ok ({name}: {days})").format(path=path, name=week.name,
                                                  days="; ".join(parts)))
    return warnings
