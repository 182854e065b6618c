"""HTML for the exercise: a scorecard per team, the leaderboard, and the trainee brief."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from ..output import plots
from ..output.console import versus_next
from ..output.labels import LABELS, fmt
from ..output.outfiles import write_files
from ..output.report import _figure, _page
from ..scenario.clock import format_clock
from .challenge import Challenge, plan_template
from .scoring import PlanScore, document, leaderboard

CARD_METRICS = ("mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
                "detractor_rate", "overtime_min")


def slug(team: str) -> str:
    """A file-name-safe form of a team name; Chinese and other letters are kept."""
    return re.sub(r"[^\w-]+", "-", team).strip("-").lower() or "team"


def unique_slugs(teams: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for team in teams:
        base = slug(team)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def _rules_list(challenge: Challenge) -> str:
    r, ex = challenge.exercise.rules, challenge.exercise
    items = [f"Budget: at most <b>{ex.budget_staff_hours:g} staff hours</b> "
             "(shift length minus breaks, all roles)."]
    if r.start_times:
        items.append("Shifts start at " + ", ".join(format_clock(t) for t in r.start_times) + ".")
    items.append(f"Shifts last {r.min_shift_hours:g} to {r.max_shift_hours:g} hours.")
    if r.break_rule:
        items.append(f"Shifts over {r.break_rule.over_hours:g} h need a break of at least "
                     f"{r.break_rule.min_minutes:g} minutes.")
    caps = [f"{n} {role}" for role, n in r.max_on_duty.items()]
    caps.append(f"{challenge.scenario.counters.windows} counter (the windows)")
    items.append("At most on duty at once: " + ", ".join(caps) + ".")
    w = ex.scoring
    parts = [f"{v:g} × {k}" for k, v in w.model_dump().items() if v]
    items.append("Score (lower is better): " + " + ".join(parts) + "; rates in percentage points.")
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _card(s: PlanScore, challenge: Challenge) -> str:
    budget = challenge.exercise.budget_staff_hours
    rows = [f"<tr><td>staff hours</td><td>{s.means['staff_hours']:.1f} h of {budget:g} h</td></tr>"]
    for name in CARD_METRICS:
        cell = s.result.summary["metrics"][name]
        rows.append(f"<tr><td>{LABELS[name]}</td><td>{fmt(name, cell['mean'])} "
                    f"<span class='ci'>± {fmt(name, cell['ci95'])}</span></td></tr>")
    versus = ""
    if s.vs_reference is not None and not s.reference:
        versus = f" (reference {s.reference_score:.1f}, {s.vs_reference:+.1f})"
    worst = s.worst_interval
    broken = ("<p class='yes'>Rules broken — ranked after valid plans:</p><ul>"
              + "".join(f"<li>{html.escape(v)}</li>" for v in s.violations) + "</ul>"
              if s.violations else "<p>All rules kept.</p>")
    return (f"<h2>#{s.rank} {html.escape(s.team)}</h2>"
            f"<p><b>Score {s.score:.1f}</b>{versus}</p>{broken}"
            f"<table id='headline'>{''.join(rows)}</table>"
            f"<p>Worst time of day: <b>{worst['start']}–{worst['end']}</b>, mean wait "
            f"{worst['mean_wait_min']:.1f} min: {html.escape(worst['why'])}.</p>")


def write_scores(scores: list[PlanScore], challenge: Challenge, out: Path) -> list[Path]:
    """Leaderboard page, one scorecard page per team, plots, CSV and JSON."""
    sc = challenge.scenario
    files: dict[str, bytes | str] = {}
    waiting = plots.png_bytes(plots.waiting_through_the_day(
        sc, {s.team: s.result.intervals for s in scores}))
    files["waiting.png"] = waiting
    board_rows, gantts = [], []
    for stale in [*out.glob("team-*.html"), *out.glob("plan-*.png")]:  # from an earlier scoring
        stale.unlink()
    for s, name in zip(scores, unique_slugs([s.team for s in scores]), strict=True):
        gantt = plots.png_bytes(plots.shift_plan(s.plan.scenario, f"{s.team}: shift plan"))
        files[f"plan-{name}.png"] = gantt
        gantts.append(_figure(f"plan-{name}.png", gantt, f"{s.team}: shift plan"))
        files[f"team-{name}.html"] = _page(
            f"{challenge.exercise.title}: {s.team}",
            f"<h1>{html.escape(challenge.exercise.title)}</h1>"
            f"<p class='sub'>{html.escape(challenge.exercise.goal)}</p>"
            + _card(s, challenge)
            + _figure(f"plan-{name}.png", gantt, "Your shift plan")
            + _figure("waiting.png", waiting, "Waiting through the day, every plan")
            + "<p><a href='index.html'>Leaderboard</a></p>")
        flag = "" if s.valid else f" <span class='yes'>({len(s.violations)} rule(s) broken)</span>"
        board_rows.append(
            f"<tr><td>{s.rank}</td><td><a href='team-{name}.html'>{html.escape(s.team)}</a>{flag}"
            f"</td><td>{s.score:.1f}</td><td>{s.means['staff_hours']:.1f}</td>"
            f"<td>{fmt('mean_wait_min', s.means['mean_wait_min'])}</td>"
            f"<td>{fmt('service_level', s.means['service_level'])}</td>"
            f"<td>{fmt('abandon_rate', s.means['abandon_rate'])}</td>"
            f"<td>{fmt('detractor_rate', s.means['detractor_rate'])}</td>"
            f"<td>{html.escape(versus_next(s.ahead_of_next))}</td></tr>")
    board = ("<table id='headline'><tr><th>rank</th><th>team</th><th>score</th><th>staff h</th>"
             "<th>mean wait</th><th>service level</th><th>abandoned</th><th>detractors</th>"
             "<th>vs next (paired, 95% CI)</th></tr>"
             + "".join(board_rows) + "</table>")
    files["leaderboard.csv"] = leaderboard(scores, challenge).to_csv(index=False)
    files["leaderboard.json"] = json.dumps(document(scores, challenge), indent=2) + "\n"
    files["index.html"] = _page(
        f"{challenge.exercise.title}: leaderboard",
        f"<h1>{html.escape(challenge.exercise.title)}: leaderboard</h1>"
        f"<p class='sub'>{html.escape(challenge.exercise.goal)}</p>" + board
        + "<p class='note'>Every plan ran on the same simulated customers "
        f"({len(scores[0].result.days)} days). Lower scores are better; plans that break a "
        "rule are ranked after those that keep them.</p>"
        + _figure("waiting.png", waiting, "Waiting through the day, every plan") + "".join(gantts))
    return write_files(out, files, last="index.html")


def write_brief(challenge: Challenge, out: Path) -> list[Path]:
    """A printable one-page handout: goal, demand curve, rules, budget and a plan template."""
    ex = challenge.exercise
    demand = plots.png_bytes(plots.demand_profile(challenge.scenario))
    template = plan_template(challenge)
    sc = challenge.scenario
    body = (f"<h1>{html.escape(ex.title)}</h1><p class='sub'>{html.escape(ex.goal)}</p>"
            + _figure("demand.png", demand, "Expected customers per hour")
            + f"<h2>The hall</h2><p>Open {format_clock(sc.hours.open)}–"
            f"{format_clock(sc.hours.close)}; {sc.counters.windows} counter windows; "
            f"{sc.self_service.kiosks} self-service kiosks.</p>"
            + "<h2>The rules</h2>" + _rules_list(challenge)
            + "<h2>Your plan</h2><p>Fill in this file and hand it in:</p>"
            f"<pre>{html.escape(template)}</pre>")
    return write_files(out, {"demand.png": demand, "plan-template.yaml": template,
                             "brief.html": _page(f"Brief: {ex.title}", body)}, last="brief.html")
