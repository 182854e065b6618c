"""``hallsim staff WEEK.yaml --target METRIC=VALUE``: draft, verify and write the roster."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

from rich.table import Table
from rich.text import Text

from ..i18n import _
from ..output import console
from ..output.location import claim, default_folder
from ..output.outfiles import run_about, write_files
from ..output.plots import role_name
from ..staffing.requirement import MAX_ROUNDS
from ..week.command import load
from ..week.schema import WEEKDAYS, day_name
from .draft import MAX_REPAIRS, VERIFY_DAYS, Draft, draft_roster
from .fill import MAX_FILLS
from .output import document, files, grid


def cmd_roster(args: argparse.Namespace) -> int:
    """The staff command for a week file (contract section 10)."""
    from ..staffing.candidates import read_rules
    from ..staffing.targets import parse_targets

    week = load(args.scenario, args.set, roster=False)     # the roster is drafted anew
    parse_targets(args.target, week.hall)           # a bad target fails before any work
    rules = read_rules(args.rules) if args.rules else None
    verify_days = getattr(args, "verify_days", None) or VERIFY_DAYS
    out = None
    if args.out is not None:
        out = Path(args.out) if args.out else default_folder(week.name, suffix="-roster")
    steps = len(week.open_days) * (MAX_ROUNDS + 1 + MAX_REPAIRS + MAX_FILLS)     # at most
    with claim(out) if out is not None else nullcontext():
        with console.progress(steps, _("drafting the roster of {name}").format(name=week.name)
                              ) as advance:
            draft = draft_roster(week, args.target, rules, reps=args.reps, seed=args.seed,
                                 verify_days=verify_days, jobs=args.jobs, progress=advance,
                                 max_reps=args.max_reps)
        if out is not None:
            about = run_about("roster", {wd.day: wd.scenario for wd in draft.week.open_days},
                              args.seed, verify_days)
            write_files(out, files(draft), last="roster.html", about=about)
            print(_("roster written to {path}").format(path=out / "roster.html"),
                  file=sys.stderr)
    if args.json:
        from ..output.textsafe import dumps

        print(dumps(document(draft), indent=2, ensure_ascii=False))
    else:
        show(draft)
    return 0


def show(draft: Draft) -> None:
    """The roster grid, the verdict and the gaps on the console."""
    frame = grid(draft)
    table = Table(title=Text(_("{name}: the week's roster ({hours:g} paid staff hours)").format(
        name=draft.week.name, hours=round(draft.paid_hours, 1))), title_justify="left")
    roles = len({p.role for p in draft.people}) > 1
    table.add_column(_("person"))
    if roles:
        table.add_column(_("role"))
    for d in WEEKDAYS:
        table.add_column(day_name(d), min_width=11, no_wrap=True)
    table.add_column(_("hours"), justify="right")
    for row in frame.to_dict("records"):
        cells = [_("off") if row[d] == "off" else _("closed") if row[d] == "closed"
                 else row[d].replace(" break ", "\n(") + ")" if " break " in row[d] else row[d]
                 for d in WEEKDAYS]
        table.add_row(Text(row["person"]), *([role_name(row["role"])] if roles else []), *cells,
                      f"{row['hours']:g}")
    out = console.stdout()
    out.print(table)
    out.print(Text(_("meets the target in every interval of every open day: {meets}").format(
        meets=_("yes") if draft.meets_target else _("no"))))
    from .output import verdict_counts

    for day, result in draft.days.items():
        counts = verdict_counts(result.metric)
        out.print(Text(_("{day}: {met} interval(s) met, {close} close, {missed} missed").format(
            day=day_name(day), **counts)))
    for gap in draft.gaps:
        out.print(Text(gap.message))
