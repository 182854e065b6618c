"""Report folders: ``summary.json``, CSVs, PNG plots and a self-contained ``report.html``."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..i18n import _
from ..results.metrics import METRICS
from ..runs.compare import Comparison
from ..runs.simulation import Replications
from ..scenario.schema import ScenarioModel
from . import plots
from .console import better_word, verdict_line
from .exports import interval_means
from .htmlpage import all_metrics, figure, header_row, heading, headline, page, paragraph, stamp
from .labels import fmt, fmt_diff, fmt_spread, label, survey_note
from .outfiles import run_about, write_files
from .textsafe import csv_text, dumps


def interval_columns() -> dict[str, tuple[str, str]]:
    """The through-the-day table's columns: interval column → (heading, number format)."""
    return {
        "arrivals": (_("arrivals"), "{:.1f}"), "mean_wait_min": (_("mean wait (min)"), "{:.1f}"),
        "p90_wait_min": (_("p90 wait (min)"), "{:.1f}"), "abandoned": (_("abandoned"), "{:.1f}"),
        "turned_away": (_("turned away"), "{:.1f}"),
        "service_level": (_("service level"), "{:.0%}"),
        "detractor_rate": (_("detractors"), "{:.0%}"),
        "staff_counter": (_("counter staff"), "{:.1f}"),
        "busy_windows": (_("busy windows"), "{:.1f}"),
        "queue_counter": (_("counter queue"), "{:.1f}"),
    }


def _zones(summary: dict) -> str:
    """With counter groups: a table by group and one by service; with appointments, the
    bookings. Empty for a hall without them."""
    many = summary["replications"] > 1

    def cell(c: dict, spec: str) -> str:
        ci = f' <span class="ci">± {spec.format(c["ci95"])}</span>' if many and c["ci95"] else ""
        return f"<td>{spec.format(c['mean'])}{ci}</td>"

    formats = {"served": "{:.1f}", "mean_wait_min": "{:.1f}", "p90_wait_min": "{:.1f}",
               "service_level": "{:.0%}", "window_utilisation": "{:.0%}",
               "abandon_rate": "{:.0%}"}
    words = {"served": _("served"), "mean_wait_min": _("mean wait (min)"),
             "p90_wait_min": _("p90 wait (min)"), "service_level": _("service level"),
             "window_utilisation": _("window-minutes in use"),
             "abandon_rate": _("abandon rate")}
    out = ""
    for key, title, first in (("groups", _("By counter group (zone)"), _("group")),
                              ("services", _("By service"), _("service"))):
        if key not in summary:
            continue
        names = [m for m in next(iter(summary[key].values())) if m in words]  # not the alias
        rows = "".join(f"<tr><td>{html.escape(name)}</td>"
                       + "".join(cell(stats[m], formats[m]) for m in names) + "</tr>"
                       for name, stats in summary[key].items())
        out += (heading(title) + f'<table id="{key}">'
                + header_row([first, *(words[m] for m in names)]) + rows + "</table>")
        if key == "groups":
            out += paragraph(_(
                "Window-minutes in use: the share of the group's windows busy over the day "
                "(opening to the later of closing and the last leaving), staffed or not. "
                "Counter utilisation (all metrics) is busy minutes per counter staff-minute on "
                "duty: the two are not comparable."), "note")
    if "booked" in summary:
        b = summary["booked"]
        out += heading(_("Appointments")) + paragraph(_(
            "{came:.1f} of {booked:.0f} bookings came ({on_time:.0%} at or before their slot); "
            "from the slot (or their ticket, if later) they waited {wait:.1f} min on average "
            "to be called.").format(came=b["came"]["mean"], booked=b["booked"]["mean"],
                                    on_time=b["on_time_share"]["mean"],
                                    wait=b["mean_wait_after_slot_min"]["mean"]))
    return out


def interval_table(intervals: pd.DataFrame, table_id: str = "intervals") -> str:
    """Means over simulated days, one row per interval (by arrival time)."""
    mean = interval_means(intervals)
    columns = {c: v for c, v in interval_columns().items() if c in mean}
    head = header_row([_("interval"), *(heading for heading, _f in columns.values())])
    rows = []
    for _i, row in mean.iterrows():
        cells = "".join(f"<td>{'' if pd.isna(row[c]) else f.format(row[c])}</td>"
                        for c, (_h, f) in columns.items())
        rows.append(f"<tr><td>{row['start']}–{row['end']}</td>{cells}</tr>")
    return f'<table id="{table_id}">{head}{"".join(rows)}</table>'


def group_interval_table(sc: ScenarioModel, intervals: pd.DataFrame) -> str:
    """A hall with counter groups: per interval and group, customers served at its windows
    (per day), their mean wait and its windows in use; means over simulated days."""
    names = [g.name for g in sc.counters.groups or []]
    waits = [plots.group_waits(intervals, name) for name in names]
    clock = intervals.groupby("start_min", sort=True)[["start", "end"]].first()
    head = "<tr><th rowspan='2'>" + html.escape(_("interval")) + "</th>" + "".join(
        f"<th colspan='3'>{html.escape(name)}</th>" for name in names) + "</tr>"
    words = "".join(f"<th>{html.escape(word)}</th>"
                    for word in (_("served"), _("mean wait (min)"), _("busy windows")))
    head += "<tr>" + words * len(names) + "</tr>"
    rows = []
    for k, (start, end) in enumerate(clock.itertuples(index=False)):
        cells = "".join(f"<td>{w.loc[k, 'served']:.1f}</td><td>"
                        + ("" if pd.isna(w.loc[k, "mean_wait_min"])
                           else f"{w.loc[k, 'mean_wait_min']:.1f}")
                        + f"</td><td>{w.loc[k, 'busy_windows']:.1f}</td>" for w in waits)
        rows.append(f"<tr><td>{start}–{end}</td>{cells}</tr>")
    return f'<table id="intervals-groups">{head}{"".join(rows)}</table>'


def run_plots(result: Replications) -> dict[str, tuple[plots.Picture, str]]:
    """Every plot of a run report: file name → (picture, caption); a hall with counter
    groups adds the wait by group."""
    sc, iv, cu = result.scenario, result.intervals, result.customers
    rate = result.summary["metrics"]["detractor_rate"]["mean"]
    by_group = ({"waiting_groups.png": (plots.render(plots.waiting_by_group(sc, iv)),
                                        _("Mean wait by counter group (customers served at "
                                          "its windows), by arrival time"))}
                if sc.counters.groups else {})
    return {
        "demand_capacity.png": (plots.render(plots.demand_vs_capacity(sc, {sc.name: (iv, cu)})),
                                _("Demand vs capacity: where the shift plan is thin")),
        "waiting.png": (plots.render(plots.waiting_through_the_day(sc, {sc.name: iv})),
                        _("Waiting through the day (band: 10th to 90th percentile of simulated days)")),
        **by_group,
        "queues.png": (plots.render(plots.queue_lengths(sc, iv)), _("Queue length over the day")),
        "wait_distribution.png": (plots.render(plots.wait_distribution(sc, cu)),
                                  _("Share of customers served within x minutes")),
        "detractors.png": (plots.render(plots.detractors_by_interval(sc, iv, rate)),
                           _("Estimated detractor rate by arrival time")),
        "shift_plan.png": (plots.render(plots.shift_plan(sc)), _("The shift plan")),
    }


def _detractor_note() -> str:
    return '<p class="note" id="survey-note">' + html.escape(survey_note()) + "</p>"


def write_run_report(result: Replications, out: Path) -> list[Path]:
    """Write a run's report folder; returns the files written."""
    summary = result.summary
    figures = run_plots(result)
    body = (f"<h1>{html.escape(result.scenario.name)}</h1><p class='sub'>{stamp(summary)}</p>"
            + headline(summary) + _detractor_note()
            + "".join(figure(name, pic, caption) for name, (pic, caption) in figures.items())
            + _zones(summary)
            + heading(_("All metrics")) + all_metrics(summary)
            + heading(_("Through the day"))
            + paragraph(_("Means over simulated days, by arrival interval."))
            + interval_table(result.intervals)
            + (heading(_("Through the day, by counter group"))
               + group_interval_table(result.scenario, result.intervals)
               if result.scenario.counters.groups else ""))
    files: dict[str, bytes | str] = {
        "summary.json": dumps(summary, indent=2) + "\n",
        "customers.csv": csv_text(result.customers),
        "intervals.csv": csv_text(result.intervals),
        **{name: pic.png for name, (pic, _c) in figures.items()},
        "report.html": page(f"hallsim: {result.scenario.name}", body),
    }
    about = run_about("run", {"scenario": result.scenario}, result.seed, len(result.days))
    return write_files(out, files, last="report.html", about=about)


def _comparison_table(doc: dict) -> str:
    rows = []
    for name in METRICS:
        c = doc["metrics"].get(name)
        if c is None:
            continue
        word, better = better_word(c), c.get("better")
        mark = (f"<span class='{'better' if better == 'b' else 'worse'}'>{word}</span>"
                if better else word)
        rows.append(f"<tr><td>{html.escape(label(name))}</td><td>{fmt(name, c['a'])}</td>"
                    f"<td>{fmt(name, c['b'])}</td><td>{fmt_diff(name, c['diff'])}</td>"
                    f"<td class='ci'>± {fmt_spread(name, c['ci95'])}</td><td>{mark}</td></tr>")
    head = header_row([_("metric"), "A", "B", "B − A", _("95% CI"), _("B is")])
    return "<table id='headline'>" + head + "".join(rows) + "</table>"


def write_compare_report(cmp: Comparison, out: Path) -> list[Path]:
    """Write a comparison's report folder: the verdict, the paired table, both plans' demand
    and capacity, waits on one plot, both Gantt charts and both plans through the day."""
    doc = cmp.summary
    sa, sb = cmp.a.scenario, cmp.b.scenario
    name_a, name_b = cmp.labels
    label_a, label_b = f"A: {name_a}", f"B: {name_b}"
    figures = {
        "demand_capacity.png": (plots.render(plots.demand_vs_capacity(
            sa, {label_a: (cmp.a.intervals, cmp.a.customers),
                 label_b: (cmp.b.intervals, cmp.b.customers)})),
            _("Demand vs capacity, both plans")),
        "waiting.png": (plots.render(plots.waiting_through_the_day(
            sa, {label_a: cmp.a.intervals, label_b: cmp.b.intervals})),
            _("Waiting through the day, both plans on the same customers")),
        "shift_plan_a.png": (plots.render(plots.shift_plan(sa, _("{plan}: shift plan").format(
            plan=label_a))), _("Plan A")),
        "shift_plan_b.png": (plots.render(plots.shift_plan(sb, _("{plan}: shift plan").format(
            plan=label_b))), _("Plan B")),
    }
    title = _("{a} vs {b}").format(a=name_a, b=name_b)
    side = (f"<div class='side'><div><h3>{html.escape(label_a)}</h3>"
            f"{interval_table(cmp.a.intervals, 'intervals-a')}</div>"
            f"<div><h3>{html.escape(label_b)}</h3>"
            f"{interval_table(cmp.b.intervals, 'intervals-b')}</div></div>")
    body = (f"<h1>{html.escape(title)}</h1>"
            + paragraph(stamp(doc) + " · " + _("paired on common random numbers"), "sub")
            + f'<p class="verdict" id="verdict">{html.escape(verdict_line(doc))}</p>'
            + _comparison_table(doc)
            + "<p class='note'>" + html.escape(_(
                "B − A is the mean of the paired differences over simulated days; rates differ "
                "in percentage points (pp). B is better or worse when the 95% CI of the "
                "difference excludes 0. The verdict weighs waits, abandonment and detractors "
                "as the exercise's score does (lower is better) and states the staff hours and "
                "overtime beside them; with an hour cost, they count in the score too.")) + "</p>"
            + "".join(figure(name, pic, caption) for name, (pic, caption) in figures.items())
            + heading(_("Through the day"))
            + paragraph(_("Means over simulated days, by arrival interval.")) + side)
    files: dict[str, bytes | str] = {
        "comparison.json": dumps(doc, indent=2) + "\n",
        "runs.csv": csv_text(pd.concat([cmp.a.runs.assign(plan="a"),
                                        cmp.b.runs.assign(plan="b")])),
        **{name: pic.png for name, (pic, _c) in figures.items()},
        "report.html": page(f"hallsim: {title}", body),
    }
    about = run_about("compare", {"a": cmp.a.scenario, "b": cmp.b.scenario}, cmp.a.seed,
                      len(cmp.a.days))
    return write_files(out, files, last="report.html", about=about)
