"""HTML for the exercise: a scorecard per team, the leaderboard, and the trainee brief."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from ..i18n import _, display, ngettext
from ..output import plots
from ..output.console import reference_verdict, versus_next
from ..output.htmlpage import figure, header_row, heading, page, paragraph
from ..output.labels import fmt, fmt_spread, label, survey_note
from ..output.location import slug as safe_name
from ..output.outfiles import run_about, write_files
from ..output.plots import role_name
from ..output.textsafe import csv_text, dumps
from ..scenario.clock import format_clock
from .challenge import Challenge, plan_template, staff_hours
from .levers import lever_label, offers
from .numbers import planning_numbers, shift_rows
from .scoring import PlanScore, Rejected, document, leaderboard

CARD_METRICS = ("mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
                "detractor_rate", "promoter_rate", "nps", "overtime_min")


def slug(team: str) -> str:
    """A file-name-safe form of a team name; Chinese and other letters are kept."""
    return safe_name(team, fallback="team").lower()


def unique_slugs(teams: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for team in teams:
        base = slug(team)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def rule_items(challenge: Challenge) -> list[str]:
    """The challenge's rules and scoring, one HTML fragment each."""
    r, ex = challenge.exercise.rules, challenge.exercise
    items = [_("Budget: at most <b>{hours:g} staff hours</b> (shift length minus breaks, all "
               "roles).").format(hours=ex.budget_staff_hours)
             + (" " + html.escape(_("Levers you pull are paid from the same budget."))
                if ex.levers.opened() else "")]
    if r.start_times:
        items.append(_("Shifts start at {times}.").format(
            times=_(", ").join(format_clock(t) for t in r.start_times)))
    items.append(_("Shifts last {low:g} to {high:g} hours.").format(
        low=r.min_shift_hours, high=r.max_shift_hours))
    if r.break_rule:
        items.append(_("Shifts over {hours:g} h need a break of at least {minutes:g} minutes.")
                     .format(hours=r.break_rule.over_hours, minutes=r.break_rule.min_minutes))
    caps = [f"{n} {html.escape(role_name(role))}" for role, n in r.max_on_duty.items()]
    caps.append(_("{n} counter (the windows)").format(n=challenge.scenario.counters.windows))
    items.append(_("At most on duty at once: {caps}.").format(caps=_(", ").join(caps)))
    w = ex.scoring
    units = {"staff_hours": _("h"), "abandon_rate": _("points"), "detractor_rate": _("points")}
    minutes = _("min")
    parts = [html.escape(_("{weight:g} × {metric} ({unit})").format(
        weight=v, metric=label(k), unit=units.get(k, minutes))) for k, v in w.model_dump().items() if v]
    items.append(_("Score (lower is better): {terms}; rates in percentage points.").format(
        terms=" + ".join(parts)))
    return items


def _rules_list(challenge: Challenge) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in rule_items(challenge)) + "</ul>"



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
    used = (fmt("staff_hours", s.means["staff_hours"]) if s.plan.bought else
            _("{used:.1f} h of {budget:g} h").format(used=s.means["staff_hours"], budget=budget))
    rows = [f"<tr><td>{html.escape(label('staff_hours'))}</td><td>{used}</td></tr>"]
    for name in CARD_METRICS:
        cell = s.result.summary["metrics"][name]
        rows.append(f"<tr><td>{html.escape(label(name))}</td><td>{fmt(name, cell['mean'])} "
                    f"<span class='ci'>± {fmt_spread(name, cell['ci95'])}</span></td></tr>")
    versus = ""
    if s.vs_reference is not None and not s.reference:
        versus = " · " + html.escape(_("reference {reference:.1f}, gap {gap:+.1f} ({verdict})")
                                     .format(reference=s.reference_score, gap=s.vs_reference,
                                             verdict=reference_verdict(
                                                 s.vs_reference, s.valid, s.over_budget)))
    worst = s.worst_interval
    lead = (_("Over budget — ranked after every plan within budget:") if s.over_budget else
            _("Rules broken — ranked after valid plans:"))
    broken = (paragraph(lead, "yes") + "<ul>"
              + "".join(f"<li>{html.escape(v)}</li>" for v in s.violations) + "</ul>"
              if s.violations else paragraph(_("All rules kept.")))
    score_text = _("Score {score:.1f}").format(score=s.score)
    worst_text = _("Worst time of day: <b>{start}–{end}</b>, mean wait {wait:.1f} min: "
                   "{why}.").format(start=worst["start"], end=worst["end"],
                                    wait=worst["mean_wait_min"], why=html.escape(worst["why"]))
    return (f"<h2>#{s.rank} {html.escape(s.team)}</h2>"
            f"<p><b>{score_text}</b>{versus}</p>{broken}"
            f"<table id='headline'>{''.join(rows)}</table>" + _bought(s, budget)
            + f"<p>{worst_text}</p>")



def marked(s: PlanScore) -> str:
    """A team's name as charts show it: flagged when the plan is over budget."""
    return _("{team} (over budget)").format(team=s.team) if s.over_budget else s.team


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
    waiting = None
    if scores:
        waiting = plots.render(plots.waiting_through_the_day(
            sc, {marked(s): s.result.intervals for s in scores}))
        files["waiting.png"] = waiting.png
    every_plan = _("Waiting through the day, every plan")
    names = unique_slugs([s.team for s in scores])
    teams = [s.team for s in scores]
    for i, (s, name) in enumerate(zip(scores, names, strict=True)):
        plan_title = _("{plan}: shift plan").format(plan=marked(s))
        gantt = plots.render(plots.shift_plan(s.plan.scenario, plan_title))
        files[f"plan-{name}.png"] = gantt.png
        gantts.append(f"<a href='team-{name}.html'>"
                      + figure(f"plan-{name}.png", gantt, plan_title) + "</a>")
        files[f"team-{name}.html"] = page(
            f"{display(challenge.exercise.title)}: {s.team}",
            _nav(names, teams, i)
            + f"<h1>{html.escape(display(challenge.exercise.title))}</h1>"
            f"<p class='sub'>{html.escape(display(challenge.exercise.goal))}</p>"
            + _card(s, challenge) + paragraph(survey_note(), "note")
            + figure(f"plan-{name}.png", gantt, _("Your shift plan"))
            + (figure("waiting.png", waiting, every_plan) if waiting else "")
            + _nav(names, teams, i))
        n = len(s.violations)
        flag = "" if s.valid else (" <span class='yes'>(" + html.escape(ngettext(
            "{n} rule broken", "{n} rules broken", n).format(n=n)) + ")</span>")
        if s.over_budget:
            flag = " <span class='yes'>(" + html.escape(_("over budget")) + ")</span>" + flag
        board_rows.append(
            f"<tr><td>{s.rank}</td><td><a href='team-{name}.html'>{html.escape(s.team)}</a>{flag}"
            f"</td><td>{s.score:.1f}</td><td>{s.means['staff_hours']:.1f}</td>"
            f"<td title='{html.escape('; '.join(p.short() for p in s.bought), quote=True)}'>"
            f"{s.lever_hours:.1f}</td>"
            f"<td>{fmt('mean_wait_min', s.means['mean_wait_min'])}</td>"
            f"<td>{fmt('service_level', s.means['service_level'])}</td>"
            f"<td>{fmt('abandon_rate', s.means['abandon_rate'])}</td>"
            f"<td>{fmt('detractor_rate', s.means['detractor_rate'])}</td>"
            f"<td>{fmt('nps', s.means['nps'])}</td>"
            f"<td>{html.escape(versus_next(s.ahead_of_next))}</td></tr>")
    head = header_row([_("rank"), _("team"), _("score"), _("staff h"), _("levers h"),
                       _("mean wait"), _("service level"), _("abandoned"), _("detractors"),
                       _("NPS"), _("vs next (paired, 95% CI)")])
    board = "<table id='board' class='headline'>" + head + "".join(board_rows) + "</table>"
    files["leaderboard.csv"] = csv_text(leaderboard(scores, challenge))
    files["leaderboard.json"] = dumps(document(scores, challenge, rejected), indent=2) + "\n"
    days = len(scores[0].result.days) if scores else 0
    board_title = _("{title}: leaderboard").format(title=display(challenge.exercise.title))
    files["index.html"] = page(
        board_title,
        f"<h1>{html.escape(board_title)}</h1>"
        f"<p class='sub'>{html.escape(display(challenge.exercise.goal))}</p>" + board
        + paragraph(_("Every plan ran on the same simulated customers ({days} days). Lower "
                      "scores are better; plans that break a rule are ranked after those that "
                      "keep them.").format(days=days), "note")
        + paragraph(survey_note(), "note")
        + _rejected_list(rejected)
        + (figure("waiting.png", waiting, every_plan) if waiting else "")
        + "".join(gantts))
    about = run_about("exercise", {"challenge": challenge.scenario},
                      scores[0].result.seed if scores else None, days)
    return write_files(out, files, last="index.html", about=about)


def brief_files(challenge: Challenge, baseline: str | None = None) -> dict[str, bytes | str]:
    """The brief's files: ``brief.html``, ``demand.png`` and ``plan-template.yaml``;
    ``baseline``: a sentence on how today's plan scores, when it was simulated."""
    ex = challenge.exercise
    demand = plots.render(plots.demand_profile(challenge.scenario))
    template = plan_template(challenge)
    sc = challenge.scenario
    body = (f"<h1>{html.escape(display(ex.title))}</h1><p class='sub'>{html.escape(display(ex.goal))}</p>"
            + figure("demand.png", demand, _("Expected customers per hour"))
            + heading(_("The hall")) + paragraph(hall_sentence(challenge)) + planning_numbers(sc)
            + heading(_("The rules")) + _rules_list(challenge) + _levers_table(challenge)
            + _today(challenge, baseline) + heading(_("Your plan"))
            + paragraph(_("Fill in this file and hand it in:"))
            + f"<pre>{html.escape(template)}</pre>")
    title = _("Brief: {title}").format(title=display(ex.title))
    return {"demand.png": demand.png, "plan-template.yaml": template,
            "brief.html": page(title, body)}


def _today(challenge: Challenge, baseline: str | None) -> str:
    """Today's plan (the challenge's own shifts) as a table, and how it scores if known."""
    sc = challenge.scenario
    head, rows = shift_rows(sc)
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                    for row in rows)
    text = _("{hours:g} staff hours.").format(hours=round(staff_hours(sc), 2))
    return (heading(_("Today's plan")) + paragraph(text + (" " + baseline if baseline else ""))
            + f"<table id='today'>{header_row(head)}{cells}</table>")


def hall_sentence(challenge: Challenge) -> str:
    """Opening hours, windows and kiosks, in one sentence."""
    ex, sc = challenge.exercise, challenge.scenario
    kiosks = (_("{on} of {places} self-service kiosk places switched on.").format(
        on=sc.self_service.kiosks, places=ex.levers.kiosks.places)
        if ex.levers.kiosks is not None else
        _("{kiosks} self-service kiosks.").format(kiosks=sc.self_service.kiosks))
    return _("Open {open}–{close}; {windows} counter windows;").format(
        open=format_clock(sc.hours.open), close=format_clock(sc.hours.close),
        windows=sc.counters.windows) + " " + kiosks


def write_brief(challenge: Challenge, out: Path) -> list[Path]:
    """A printable one-page handout: goal, demand curve, rules, budget and a plan template."""
    return write_files(out, brief_files(challenge), last="brief.html")
