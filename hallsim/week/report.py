"""A week's output: the per-day table (console and HTML), the week-at-a-glance chart and
the report folder (``summary.json``, ``days.csv``, ``intervals.csv``, ``week.png``,
``report.html``)."""

from __future__ import annotations

import html
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from rich.table import Table
from rich.text import Text

from ..i18n import _
from ..output import console, plots
from ..output.htmlpage import all_metrics, figure, header_row, heading, headline, page, stamp
from ..output.labels import fmt, label
from ..output.outfiles import run_about, write_files
from ..output.textsafe import csv_text, dumps
from .run import WeekRun
from .schema import day_name

DAY_COLUMNS = ("customers", "mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
               "detractor_rate", "staff_hours", "overtime_min")


def _rows(summary: dict) -> list[tuple[str, str, list[str]]]:
    """(day, type note, cells) per day, then the week."""
    rows = []
    for entry in summary["days"]:
        note = "" if entry["type"] == entry["day"] else entry["type"]
        if entry["closed"]:
            rows.append((day_name(entry["day"]), note,
                         [_("closed")] + [""] * (len(DAY_COLUMNS) - 1)))
            continue
        cells = [fmt(m, entry["metrics"][m]["mean"]) for m in DAY_COLUMNS]
        rows.append((day_name(entry["day"]), note, cells))
    rows.append((_("week"), "", [fmt(m, summary["metrics"][m]["mean"]) for m in DAY_COLUMNS]))
    return rows


def days_table(summary: dict) -> Table:
    """The console table: one row per day and one for the week (customer-weighted)."""
    title = _("{name}: {reps} replication(s) of each day, seed {seed}").format(
        name=summary["week"], reps=summary["replications"], seed=summary["seed"])
    table = Table(title=Text(title), title_justify="left")
    table.add_column(_("day"))
    table.add_column(_("type"))
    for m in DAY_COLUMNS:
        table.add_column(label(m), justify="right")
    for day, note, cells in _rows(summary):
        table.add_row(Text(day), Text(note), *cells)
    return console.whole_headers(table)


def _days_html(summary: dict) -> str:
    head = header_row([_("day"), _("type"), *(label(m) for m in DAY_COLUMNS)])
    body = "".join(f"<tr><td>{html.escape(day)}</td><td>{html.escape(note)}</td>"
                   + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
                   for day, note, cells in _rows(summary))
    return f'<table id="days">{head}{body}</table>'


def week_chart(summary: dict, target_wait: float) -> Figure:
    """Week at a glance: customers per day (bars) over waits per day (mean and p90)."""
    entries = summary["days"]
    x = np.arange(len(entries))
    names = [day_name(e["day"]) for e in entries]

    def series(metric: str) -> tuple[np.ndarray, np.ndarray]:
        mean = [np.nan if e["closed"] else e["metrics"][metric]["mean"] for e in entries]
        ci = [np.nan if e["closed"] else (e["metrics"][metric]["ci95"] or 0.0) for e in entries]
        return np.array(mean, dtype=float), np.array(ci, dtype=float)

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9.0, 5.6), sharex=True)
    customers, ci = series("customers")
    shown = ~np.isnan(customers)
    top.bar(x[shown], customers[shown], yerr=ci[shown], color=plots.PLAN_COLOURS[0], capsize=3,
            label=_("customers"))
    for i, e in enumerate(entries):
        if e["closed"]:
            top.annotate(_("closed"), (i, 0), ha="center", va="bottom", fontsize=9, color="grey",
                         xytext=(0, 4), textcoords="offset points")
    top.set_ylabel(_("customers per day"))
    top.set_ylim(bottom=0)
    top.grid(alpha=0.3, axis="y")
    top.set_title(_("{name}: the week at a glance").format(name=summary["week"]))
    for metric, colour, marker in (("mean_wait_min", plots.PLAN_COLOURS[0], "o"),
                                   ("p90_wait_min", plots.PLAN_COLOURS[1], "s")):
        mean, spread = series(metric)
        bottom.errorbar(x, mean, yerr=spread, color=colour, marker=marker, linestyle="-",
                        capsize=3, label=label(metric))
    bottom.axhline(target_wait, color="grey", linestyle="--", linewidth=1,
                   label=_("target wait"))
    bottom.set_ylabel(_("minutes"))
    bottom.set_ylim(bottom=0)
    bottom.grid(alpha=0.3)
    bottom.set_xticks(x, names)
    bottom.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def write_week_report(result: WeekRun, out: Path) -> list[Path]:
    """Write a week's report folder; returns the files written."""
    summary = result.summary
    chart = plots.render(week_chart(summary, result.week.hall.detractor.target_wait_minutes))
    body = (f"<h1>{html.escape(result.week.name)}</h1><p class='sub'>{stamp(summary)}</p>"
            + heading(_("The week"))
            + "<p class='sub'>" + html.escape(_(
                "Each day is simulated on random numbers of its own; the week's rates and waits "
                "are weighted by each day's customers, counts and hours are summed.")) + "</p>"
            + headline(summary)
            + figure("week.png", chart, _("The week at a glance: customers and waits per day"))
            + heading(_("Day by day")) + _days_html(summary)
            + heading(_("All metrics, the week")) + all_metrics(summary))
    files: dict[str, bytes | str] = {
        "summary.json": dumps(summary, indent=2) + "\n",
        "days.csv": csv_text(result.runs),
        "intervals.csv": csv_text(result.intervals),
        "week.png": chart.png,
        "report.html": page(f"hallsim: {result.week.name}", body),
    }
    about = run_about("week", {wd.day: wd.scenario for wd in result.week.open_days},
                      result.seed, result.reps)
    return write_files(out, files, last="report.html", about=about)
