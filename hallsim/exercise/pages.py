"""HTML for the exercise: a scorecard per team, the leaderboard, and the trainee brief."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path

from ..i18n import _, ngettext
from ..output import plots
from ..output.console import reference_verdict, versus_next
from ..output.labels import LABELS, fmt
from ..output.outfiles import write_files
from ..output.report import _figure, _page
from ..scenario.clock import format_clock
from .challenge import Challenge, plan_template
from .levers import lever_label, offers
from .scoring import PlanScore, Rejected, document, leaderboard

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
             "(shift length minus breaks, all roles)."
             + (" " + _("Levers you pull are paid from the same budget.")
                if ex.levers.opened() else "")]
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
    units = {"staff_hours": "h", "abandon_rate": _("points"), "detractor_rate": _("points")}
    parts = [f"{v:g} × {_(LABELS[k])} ({units.get(k, 'min')})"
             for k, v in w.model_dump().items() if v]
    items.append("Score (lower is better): " + " + ".join(parts) + "; rates in percentage points.")
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _levers_table(challenge: Challenge) -> str:
    """The levers a challenge opens: what the hall has, the cap, the price."""
    rows = offers(challenge.exercise.levers, challenge.scenario)
    if not rows:
        return ""
    cells = "".join(f"<tr><td><code>{html.escape(name)}</code> ({html.escape(lever_label(name))})"
                    f"</td><td>{html.escape(what)}</td><td>{html.escape(price)}</td></tr>"
                    for name, what, price in rows)
    return ("<h2>" + html.escape(_("Levers you can pull")) + "</h2><p>"
            + html.escape(_("Besides the shifts, your plan may change these, under levers: in "
                            "the plan file. What the hall already has is free; what you add "
                            "costs hours from the budget; taking something away earns nothing "
                            "back. Anything not listed here stays as the hall has it."))
            + "</p><table id='levers'><tr><th>" + html.escape(_("lever")) + "</th><th>"
            + html.escape(_("today and cap")) + "</th><th>" + html.escape(_("price"))
            + "</th></tr>" + cells + "</table>")


def _bought(s: PlanScore, budget: float) -> str:
    if not s.plan.bought:
        return ""
    items = "".join(f"<li>{html.escape(p.describe())}</li>" for p in s.bought) or (
        "<li>" + html.escape(_("no change to the hall")) + "</li>")
    used = _("Budget used: {used:g} h of {budget:g} h ({staff:.1f} staff hours, {levers:g} h "
             "of levers).").format(used=round(s.budget_used, 1), budget=budget,
                                   staff=s.means["staff_hours"], levers=s.lever_hours)
    return ("<p>" + html.escape(_("Levers bought:")) + f"</p><ul class='levers'>{items}</ul>"
            f"<p>{html.escape(used)}</p>")


def _card(s: PlanScore, challenge: Challenge) -> str:
    budget = challenge.exercise.budget_staff_hours
    of_budget = "" if s.plan.bought else f" of {budget:g} h"
    rows = [f"<tr><td>staff hours</td><td>{s.means['staff_hours']:.1f} h{of_budget}</td></tr>"]
    for name in CARD_METRICS:
        cell = s.result.summary["metrics"][name]
        rows.append(f"<tr><td>{LABELS[name]}</td><td>{fmt(name, cell['mean'])} "
                    f"<span class='ci'>± {fmt(name, cell['ci95'])}</span></td></tr>")
    versus = ""
    if s.vs_reference is not None and not s.reference:
        versus = " · " + html.escape(_("reference {reference:.1f}, gap {gap:+.1f} ({verdict})")
                                     .format(reference=s.reference_score, gap=s.vs_reference,
                                             verdict=reference_verdict(s.vs_reference)))
    worst = s.worst_interval
    broken = ("<p class='yes'>Rules broken — ranked after valid plans:</p><ul>"
              + "".join(f"<li>{html.escape(v)}</li>" for v in s.violations) + "</ul>"
              if s.violations else "<p>All rules kept.</p>")
    return (f"<h2>#{s.rank} {html.escape(s.team)}</h2>"
            f"<p><b>Score {s.score:.1f}</b>{versus}</p>{broken}"
            f"<table id='headline'>{''.join(rows)}</table>" + _bought(s, budget)
            + f"<p>Worst time of day: <b>{worst['start']}–{worst['end']}</b>, mean wait "
            f"{worst['mean_wait_min']:.1f} min: {html.escape(worst['why'])}.</p>")


def _nav(names: list[str], teams: list[str], i: int) -> str:
    """Links from a team page: the leaderboard, and the teams ranked just above and below."""
    links = ["<a href='index.html#board'>" + html.escape(_("Leaderboard")) + "</a>"]
    if i > 0:
        links.append(f"<a href='team-{names[i - 1]}.html'>← {html.escape(teams[i - 1])}</a>")
    if i + 1 < len(names):
        links.append(f"<a href='team-{names[i + 1]}.html'>{html.escape(teams[i + 1])} →</a>")
    return "<p class='nav'>" + " · ".join(links) + "</p>"


def _rejected_list(rejected: Sequence[Rejected]) -> str:
    if not rejected:
        return ""
    items = "".join(
        f"<li><code>{html.escape(str(r.path))}</code><ul>"
        + "".join(f"<li>{html.escape(e)}</li>" for e in r.errors) + "</ul></li>"
        for r in rejected)
    return ("<h2 id='rejected'>" + html.escape(_("Plans that could not be scored")) + "</h2><p>"
            + html.escape(_("These files are not valid plans; fix the errors and score again."))
            + f"</p><ul class='yes'>{items}</ul>")


def write_scores(scores: list[PlanScore], challenge: Challenge, out: Path,
                 rejected: Sequence[Rejected] = ()) -> list[Path]:
    """Leaderboard page, one scorecard page per team, plots, CSV and JSON."""
    sc = challenge.scenario
    files: dict[str, bytes | str] = {}
    board_rows, gantts = [], []
    for stale in [*out.glob("team-*.html"), *out.glob("plan-*.png")]:  # from an earlier scoring
        stale.unlink()
    waiting = b""
    if scores:
        waiting = plots.png_bytes(plots.waiting_through_the_day(
            sc, {s.team: s.result.intervals for s in scores}))
        files["waiting.png"] = waiting
    names = unique_slugs([s.team for s in scores])
    teams = [s.team for s in scores]
    for i, (s, name) in enumerate(zip(scores, names, strict=True)):
        gantt = plots.png_bytes(plots.shift_plan(s.plan.scenario, f"{s.team}: shift plan"))
        files[f"plan-{name}.png"] = gantt
        gantts.append(f"<a href='team-{name}.html'>"
                      + _figure(f"plan-{name}.png", gantt, f"{s.team}: shift plan") + "</a>")
        files[f"team-{name}.html"] = _page(
            f"{challenge.exercise.title}: {s.team}",
            _nav(names, teams, i)
            + f"<h1>{html.escape(challenge.exercise.title)}</h1>"
            f"<p class='sub'>{html.escape(challenge.exercise.goal)}</p>"
            + _card(s, challenge)
            + _figure(f"plan-{name}.png", gantt, "Your shift plan")
            + _figure("waiting.png", waiting, "Waiting through the day, every plan")
            + _nav(names, teams, i))
        n = len(s.violations)
        flag = "" if s.valid else (" <span class='yes'>(" + html.escape(ngettext(
            "{n} rule broken", "{n} rules broken", n).format(n=n)) + ")</span>")
        board_rows.append(
            f"<tr><td>{s.rank}</td><td><a href='team-{name}.html'>{html.escape(s.team)}</a>{flag}"
            f"</td><td>{s.score:.1f}</td><td>{s.means['staff_hours']:.1f}</td>"
            f"<td title='{html.escape('; '.join(p.short() for p in s.bought), quote=True)}'>"
            f"{s.lever_hours:.1f}</td>"
            f"<td>{fmt('mean_wait_min', s.means['mean_wait_min'])}</td>"
            f"<td>{fmt('service_level', s.means['service_level'])}</td>"
            f"<td>{fmt('abandon_rate', s.means['abandon_rate'])}</td>"
            f"<td>{fmt('detractor_rate', s.means['detractor_rate'])}</td>"
            f"<td>{html.escape(versus_next(s.ahead_of_next))}</td></tr>")
    board = ("<table id='board' class='headline'><tr><th>rank</th><th>team</th><th>score</th>"
             "<th>staff h</th><th>" + html.escape(_("levers h")) + "</th>"
             "<th>mean wait</th><th>service level</th><th>abandoned</th><th>detractors</th>"
             "<th>vs next (paired, 95% CI)</th></tr>"
             + "".join(board_rows) + "</table>")
    files["leaderboard.csv"] = leaderboard(scores, challenge).to_csv(index=False)
    files["leaderboard.json"] = json.dumps(document(scores, challenge, rejected),
                                           indent=2) + "\n"
    days = len(scores[0].result.days) if scores else 0
    files["index.html"] = _page(
        f"{challenge.exercise.title}: leaderboard",
        f"<h1>{html.escape(challenge.exercise.title)}: leaderboard</h1>"
        f"<p class='sub'>{html.escape(challenge.exercise.goal)}</p>" + board
        + "<p class='note'>Every plan ran on the same simulated customers "
        f"({days} days). Lower scores are better; plans that break a "
        "rule are ranked after those that keep them.</p>"
        + _rejected_list(rejected)
        + (_figure("waiting.png", waiting, "Waiting through the day, every plan") if scores else "")
        + "".join(gantts))
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
            + (html.escape(_("{on} of {places} self-service kiosk places switched on.").format(
                on=sc.self_service.kiosks, places=ex.levers.kiosks.places))
               if ex.levers.kiosks is not None else
               f"{sc.self_service.kiosks} self-service kiosks.") + "</p>"
            + "<h2>The rules</h2>" + _rules_list(challenge) + _levers_table(challenge)
            + "<h2>Your plan</h2><p>Fill in this file and hand it in:</p>"
            f"<pre>{html.escape(template)}</pre>")
    return write_files(out, {"demand.png": demand, "plan-template.yaml": template,
                             "brief.html": _page(f"Brief: {ex.title}", body)}, last="brief.html")
