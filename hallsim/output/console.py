"""Human-readable output: compact tables on stdout, progress bars on stderr."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..i18n import _, ngettext
from ..results.metrics import METRICS
from .labels import LABELS, fmt

if TYPE_CHECKING:  # annotations only: keeps the exercise modules out of plain runs
    from ..exercise.challenge import Challenge
    from ..exercise.scoring import PlanScore, Rejected

def stdout() -> Console:
    # Piped output has no width; 120 keeps the tables on one line per metric.
    return Console(file=sys.stdout, highlight=False, width=None if sys.stdout.isatty() else 120)


def summary_table(summary: dict, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("metric")
    table.add_column("mean", justify="right")
    table.add_column("± 95% CI", justify="right")
    for name in METRICS:
        cell = summary["metrics"][name]
        table.add_row(LABELS[name], fmt(name, cell["mean"]),
                      fmt(name, cell["ci95"]) if summary["replications"] > 1 else "")
    return table


def comparison_table(doc: dict) -> Table:
    table = Table(title=f"{doc['b']} − {doc['a']}  ({doc['replications']} paired replications, "
                  f"seed {doc['seed']})", title_justify="left")
    for column in ("metric", "A", "B", "B − A", "± 95% CI", ""):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for name in METRICS:
        cell = doc["metrics"][name]
        table.add_row(LABELS[name], fmt(name, cell["a"]), fmt(name, cell["b"]),
                      fmt(name, cell["diff"]), fmt(name, cell["ci95"]),
                      "significant" if cell["significant"] else "")
    return table


@contextmanager
def progress(total: int, label: str, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr that only appears if the work takes over a second."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _n: None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                   console=Console(file=sys.stderr), transient=True)
    task = bar.add_task(label, total=total, rate="")
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
    table = Table(title=f"#{entry.rank} {escape(entry.team)}: score {entry.score:.1f} ({status})",
                  title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    if entry.plan.bought:
        table.add_row(_("staff hours"), f"{entry.means['staff_hours']:.1f} h")
        for bought in entry.bought:
            table.add_row(_("lever"), escape(bought.describe()))
        table.add_row(_("budget used"), _("{used:g} h of {budget:g} h (staff and levers)")
                      .format(used=round(entry.budget_used, 1), budget=budget))
    else:
        table.add_row(_("staff hours"), f"{entry.means['staff_hours']:.1f} h of {budget:g} h")
    if entry.vs_reference is not None and not entry.reference:
        table.add_row(_("vs reference"), vs_reference(entry))
    for name in ("mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
                 "detractor_rate"):
        table.add_row(LABELS[name], fmt(name, entry.means[name]))
    worst = entry.worst_interval
    table.add_row("worst interval", f"{worst['start']}-{worst['end']}: "
                  f"{worst['mean_wait_min']:.1f} min mean wait")
    table.add_row("why", worst["why"])
    for violation in entry.violations:
        table.add_row("[red]rule broken[/red]", violation)
    return table


def leaderboard_table(scores: list[PlanScore], challenge: Challenge) -> Table:
    """The ranking: valid plans first, by score (lower is better)."""
    table = Table(title=f"Leaderboard: {challenge.exercise.title} (lower score is better)",
                  title_justify="left")
    for column in ("rank", "team", "score", "staff h", _("levers h"), "mean wait",
                   "service level", "detractors", "rules", "vs next"):
        table.add_column(column, justify="left" if column == "team" else "right")
    for s in scores:
        table.add_row(str(s.rank), escape(s.team), f"{s.score:.1f}",
                      f"{s.means['staff_hours']:.1f}", f"{s.lever_hours:.1f}",
                      fmt("mean_wait_min", s.means["mean_wait_min"]),
                      fmt("service_level", s.means["service_level"]),
                      fmt("detractor_rate", s.means["detractor_rate"]),
                      "ok" if s.valid else f"[red]{len(s.violations)} broken[/red]",
                      versus_next(s.ahead_of_next))
    return table


def versus_next(gap: dict) -> str:
    """How far ahead of the next plan, and whether the simulated days settle it."""
    if not gap:
        return ""
    verdict = "clearly ahead" if gap["clear"] else "too close to call"
    return f"{gap['gap']:+.1f} ± {gap['ci95']:.1f} ({verdict})"


def vs_reference(entry: PlanScore) -> str:
    """The team's own score against the reference's, and the gap (positive: behind it)."""
    if entry.vs_reference is None:
        return ""
    return _("{own:.1f} vs {reference:.1f}: {gap:+.1f} ({verdict})").format(
        own=entry.score, reference=entry.reference_score, gap=entry.vs_reference,
        verdict=reference_verdict(entry.vs_reference))


def reference_verdict(gap: float) -> str:
    """Which side of the reference a score difference (team − reference) puts a team."""
    return (_("behind the reference") if gap > 0 else _("ahead of the reference") if gap < 0
            else _("level with the reference"))


def rejected_text(bad: Rejected) -> str:
    """A plan that could not be scored, with every error in it (plain text for stderr)."""
    head = ngettext("{file}: not scored, {n} error:", "{file}: not scored, {n} errors:",
                    len(bad.errors)).format(file=bad.path, n=len(bad.errors))
    return "\n".join([head, *(f"  {e}" for e in bad.errors)])
