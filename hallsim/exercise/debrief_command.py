"""``hallsim exercise debrief CHALLENGE PLAN...``: score the plans as ``exercise score`` does
(same seed, same days), then say hour by hour why each won or lost."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

from ..i18n import _
from ..output.location import claim, default_folder
from ..output.textsafe import dumps
from .challenge import Challenge


def run(args: argparse.Namespace, challenge: Challenge) -> int:
    from rich.text import Text

    from ..output import console
    from .debrief import build
    from .debrief_page import document, write
    from .debrief_text import sentences
    from .scoring import load_plans

    plans, rejected = load_plans(challenge, args.plans)
    reps = args.reps or challenge.exercise.reps
    out: Path | None = None
    if args.out is not None:
        out = (Path(args.out) if args.out else
               default_folder(challenge.scenario.name, suffix="-debrief"))
    runs = (len(plans) + (challenge.reference_path is not None)) * reps
    with claim(out) if out is not None else nullcontext():
        with console.progress(runs, _("debriefing {n} plan(s)").format(n=len(plans))) as advance:
            debrief = build(challenge, plans, reps=reps, seed=args.seed, jobs=args.jobs,
                            levers=not args.no_levers, progress=advance)
        if out is not None:
            write(debrief, out)
            print(_("debrief written to {path}").format(path=out / "index.html"),
                  file=sys.stderr)
    if args.json:
        print(dumps(document(debrief), indent=2))
    else:
        text = console.stdout()
        for team in debrief.teams:
            text.print(Text(f"#{team.rank} {team.team}", style="bold"))
            for sentence in sentences(team, debrief):
                text.print(Text("  " + sentence))
    for bad in rejected:
        print(console.rejected_text(bad), file=sys.stderr)
    return 1 if rejected else 0

