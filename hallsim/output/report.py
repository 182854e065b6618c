"""Report folders: ``summary.json``, CSVs, PNG plots and a self-contained ``report.html``."""

from __future__ import annotations

import base64
import html
import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from ..results.metrics import METRICS
from ..runs.compare import Comparison
from ..runs.simulation import Replications
from . import plots
from .labels import LABELS, fmt
from .outfiles import write_files

HEADLINE = ("customers", "mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
            "detractor_rate", "staff_hours", "overtime_min")

INTERVAL_COLUMNS = {
    "arrivals": ("arrivals", "{:.1f}"), "mean_wait_min": ("mean wait (min)", "{:.1f}"),
    "p90_wait_min": ("p90 wait (min)", "{:.1f}"), "abandoned": ("abandoned", "{:.1f}"),
    "service_level": ("service level", "{:.0%}"), "detractor_rate": ("detractors", "{:.0%}"),
    "staff_counter": ("counter staff", "{:.1f}"), "busy_windows": ("busy windows", "{:.1f}"),
    "queue_counter": ("counter queue", "{:.1f}"),
}

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:2rem auto;
max-width:1000px;color:#222;padding:0 1rem}h1{margin-bottom:.2rem}.sub{color:#666;margin-top:0}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}th,td{padding:.3rem .7rem;
border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}
.headline td.value{font-size:1.25rem;font-weight:600}.ci{color:#777}.yes{color:#b22222;font-weight:600}
figure{margin:1.5rem 0}img{max-width:100%;height:auto}figcaption{color:#555;font-size:.9rem}
.note{background:#f6f6f6;padding:.6rem 1rem;border-left:4px solid #bbb;font-size:.9rem}
@media print{body{margin:0}figure{page-break-inside:avoid}}
"""

# Marks the page with how many images decoded: a reader sees a warning if any failed.
_CHECK_IMAGES = """<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  document.body.setAttribute("data-images-loaded", ok + "/" + imgs.length);
  if (ok < imgs.length) {
    var p = document.createElement("p"); p.className = "note";
    p.textContent = (imgs.length - ok) + " plot(s) failed to load.";
    document.body.insertBefore(p, document.body.firstChild);
  }
});
</script>"""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body>\n{body}\n{_CHECK_IMAGES}\n</body></html>\n")


def _figure(name: str, png: bytes, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(caption)}" '
            f'data-file="{name}"><figcaption>{html.escape(caption)}</figcaption></figure>')


def _headline(summary: dict) -> str:
    many = summary["replications"] > 1
    rows = []
    for name in HEADLINE:
        cell = summary["metrics"][name]
        ci = f'<span class="ci">± {fmt(name, cell["ci95"])}</span>' if many else ""
        rows.append(f"<tr><td>{LABELS[name]}</td><td class='value'>{fmt(name, cell['mean'])}</td>"
                    f"<td>{ci}</td></tr>")
    return ('<table class="headline" id="headline"><tr><th>headline</th><th>mean</th>'
            "<th>95% CI</th></tr>" + "".join(rows) + "</table>")


def _all_metrics(summary: dict) -> str:
    rows = "".join(f"<tr><td>{LABELS[n]}</td><td>{fmt(n, summary['metrics'][n]['mean'])}</td>"
                   f"<td class='ci'>± {fmt(n, summary['metrics'][n]['ci95'])}</td></tr>"
                   for n in METRICS)
    return f"<table><tr><th>metric</th><th>mean</th><th>95% CI</th></tr>{rows}</table>"


def _interval_table(intervals: pd.DataFrame) -> str:
    mean = intervals.groupby(["start", "end"], sort=False).mean(numeric_only=True).reset_index()
    head = "<tr><th>interval</th>" + "".join(f"<th>{label}</th>" for label, _ in
                                              INTERVAL_COLUMNS.values()) + "</tr>"
    rows = []
    for _, row in mean.iterrows():
        cells = "".join(f"<td>{'' if pd.isna(row[c]) else f.format(row[c])}</td>"
                        for c, (_, f) in INTERVAL_COLUMNS.items())
        rows.append(f"<tr><td>{row['start']}–{row['end']}</td>{cells}</tr>")
    return f'<table id="intervals">{head}{"".join(rows)}</table>'


def run_plots(result: Replications) -> dict[str, tuple[bytes, str]]:
    """Every plot of a run report: file name → (PNG bytes, caption)."""
    sc, iv, cu = result.scenario, result.intervals, result.customers
    rate = result.summary["metrics"]["detractor_rate"]["mean"]
    return {
        "demand_capacity.png": (plots.png_bytes(plots.demand_vs_capacity(sc, iv)),
                                "Demand vs capacity: where the shift plan is thin"),
        "waiting.png": (plots.png_bytes(plots.waiting_through_the_day(sc, {sc.name: iv})),
                        "Waiting through the day (band: 10–90% of simulated days)"),
        "queues.png": (plots.png_bytes(plots.queue_lengths(sc, iv)), "Queue length over the day"),
        "wait_distribution.png": (plots.png_bytes(plots.wait_distribution(sc, cu)),
                                  "Share of customers served within x minutes"),
        "detractors.png": (plots.png_bytes(plots.detractors_by_interval(sc, iv, rate)),
                           "Estimated detractor rate by arrival time"),
        "shift_plan.png": (plots.png_bytes(plots.shift_plan(sc)), "The shift plan"),
    }


def _stamp(summary: dict) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"{summary['replications']} simulated day(s), seed {summary['seed']} · "
            f"written {when} by hallsim")


_DETRACTOR_NOTE = ('<p class="note">The detractor rate is an estimate from an assumed curve '
                   "(waiting → probability of an NPS score of 0–6). Calibrate it with the "
                   "hall's own survey data before quoting it.</p>")


def write_run_report(result: Replications, out: Path) -> list[Path]:
    """Write a run's report folder; returns the files written."""
    summary = result.summary
    figures = run_plots(result)
    body = (f"<h1>{html.escape(result.scenario.name)}</h1><p class='sub'>{_stamp(summary)}</p>"
            + _headline(summary) + _DETRACTOR_NOTE
            + "".join(_figure(name, png, caption) for name, (png, caption) in figures.items())
            + "<h2>All metrics</h2>" + _all_metrics(summary)
            + "<h2>Through the day</h2><p>Means over simulated days, by arrival interval.</p>"
            + _interval_table(result.intervals))
    files: dict[str, bytes | str] = {
        "summary.json": json.dumps(summary, indent=2) + "\n",
        "customers.csv": result.customers.to_csv(index=False),
        "intervals.csv": result.intervals.to_csv(index=False),
        **{name: png for name, (png, _) in figures.items()},
        "report.html": _page(f"hallsim: {result.scenario.name}", body),
    }
    return write_files(out, files, last="report.html")


def _comparison_table(doc: dict) -> str:
    rows = []
    for name in METRICS:
        c = doc["metrics"][name]
        mark = "<span class='yes'>yes</span>" if c["significant"] else ""
        rows.append(f"<tr><td>{LABELS[name]}</td><td>{fmt(name, c['a'])}</td>"
                    f"<td>{fmt(name, c['b'])}</td><td>{fmt(name, c['diff'])}</td>"
                    f"<td class='ci'>± {fmt(name, c['ci95'])}</td><td>{mark}</td></tr>")
    return ('<table id="headline"><tr><th>metric</th><th>A</th><th>B</th><th>B − A</th>'
            "<th>95% CI</th><th>significant</th></tr>" + "".join(rows) + "</table>")


def write_compare_report(cmp: Comparison, out: Path) -> list[Path]:
    """Write a comparison's report folder: both plans' waits on one plot and both Gantt charts."""
    doc = cmp.summary
    sa, sb = cmp.a.scenario, cmp.b.scenario
    label_a, label_b = (f"A: {sa.name}", f"B: {sb.name}")
    figures = {
        "waiting.png": (plots.png_bytes(plots.waiting_through_the_day(
            sa, {label_a: cmp.a.intervals, label_b: cmp.b.intervals})),
            "Waiting through the day, both plans on the same customers"),
        "shift_plan_a.png": (plots.png_bytes(plots.shift_plan(sa, f"A: {sa.name}")), "Plan A"),
        "shift_plan_b.png": (plots.png_bytes(plots.shift_plan(sb, f"B: {sb.name}")), "Plan B"),
    }
    body = (f"<h1>{html.escape(sa.name)} vs {html.escape(sb.name)}</h1>"
            f"<p class='sub'>{_stamp(doc)} · paired on common random numbers</p>"
            + _comparison_table(doc)
            + "<p class='note'>B − A is the mean of the paired differences over simulated days; "
            "a difference is marked significant when its 95% confidence interval excludes 0."
            "</p>"
            + "".join(_figure(name, png, caption) for name, (png, caption) in figures.items()))
    files: dict[str, bytes | str] = {
        "comparison.json": json.dumps(doc, indent=2) + "\n",
        "runs.csv": pd.concat([cmp.a.runs.assign(plan="a"), cmp.b.runs.assign(plan="b")])
        .to_csv(index=False),
        **{name: png for name, (png, _) in figures.items()},
        "report.html": _page(f"hallsim: {sa.name} vs {sb.name}", body),
    }
    return write_files(out, files, last="report.html")
