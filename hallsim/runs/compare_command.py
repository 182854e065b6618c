"""The compare command: two plans on the same customers, scenarios or teams' plan files.

``cmd_compare`` takes the parsed arguments and returns the exit status; errors in the input
are raised as ``ScenarioError`` and become exit 2 in ``cli.main``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..commands import _load, output_claim
from ..errors import ScenarioError
from ..i18n import _
from ..output.location import default_folder
from ..output.textsafe import dumps
from ..scenario.scenario import Scenario

if TYPE_CHECKING:
    from ..exercise.challenge import Challenge


def cmd_compare(args: argparse.Namespace) -> int:
    from rich.text import Text

    from ..output import console
    from .compare import compare, plan_labels

    challenge = None
    if args.challenge is not None:
        from ..exercise.challenge import load_challenge

        challenge = load_challenge(args.challenge)
    side_a = load_for_compare(args.scenario_a, challenge)
    side_b = load_for_compare(args.scenario_b, challenge)
    a, b = side_a.scenario, side_b.scenario
    name_a, name_b = plan_labels(a, b)
    if side_a.team and side_b.team and side_a.team != side_b.team:
        name_a, name_b = side_a.team, side_b.team
    out = None
    if args.out is not None:
        out = Path(args.out) if args.out else default_folder(name_a, name_b)
    with output_claim(out):
        with console.progress(2 * args.reps, _("comparing {a} and {b}").format(a=name_a, b=name_b)
                              ) as advance:
            result = compare(a, b, reps=args.reps, seed=args.seed, jobs=args.jobs,
                             progress=advance, weights=side_a.weights or side_b.weights,
                             hour_cost=args.hour_cost, labels=(name_a, name_b))
        if out is not None:
            from ..output.report import write_compare_report

            write_compare_report(result, out)
            print(_("report written to {path}").format(path=out / "report.html"),
                  file=sys.stderr)
    budget = _budget_lines(challenge, [(name_a, side_a), (name_b, side_b)])
    if args.json:
        doc = dict(result.summary)
        if challenge is not None:
            doc["budget"] = {"budget_staff_hours": challenge.exercise.budget_staff_hours,
                             **{side: entry for side, (entry, _line) in zip("ab", budget,
                                                                            strict=True)}}
        print(dumps(doc, indent=2))
    else:
        out_console = console.stdout()
        out_console.print(console.comparison_table(result.summary))
        out_console.print(Text(console.verdict_line(result.summary)))
        for _entry, line in budget:
            if line:
                out_console.print(Text(line))
    return 0


class Side(NamedTuple):
    """One side of ``compare``: the scenario run, the verdict's weights, and for a team's
    plan its team name and what its levers cost."""

    scenario: Scenario
    weights: dict | None = None
    team: str | None = None
    lever_hours: float = 0.0


def load_for_compare(path: str, challenge: Challenge | None = None) -> Side:
    """A scenario; a challenge's hall with its scoring weights (for compare's verdict); or,
    given ``challenge``, a team's plan in that challenge's hall, with its weights and team."""
    from ..scenario.loading import read_yaml

    data, _node = read_yaml(path)
    if isinstance(data, dict) and "name" not in data and "shifts" in data and (
            set(data) <= {"team", "shifts", "flex", "levers"}):
        if challenge is None:
            raise ScenarioError(_("{path}: this is a team's plan (team, shifts, flex, levers), "
                                  "not a scenario; compare it in its challenge's hall: hallsim "
                                  "compare {path} OTHER_PLAN --challenge CHALLENGE").format(
                path=path))
        from ..exercise.challenge import load_plan

        plan = load_plan(challenge, path)
        return Side(plan.scenario, challenge.exercise.scoring.model_dump(), plan.team,
                    plan.lever_hours)
    if isinstance(data, dict) and "exercise" in data:
        from ..exercise.challenge import load_challenge

        loaded = load_challenge(path)
        return Side(loaded.scenario, loaded.exercise.scoring.model_dump())
    if challenge is not None:
        return Side(_load(path), challenge.exercise.scoring.model_dump())
    return Side(_load(path))


def _budget_lines(challenge: Challenge | None,
                  sides: list[tuple[str, Side]]) -> list[tuple[dict, str]]:
    """With ``--challenge``: each plan's hours (staff and levers) against the budget, and a
    sentence for each plan over it."""
    if challenge is None:
        return []
    from ..exercise.challenge import over_budget, staff_hours

    budget = challenge.exercise.budget_staff_hours
    out = []
    for name, side in sides:
        used = round(staff_hours(side.scenario) + side.lever_hours, 6)
        over = over_budget(used, budget)
        line = (_("{plan} is over budget: {used:g} h against a budget of {budget:g} h; in the "
                  "exercise it ranks after every plan within budget.").format(
                      plan=name, used=round(used, 1), budget=budget) if over else "")
        out.append(({"team": name, "budget_used_hours": used, "over_budget": over}, line))
    return out
