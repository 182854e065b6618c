"""The debrief (复盘) as HTML and JSON, in the current language: per team, its sentences and
an hour-by-hour table against the reference and the winner (demand, staff on duty by role,
waits by stage, each hour's points, what each lever saved).

``team_fragment`` is one team's section, for a page of the caller's own (the web room shows
it to the team after reveal); ``fragment`` is every team's; ``write`` writes ``index.html``
and ``debrief.json`` to a folder.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..i18n import _, display
from ..output.htmlpage import header_row, page, paragraph
from ..output.outfiles import run_about, write_files
from ..output.textsafe import dumps
from ..scenario.clock import format_clock
from .debrief import Debrief, Stretch, TeamDebrief, Versus
from .debrief_text import sentences, span
from .hourly import STAGES
from .pages import slug

STYLE = ("<style>.debrief tr.decisive td{background:#fff3c4;font-weight:600}"
         ".debrief .badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;"
         "margin-left:.5rem;font-size:.85rem;background:#eee;color:#222}"
         ".debrief .badge.over{background:#b22222;color:#fff}"
         ".debrief .other{color:#555}.debrief table{overflow-x:auto;display:block}"
         ".debrief td{white-space:nowrap}</style>")


def _badges(t: TeamDebrief) -> str:
    marks = []
    if t.over_budget:
        marks.append(("over", _("over budget")))
    elif not t.valid:
        marks.append(("over", _("rules broken")))
    if t.winner:
        marks.append(("", _("winner")))
    if t.reference:
        marks.append(("", _("reference plan")))
    return "".join(f"<span class='badge {css}'>{html.escape(text)}</span>" for css, text in marks)


def _pair(value: float, other: float | None, digits: int = 1) -> str:
    """This plan's value, and the reference's beside it in grey."""
    own = f"{value:.{digits}f}"
    if other is None:
        return own
    return f"{own} <span class='other'>/ {other:.{digits}f}</span>"


def _decisive(versus: list[Versus]) -> set[int]:
    first = versus[0] if versus else None
    if first is None:
        return set()
    stretch = first.lost if first.gap >= 0 else first.gained
    return set(stretch.hours) if stretch else set()


def _table(t: TeamDebrief, d: Debrief) -> str:
    ref = next((v for v in t.versus if v.kind == "reference"), None)
    win = next((v for v in t.versus if v.kind == "winner"), None)
    other = d.reference.hours if (ref is not None and d.reference is not None) else None
    heads = [_("hour"), _("customers"), _("counter staff"), _("greeters"), _("floor staff"),
             _("wait at the greeter (min)"), _("wait at a kiosk (min)"),
             _("wait at the counter (min)"), _("mean wait (min)")]
    if ref is not None:
        heads.append(_("points vs the reference"))
    if win is not None:
        heads.append(_("points vs the winner"))
    heads += [_("{lever}: wait saved (min)").format(lever=s.purchase.short()) for s in t.levers]
    rows = []
    decisive = _decisive(t.versus)
    h = t.hours
    for k in range(len(h)):
        cells = [span(float(h.start[k]), float(h.end[k])), f"{h.arrivals[k]:.1f}"]
        for role in ("counter", "triage", "preprocess"):
            cells.append(_pair(float(h.staff[role][k]),
                               None if other is None else float(other.staff[role][k])))
        cells += [f"{h.wait[stage][k]:.1f}" for stage in STAGES]
        cells.append(_pair(float(h.mean_wait[k]),
                           None if other is None else float(other.mean_wait[k])))
        for v in (ref, win):
            if v is not None:
                cells.append(f"{v.points[k]:+.1f}")
        cells += [f"{s.wait_saved[k]:+.1f}" for s in t.levers]
        css = " class='decisive'" if k in decisive else ""
        rows.append(f"<tr{css}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    note = _("Staff on duty and mean wait: this plan / the reference plan. Points: this "
             "plan's part of the score minus the other plan's, from the customers arriving "
             "in that hour (positive: lost there). The decisive hours are highlighted.")
    return ("<table class='hours'>" + header_row(heads) + "".join(rows) + "</table>"
            + paragraph(note if ref is not None else _(
                "Points: this plan's part of the score from the customers arriving in that "
                "hour."), "note"))


def team_fragment(d: Debrief, team: str) -> str:
    """One team's debrief as an HTML section (with its own small style block)."""
    t = d.team(team)
    said = "".join(f"<li>{html.escape(s)}</li>" for s in sentences(t, d))
    score = _("Score {score:.1f}, rank {rank}").format(score=t.score, rank=t.rank)
    return (f"{STYLE}<section class='debrief' id='debrief-{html.escape(slug(t.team), quote=True)}'>"
            f"<h2>{html.escape(t.team)}{_badges(t)}</h2>"
            f"<p>{html.escape(score)}</p><ol class='said'>{said}</ol>"
            + _table(t, d) + "</section>")


def fragment(d: Debrief) -> str:
    """Every team's debrief, in rank order."""
    return "".join(team_fragment(d, t.team) for t in d.teams)


def document(d: Debrief) -> dict:
    """The debrief as plain data (``debrief.json``), sentences in the current language."""
    def stretch(t: TeamDebrief, s: Stretch | None) -> dict | None:
        if s is None:
            return None
        return {"from": format_clock(float(t.hours.start[s.hours[0]])),
                "to": format_clock(float(t.hours.end[s.hours[-1]])),
                "points": s.points, "mean_wait_min": s.wait}

    teams = []
    for t in d.teams:
        h = t.hours
        teams.append({
            "team": t.team, "rank": t.rank, "score": t.score, "reference": t.reference,
            "winner": t.winner, "valid": t.valid, "over_budget": t.over_budget,
            "budget_used_hours": t.budget_used, "sentences": sentences(t, d),
            "hours": [{"start": format_clock(float(h.start[k])),
                       "end": format_clock(float(h.end[k])),
                       "arrivals": float(h.arrivals[k]),
                       "staff": {r: float(v[k]) for r, v in h.staff.items()},
                       "wait_min": {s: float(v[k]) for s, v in h.wait.items()},
                       "mean_wait_min": float(h.mean_wait[k]),
                       "abandon_rate": float(h.abandon_rate[k]),
                       "detractor_rate": float(h.detractor_rate[k]),
                       "points": float(h.points[k])} for k in range(len(h))],
            "versus": [{"other": v.other, "kind": v.kind, "gap": v.gap, "ci95": v.ci95,
                        "points": v.points, "mean_wait_min": v.wait,
                        "lost": stretch(t, v.lost), "gained": stretch(t, v.gained)}
                       for v in t.versus],
            "levers": [{"lever": s.purchase.lever, "cost_hours": s.purchase.cost,
                        "saving": s.saving, "ci95": s.ci95, "wait_saved_min": s.wait_saved}
                       for s in t.levers],
        })
    return {"challenge": display(d.title), "budget_staff_hours": d.budget, "seed": d.seed,
            "replications": d.replications, "teams": teams}


def write(d: Debrief, out: Path) -> list[Path]:
    """``index.html`` (every team's debrief) and ``debrief.json``."""
    title = _("{title}: debrief").format(title=display(d.title))
    body = (f"<h1>{html.escape(title)}</h1><p class='sub'>{html.escape(display(d.goal))}</p>"
            + paragraph(_("Every plan ran on the same simulated customers ({days} days) as "
                          "its scorecard; lower scores are better.").format(days=d.replications),
                        "note")
            + fragment(d))
    reference = d.reference or (d.teams[0] if d.teams else None)
    about = run_about("debrief", {"plan": reference.scenario} if reference else {}, d.seed,
                      d.replications)
    return write_files(out, {"debrief.json": dumps(document(d), indent=2) + "\n",
                             "index.html": page(title, body)}, last="index.html", about=about)


__all__ = ["document", "fragment", "team_fragment", "write"]
