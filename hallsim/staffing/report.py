"""report.html for an advice: requirement (ISA vs SIPP), staff scheduled, verified metric
per interval against the target, and the plan's Gantt chart; self-contained (images inlined)."""

from __future__ import annotations

import base64
import html
from datetime import datetime, timezone

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from ..i18n import _, current
from ..output import plots
from ..scenario.clock import format_clock
from .advice import Advice
from .targets import METRICS

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:2rem auto;
max-width:1000px;color:#222;padding:0 1rem}h1{margin-bottom:.2rem}.sub{color:#666;margin-top:0}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}th,td{padding:.3rem .7rem;
border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}
.miss{color:#b22222;font-weight:600}.ok{color:#1a7f37}figure{margin:1.5rem 0}
img{max-width:100%;height:auto}figcaption{color:#555;font-size:.9rem}
.note{background:#f6f6f6;padding:.6rem 1rem;border-left:4px solid #bbb;font-size:.9rem}
.gap{background:#fff4f4;padding:.6rem 1rem;border-left:4px solid #b22222}
"""


def _clock_axis(ax: plt.Axes, advice: Advice) -> None:
    sc = advice.scenario
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_clock(x)))
    ax.xaxis.set_major_locator(MultipleLocator(60))
    ax.set_xlim(sc.hours.open, sc.hours.close)
    ax.set_xlabel(_("time of day"))
    ax.grid(alpha=0.3)


def requirement_figure(advice: Advice) -> Figure:
    """Counter staff needed (ISA, SIPP) and scheduled per interval, windows as a ceiling."""
    sc, iv = advice.scenario, advice.intervals
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
    ax.axhline(sc.counters.windows, color="#b22222", linewidth=1,
               label=_("windows ({n})").format(n=sc.counters.windows))
    ax.set_ylabel(_("counter staff"))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _clock_axis(ax, advice)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(_("Counter staff per interval: requirement and plan"))
    return fig


def verified_figure(advice: Advice) -> Figure:
    """The target metric per interval when the plan is simulated, 95% CI, target line."""
    sc, iv, target = advice.scenario, advice.intervals, advice.target
    centres = sc.hours.open + iv["start_min"].to_numpy() + sc.interval_minutes / 2
    mean = iv["verified_mean"].to_numpy(dtype=float)
    ci = np.nan_to_num(iv["verified_ci95"].to_numpy(dtype=float))
    ok = iv["meets"].to_numpy(dtype=bool)
    fig, ax = plt.subplots(figsize=plots.SIZE)
    for mask, colour, label in ((ok, "#1f77b4", _("meets the target")),
                                (~ok, "#b22222", _("misses the target"))):
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


def _figure(png: bytes, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(caption)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _table(iv: pd.DataFrame) -> str:
    heads = [_("interval"), _("arrivals/h"), _("offered load"), _("ISA"), _("SIPP"),
             _("scheduled"), _("verified"), _("95% CI"), _("meets")]
    rows = []
    for r in iv.itertuples(index=False):
        verdict = (f"<span class='ok'>{html.escape(_('yes'))}</span>" if r.meets
                   else f"<span class='miss'>{html.escape(_('no'))}</span>")
        mean = "" if pd.isna(r.verified_mean) else f"{r.verified_mean:.3g}"
        ci = "" if pd.isna(r.verified_ci95) else f"± {r.verified_ci95:.2g}"
        rows.append(f"<tr><td>{r.start}–{r.end}</td><td>{r.arrivals_per_hour:.1f}</td>"
                    f"<td>{r.offered_load:.1f}</td><td>{r.required_isa}</td>"
                    f"<td>{r.required_sipp}</td><td>{r.scheduled:.2g}</td><td>{mean}</td>"
                    f"<td>{ci}</td><td>{verdict}</td></tr>")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    return f'<table id="intervals"><tr>{head}</tr>{"".join(rows)}</table>'


def _shifts(advice: Advice) -> str:
    rows = []
    for s in advice.plan.shifts:
        if s.role != "counter":
            continue
        breaks = ", ".join(f"{format_clock(b.at)} ({b.minutes:g} min)" for b in s.breaks)
        rows.append(f"<tr><td>{html.escape(s.name)}</td><td>{format_clock(s.start)}</td>"
                    f"<td>{format_clock(s.end)}</td><td>{s.count}</td><td>{breaks}</td></tr>")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in
                   (_("shift"), _("start"), _("end"), _("staff"), _("break")))
    return f'<table id="shifts"><tr>{head}</tr>{"".join(rows)}</table>'


def report_html(advice: Advice) -> str:
    sc, target = advice.scenario, advice.target
    doc = advice.document
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    verdict = (_("The plan meets the target in every interval.") if advice.meets_target else
               _("The plan misses the target in {n} interval(s).").format(
                   n=int((~advice.intervals["meets"]).sum())))
    stamp = _("{reps} simulated day(s) per plan, seed {seed} · written {when} by hallsim").format(
        reps=advice.reps, seed=advice.seed, when=when)
    parts = [
        f"<h1>{html.escape(_('Staffing advice: {name}').format(name=sc.name))}</h1>",
        f"<p class='sub'>{html.escape(stamp)}</p>",
        f"<p><b>{html.escape(_('Target'))}:</b> {html.escape(target.metric)} "
        f"{'≥' if target.at_least else '≤'} {target.value:g} "
        f"({html.escape(_(METRICS[target.metric][1]))}), "
        f"{html.escape(_('in every {n}-minute interval, by arrival time').format(n=sc.interval_minutes))}."
        f"<br><b>{html.escape(_('Counter staff hours'))}:</b> {doc['counter_staff_hours']} · "
        f"<b>{html.escape(_('all roles'))}:</b> {doc['staff_hours']}<br>"
        f"<b>{html.escape(verdict)}</b></p>",
    ]
    for gap in advice.gaps:
        parts.append(f"<p class='gap'>{html.escape(gap.message)}</p>")
    parts.append(_figure(plots.png_bytes(requirement_figure(advice)),
                         _("Requirement (ISA and SIPP) and the staff the plan puts on duty")))
    parts.append(_figure(plots.png_bytes(verified_figure(advice)),
                         _("The target metric per interval, simulated with the advised plan")))
    parts.append(_figure(plots.png_bytes(plots.shift_plan(advice.plan)), _("The advised plan")))
    parts.append(f"<h2>{html.escape(_('Advised counter shifts'))}</h2>" + _shifts(advice))
    parts.append(f"<h2>{html.escape(_('Through the day'))}</h2>" + _table(advice.intervals))
    method = _("ISA: the hall is simulated with ample counter staff and then with each "
               "staffing in turn; each interval gets the fewest staff for which what counter "
               "customers found on arrival meets the target, until the staffing settles "
               "(Feldman, Mandelbaum, Massey & Whitt 2008). SIPP: each interval staffed by "
               "the stationary Erlang C/A formula for its own arrival rate, shown for "
               "comparison. The metric is measured over customers who take a counter ticket, "
               "by their arrival time; waits are counter-queue waits.")
    parts.append(f"<p class='note'>{html.escape(method)}</p>")
    for note in advice.notes:
        parts.append(f"<p class='note'>{html.escape(note)}</p>")
    title = _("hallsim: staffing advice for {name}").format(name=sc.name)
    return (f'<!DOCTYPE html>\n<html lang="{current()}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body>\n{''.join(parts)}\n</body></html>\n")
