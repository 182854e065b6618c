"""report.html for an advice: requirement (ISA vs SIPP), staff scheduled, verified metric
per interval against the target, and the plan's Gantt chart; self-contained (images inlined)."""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from ..i18n import _, translate
from ..output import plots
from ..output.htmlpage import figure, header_row, heading, page, paragraph, written_at
from ..scenario.clock import format_clock
from ..scenario.scenario import Scenario
from .advice import Advice
from .statements import group_line, group_lines, headline, verdict_word
from .targets import METRICS, Target


def _clock_axis(ax: plt.Axes, advice: Advice) -> None:
    sc = advice.scenario
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_clock(x)))
    ax.xaxis.set_major_locator(MultipleLocator(60))
    ax.set_xlim(sc.hours.open, sc.hours.close)
    ax.set_xlabel(_("time of day"))
    ax.grid(alpha=0.3)


def requirement_figure(advice: Advice, iv: pd.DataFrame | None = None,
                       windows: int | None = None, title: str | None = None) -> Figure:
    """Counter staff needed (ISA, SIPP) and scheduled per interval, windows as a ceiling
    (``iv``, ``windows``, ``title``: a counter group's, instead of the hall's)."""
    sc = advice.scenario
    iv = advice.intervals if iv is None else iv
    windows = sc.counters.windows if windows is None else windows
    edges = sc.hours.open + np.append(iv["start_min"].to_numpy(), sc.hours.close - sc.hours.open)
    fig, ax = plt.subplots(figsize=plots.SIZE)
    ax.stairs(iv["scheduled"].to_numpy(), edges, fill=True, color="#c7d7ea",
              label=_("scheduled (advised plan)"))
    ax.stairs(iv["required_isa"].to_numpy(), edges, color="#1f3b73", linewidth=2.2,
              label=_("required, ISA (simulation-based)"))
    ax.stairs(iv["required_sipp"].to_numpy(), edges, color="#d62728", linewidth=1.6,
              linestyle="--", label=_("required, SIPP (stationary Erlang)"))
    centres = (edges[:-1] + edges[1:]) / 2
    ax.plot(centres, iv["offered_load"], color="#555", linestyle=":", marker=".",
            label=_("offered load (busy counters with ample staff)"))
    ax.axhline(windows, color="#b22222", linewidth=1,
               label=_("windows ({n})").format(n=windows))
    ax.set_ylabel(_("counter staff"))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _clock_axis(ax, advice)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title or _("Counter staff per interval: requirement and plan"))
    return fig


def verified_figure(advice: Advice, which: int = 0) -> Figure:
    """A target's metric per interval when the plan is simulated, 95% CI, target line, and
    that target's own verdict per interval."""
    sc, iv = advice.scenario, advice.intervals
    target, own = advice.targets[which], advice.verified.by_target[which]
    centres = sc.hours.open + iv["start_min"].to_numpy() + sc.interval_minutes / 2
    mean = own["mean"].to_numpy(dtype=float)
    ci = np.nan_to_num(own["ci95"].to_numpy(dtype=float))
    verdict = own["verdict"].to_numpy(dtype=object)
    fig, ax = plt.subplots(figsize=plots.SIZE)
    for mask, colour, label in ((verdict == "met", "#1f77b4", _("met")),
                                (verdict == "close", "#e69f00", _("close (short, not significantly)")),
                                (verdict == "missed", "#b22222", _("missed (significantly short)"))):
        if mask.any():
            ax.errorbar(centres[mask], mean[mask], yerr=ci[mask], fmt="o", color=colour,
                        capsize=3, label=label)
    ax.axhline(target.value, color="black", linestyle="--", linewidth=1,
               label=_("target ({value:g})").format(value=target.value))
    ax.set_ylabel(target.metric)
    ax.set_ylim(bottom=0)
    _clock_axis(ax, advice)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(_("Verified in the simulator: {metric} by arrival time (95% CI)").format(
        metric=target.metric))
    return fig


def _cell(mean: float, ci: float) -> str:
    return "" if pd.isna(mean) else f"{mean:.3g}" + ("" if pd.isna(ci) else f" ± {ci:.2g}")


def _table(advice: Advice, iv: pd.DataFrame | None = None,
           by_target: list[pd.DataFrame] | None = None, ident: str = "intervals") -> str:
    iv = advice.intervals if iv is None else iv
    by_target = advice.verified.by_target if by_target is None else by_target
    several = len(advice.targets) > 1
    verified = [t.metric for t in advice.targets] if several else [_("verified")]
    heads = [_("interval"), _("arrivals/h"), _("offered load"), _("ISA"), _("SIPP"),
             _("scheduled"), *verified, _("verdict")]
    rows = []
    for k, r in enumerate(iv.itertuples(index=False)):
        style = "better" if r.verdict == "met" else "worse"
        verdict = (f"<span class='{style}' data-verdict='{r.verdict}'>"
                   f"{html.escape(verdict_word(r.verdict))}</span>")
        cells = "".join(f"<td>{_cell(own.loc[k, 'mean'], own.loc[k, 'ci95'])}</td>"
                        for own in by_target)
        rows.append(f"<tr><td>{r.start}–{r.end}</td><td>{r.arrivals_per_hour:.1f}</td>"
                    f"<td>{r.offered_load:.1f}</td><td>{r.required_isa}</td>"
                    f"<td>{r.required_sipp}</td><td>{r.scheduled:.2g}</td>{cells}"
                    f"<td>{verdict}</td></tr>")
    return f'<table id="{ident}">{header_row(heads)}{"".join(rows)}</table>'


def _goal(target: Target, sc: Scenario) -> str:
    goal = _("Target: {metric} {op} {value:g} ({meaning}), in every {n}-minute interval, by "
             "arrival time.").format(metric=target.metric, op="≥" if target.at_least else "≤",
                                     value=target.value, meaning=translate(METRICS[target.metric][1]),
                                     n=sc.interval_minutes)
    if target.metric == "service_level":
        goal += " " + (_("In time means within {wait:g} min (this run's target).")
                       if target.within is not None else
                       _("In time means within {wait:g} min (detractor.target_wait_minutes).")
                       ).format(wait=target.wait_limit(sc))
    return goal


def _shifts(advice: Advice) -> str:
    rows = []
    zoned = bool(advice.groups)
    for s in advice.plan.shifts:
        if s.role != "counter":
            continue
        breaks = _(", ").join(_("{at} ({minutes:g} min)").format(at=format_clock(b.at),
                                                                minutes=b.minutes)
                              for b in s.breaks)
        group = f"<td>{html.escape(s.group or '')}</td>" if zoned else ""
        rows.append(f"<tr><td>{html.escape(s.name)}</td>{group}<td>{format_clock(s.start)}</td>"
                    f"<td>{format_clock(s.end)}</td><td>{s.count}</td><td>{breaks}</td></tr>")
    head = header_row([_("shift"), *([_("group")] if zoned else []), _("start"), _("end"),
                       _("staff"), _("break")])
    return f'<table id="shifts">{head}{"".join(rows)}</table>'


def _groups(advice: Advice, doc: dict) -> list[str]:
    """A section per counter group: what it is staffed for, its requirement and plan, and
    its own verdicts through the day."""
    out = []
    for k, part in enumerate(advice.groups):
        entry = doc["groups"][part.name]
        iv = part.intervals(advice.scenario, advice.targets)
        title = _("Counter group {group}: requirement and plan").format(group=part.name)
        png = plots.render(requirement_figure(advice, iv, part.windows, title))
        out.append(heading(_("Counter group: {group}").format(group=part.name))
                   + paragraph(group_line(part.name, entry))
                   + figure(f"group-{k}.png", png, title)
                   + _table(advice, iv, part.by_target, f"intervals-group-{k}"))
    return out


def report_html(advice: Advice) -> str:
    """The whole report page, in the current language."""
    sc = advice.scenario
    doc = advice.document
    when = written_at()
    stamp = _("requirement from {isa} simulated days, verified on {fresh} fresh days, seed "
              "{seed} · written {when} by hallsim").format(
        isa=advice.requirement.days, fresh=advice.verify_days, seed=advice.seed, when=when)
    hours = _("Counter staff hours: {counter}; all roles: {total}.").format(
        counter=doc["counter_staff_hours"], total=doc["staff_hours"])
    parts = [heading(_("Staffing advice: {name}").format(name=sc.name), 1),
             paragraph(stamp, "sub"), *(paragraph(_goal(t, sc)) for t in advice.targets),
             paragraph(hours)]
    parts += [f"<p class='verdict'><b>{html.escape(line)}</b></p>" for line in headline(doc)]
    parts += [paragraph(line) for line in group_lines(doc)[:1]]
    parts += [paragraph(gap["message"], "note") for gap in doc["gaps"]]
    pictures = [("requirement.png", requirement_figure(advice),
                 _("Requirement (ISA and SIPP) and the staff the plan puts on duty"))]
    pictures += [(f"verified-{t.metric}.png" if k else "verified.png", verified_figure(advice, k),
                  _("The target metric per interval, simulated with the advised plan"))
                 for k, t in enumerate(advice.targets)]
    pictures.append(("shift_plan.png", plots.shift_plan(advice.plan), _("The advised plan")))
    parts += [figure(name, plots.render(fig), caption) for name, fig, caption in pictures]
    parts.append(heading(_("Advised counter shifts")) + _shifts(advice))
    parts.append(heading(_("Through the day")) + _table(advice))
    parts += _groups(advice, doc)
    parts.append(paragraph(_(
        "ISA: the hall is simulated with ample counter staff and then with each staffing in "
        "turn; each interval gets the fewest staff for which what counter customers found on "
        "arrival meets the target, until the staffing settles (Feldman, Mandelbaum, Massey & "
        "Whitt 2008). SIPP: each interval staffed by the stationary Erlang C/A formula for its "
        "own arrival rate, shown for comparison. The metric is measured over customers who "
        "take a counter ticket, by their arrival time; waits are counter-queue waits."), "note"))
    parts.append(paragraph(_(
        "Verified: the plan is simulated on days the requirement never saw, and each "
        "interval's metric counts every counter customer of those days alike. Met: the "
        "metric meets the target. Close: it falls short, but within what chance alone "
        "could give (one-sided test at 95%). Missed: it falls short beyond chance."), "note"))
    parts += [paragraph(note, "note") for note in doc["notes"]]
    return page(_("hallsim: staffing advice for {name}").format(name=sc.name), "\n".join(parts))
