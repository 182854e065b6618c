"""Human-readable output: compact tables on stdout, progress bars on stderr."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ..i18n import _, display, ngettext
from ..results.metrics import METRICS
from .labels import fmt, fmt_diff, fmt_spread, label, survey_note
from .textsafe import console_text as _esc

if TYPE_CHECKING:  # annotations only: keeps the exercise modules out of plain runs
    from ..exercise.challenge import Challenge
    from ..exercise.scoring import PlanScore, Rejected

def whole_headers(table: Table) -> Table:
    """Column headings never broken one character per line (到达客/户): each column is at
    least as wide as its heading, when the heading is short enough to keep whole."""
    for column in table.columns:
        width = cell_len(str(column.header))
        if width <= 16:
            column.min_width = max(column.min_width or 0, width)
    return table


def stdout() -> Console:
    # Piped output has no width; 120 keeps the tables on one line per metric.
    return Console(file=sys.stdout, highlight=False, width=None if sys.stdout.isatty() else 120)


def summary_table(summary: dict, title: str) -> Table:
    caption = Text(survey_note()) if "nps" in summary["metrics"] else None
    table = Table(title=Text(title), title_justify="left", caption=caption,
                  caption_justify="left")
    table.add_column(_("metric"))
    table.add_column(_("mean"), justify="right")
    table.add_column(_("± 95% CI"), justify="right")
    for name in METRICS:
        cell = summary["metrics"].get(name)
        if cell is None:
            continue
        table.add_row(label(name), fmt(name, cell["mean"]),
                      fmt_spread(name, cell["ci95"]) if summary["replications"] > 1 else "")
    return whole_headers(table)


def better_word(cell: dict) -> str:
    """How plan B does on one metric: better, worse, or no clear difference."""
    better = cell.get("better")
    if better is None:
        return _("same") if cell["diff"] == 0 else ""
    return _("better") if better == "b" else _("worse")


def verdict_line(doc: dict) -> str:
    """One sentence: which plan wins on the exercise's weighted score, how surely, and at what
    cost: the service and the staff hours side by side, so a plan that buys its waits with
    more staff hours, or saves hours at the same service, says so."""
    v = doc.get("verdict")
    if not v:
        return ""
    a, b = doc["a"], doc["b"]
    if v.get("hour_cost"):
        scores = _("weighted score with {cost:g} per staff hour (lower is better): "
                   "A {a:.1f}, B {b:.1f}").format(cost=v["hour_cost"], a=v["score_a"],
                                                   b=v["score_b"])
    else:
        scores = _("weighted score (lower is better): A {a:.1f}, B {b:.1f}").format(
            a=v["score_a"], b=v["score_b"])
    detail = _("{service}, {cost}").format(service=_wait_phrase(doc), cost=_cost_phrase(v))
    if v["ci95"] is None:
        return _("Verdict: one simulated day cannot decide; {detail}; {scores}.").format(
            detail=detail, scores=scores)
    spread = _("B − A = {diff:+.1f} ± {ci:.1f}").format(diff=v["diff"], ci=v["ci95"])
    names = {"a": a, "b": b}
    cheaper = v.get("cheaper")
    if v["diff"] == 0 and v["ci95"] == 0:
        if cheaper is None:
            return _("Verdict: both plans score the same; {detail}; {scores}.").format(
                detail=detail, scores=scores)
        return _("Verdict: the same service, and {plan} costs less; {detail}; {scores}."
                 ).format(plan=names[cheaper], detail=detail, scores=scores)
    if v["better"] is None:
        return _("Verdict: too close to call; {detail}; {scores}, {spread}.").format(
            detail=detail, scores=scores, spread=spread)
    if not v.get("hour_cost") and cheaper is not None and cheaper != v["better"]:
        return _("Verdict: a trade-off: {plan} serves better, {other} costs less (--hour-cost "
                 "prices a staff hour); {detail}; {scores}, {spread}.").format(
            plan=names[v["better"]], other=names[cheaper], detail=detail, scores=scores,
            spread=spread)
    return _("Verdict: {plan} is better; {detail}; {scores}, {spread}.").format(
        plan=names[v["better"]], detail=detail, scores=scores, spread=spread)


def _wait_phrase(doc: dict) -> str:
    """How much longer or shorter plan B's customers wait on average."""
    diff = doc["metrics"]["mean_wait_min"]["diff"]
    if round(abs(diff), 1) == 0:
        return _("{b} waits as long as {a}").format(a=doc["a"], b=doc["b"])
    text = (_("{b} waits {minutes:.1f} min less") if diff < 0 else
            _("{b} waits {minutes:.1f} min more"))
    return text.format(b=doc["b"], minutes=abs(diff))


def _cost_phrase(v: dict) -> str:
    """Plan B's staff hours and overtime beside plan A's."""
    hours, overtime = v["cost"]["staff_hours_diff"], v["cost"]["overtime_min_diff"]
    if round(abs(hours), 1) == 0:
        staff = _("the same staff hours")
    else:
        staff = (_("{hours:.1f} more staff hours") if hours > 0 else
                 _("{hours:.1f} fewer staff hours")).format(hours=abs(hours))
    if round(abs(overtime)) == 0:
        return _("for {staff}").format(staff=staff)
    extra = (_("{minutes:.0f} more overtime minutes") if overtime > 0 else
             _("{minutes:.0f} fewer overtime minutes")).format(minutes=abs(overtime))
    return _("for {staff} and {overtime}").format(staff=staff, overtime=extra)


def comparison_table(doc: dict) -> Table:
    title = _("A: {a} · B: {b} ({n} paired replications, seed {seed})").format(
        a=doc["a"], b=doc["b"], n=doc["replications"], seed=doc["seed"])
    table = Table(title=Text(title), title_justify="left")
    columns = (_("metric"), "A", "B", "B − A", _("± 95% CI"), _("B is"))
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i in (0, 5) else "right")
    for name in METRICS:
        cell = doc["metrics"].get(name)
        if cell is None:
            continue
        table.add_row(label(name), fmt(name, cell["a"]), fmt(name, cell["b"]),
                      fmt_diff(name, cell["diff"]), fmt_spread(name, cell["ci95"]),
                      better_word(cell))
    return whole_headers(table)


@contextmanager
def progress(total: int, label: str, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr that only appears if the work takes over a second."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _n: None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                   console=Console(file=sys.stderr), transient=True)
    task = bar.add_task(_esc(label), total=total, rate="")
    started = time.perf_counter()
    shown = False

    def advance(n: int) -> None:
        nonlocal shown
        bar.advance(task, n)
        elapsed = time.perf_counter() - started
        done = bar.tasks[0].completed
        bar.update(task, rate=f"{done / elapsed:.1f}/s" if elapsed > 0 else "")
        if not shown and elapsed > 1.0:
            bar.start()
            shown = True

    try:
        yield advance
    finally:
        if shown:
            bar.stop()


def scorecard(entry: PlanScore, challenge: Challenge) -> Table:
    """One team's scorecard (against the trainer's reference plan, if scored)."""
    budget = challenge.exercise.budget_staff_hours
    n = len(entry.violations)
    status = (_("rules kept") if entry.valid else
              ngettext("{n} rule broken", "{n} rules broken", n).format(n=n))
    if entry.over_budget:
        status = _("over budget; {status}").format(status=status)
    title = _("#{rank} {team}: score {score:.1f} ({status})").format(
        rank=entry.rank, team=entry.team, score=entry.score, status=status)
    table = Table(title=Text(title), title_justify="left", show_header=False)
    table.add_column(_("what"))
    table.add_column(_("value"), justify="right")
    if entry.plan.bought:
        table.add_row(_("staff hours"), fmt("staff_hours", entry.means["staff_hours"]))
        for bought in entry.bought:
            table.add_row(_("lever"), Text(bought.describe()))
        table.add_row(_("budget used"), _("{used:g} h of {budget:g} h (staff and levers)")
                      .format(used=round(entry.budget_used, 1), budget=budget))
    else:
        table.add_row(_("staff hours"), _("{used:.1f} h of {budget:g} h").format(
            used=entry.means["staff_hours"], budget=budget))
    if entry.vs_reference is not None and not entry.reference:
        table.add_row(_("vs reference"), vs_reference(entry))
    for name in ("mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
                 "detractor_rate", "promoter_rate", "nps"):
        table.add_row(label(name), fmt(name, entry.means[name]))
    worst = entry.worst_interval
    table.add_row(_("worst interval"), _("{start}-{end}: {wait:.1f} min mean wait").format(
        start=worst["start"], end=worst["end"], wait=worst["mean_wait_min"]))
    table.add_row(_("why"), Text(worst["why"]))
    for violation in entry.violations:
        table.add_row(Text(_("rule broken"), style="red"), Text(violation))
    return whole_headers(table)


def leaderboard_table(scores: list[PlanScore], challenge: Challenge) -> Table:
    """The ranking: valid plans first, by score (lower is better)."""
    title = _("Leaderboard: {title} (lower score is better)").format(title=display(challenge.exercise.title))
    table = Table(title=Text(title), title_justify="left")
    columns = (_("rank"), _("team"), _("score"), _("staff h"), _("levers h"), _("mean wait"),
               _("service level"), _("detractors"), _("NPS"), _("rules"), _("vs next"))
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 1 else "right")
    for s in scores:
        rules = (Text(_("ok")) if s.valid else
                 Text(_("over budget") if s.over_budget else
                      _("{n} broken").format(n=len(s.violations)), style="red"))
        table.add_row(str(s.rank), Text(s.team), f"{s.score:.1f}",
                      f"{s.means['staff_hours']:.1f}", f"{s.lever_hours:.1f}",
                      fmt("mean_wait_min", s.means["mean_wait_min"]),
                      fmt("service_level", s.means["service_level"]),
                      fmt("detractor_rate", s.means["detractor_rate"]), fmt("nps", s.means["nps"]),
                      rules, versus_next(s.ahead_of_next))
    return whole_headers(table)


def versus_next(gap: dict) -> str:
    """How far ahead of the next plan, and whether the simulated days settle it."""
    if not gap:
        return ""
    verdict = _("clearly ahead") if gap["clear"] else _("too close to call")
    return _("{gap:+.1f} ± {ci95:.1f} ({verdict})").format(gap=gap["gap"], ci95=gap["ci95"],
                                                         verdict=verdict)


def vs_reference(entry: PlanScore) -> str:
    """The team's own score against the reference's, and the gap (positive: behind it)."""
    if entry.vs_reference is None:
        return ""
    return _("{own:.1f} vs {reference:.1f}: {gap:+.1f} ({verdict})").format(
        own=entry.score, reference=entry.reference_score, gap=entry.vs_reference,
        verdict=reference_verdict(entry.vs_reference, entry.valid, entry.over_budget))


def reference_verdict(gap: float, valid: bool = True, over_budget: bool = False) -> str:
    """Which side of the reference a score difference (team − reference) puts a team. A plan
    over budget, or breaking another rule, is never ahead of it: it ranks after the reference
    whatever its score."""
    if over_budget:
        return _("over budget: ranked after every plan within budget")
    if not valid and gap <= 0:
        return _("rules broken: ranked after the plans that keep them")
    return (_("behind the reference") if gap > 0 else _("ahead of the reference") if gap < 0
            else _("level with the reference"))


def rejected_text(bad: Rejected) -> str:
    """A plan that could not be scored, with every error in it (plain text for stderr)."""
    head = ngettext("{file}: not scored, {n} error:", "{file}: not scored, {n} errors:",
                    len(bad.errors)).format(file=bad.path, n=len(bad.errors))
    return "\n".join([head, *(f"  {e}" for e in bad.errors)])
