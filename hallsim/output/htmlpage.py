"""The parts every hallsim HTML page is built from: the page itself (self-contained, in the
current language), headings, paragraphs and table headers (all text escaped), inlined plots,
the headline and all-metrics tables of a summary, and the line saying how a page was made.
Run, compare, staff, week, roster and exercise pages all use these."""

from __future__ import annotations

import base64
import html
from datetime import datetime, timezone

from ..i18n import _, html_lang
from ..results.metrics import METRICS
from . import plots
from .labels import fmt, fmt_spread, label

HEADLINE = ("customers", "mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
            "turned_away", "detractor_rate", "promoter_rate", "nps", "staff_hours",
            "overtime_min", "idle_staff_hours")


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:2rem auto;
max-width:1000px;color:#222;padding:0 1rem}h1{margin-bottom:.2rem}.sub{color:#666;margin-top:0}
table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}th{word-break:keep-all}
th,td{padding:.3rem .7rem;border-bottom:1px solid #ddd;text-align:right}
th:first-child,td:first-child{text-align:left}
.headline td.value{font-size:1.25rem;font-weight:600}.ci{color:#777}.yes{color:#b22222;font-weight:600}
figure{margin:1.5rem 0}img{max-width:100%;height:auto}figcaption{color:#555;font-size:.9rem}
.note{background:#f6f6f6;padding:.6rem 1rem;border-left:4px solid #bbb;font-size:.9rem}
.verdict{font-size:1.1rem;font-weight:600}.better{color:#1a7f37}.worse{color:#b22222}
.side{display:flex;gap:1rem;flex-wrap:wrap}.side>div{flex:1 1 420px;overflow-x:auto}
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
    p.textContent = (imgs.length - ok) + " __FAILED__";
    document.body.insertBefore(p, document.body.firstChild);
  }
});
</script>"""


def page(title: str, body: str) -> str:
    """A whole self-contained HTML page, in the current language."""
    check = _CHECK_IMAGES.replace("__FAILED__", _("plot(s) failed to load."))
    return (f'<!DOCTYPE html>\n<html lang="{html_lang()}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body>\n{body}\n{check}\n</body></html>\n")


def header_row(headings: list[str]) -> str:
    """A table's header row; the headings are escaped."""
    return "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headings) + "</tr>"


def heading(text: str, level: int = 2) -> str:
    return f"<h{level}>{html.escape(text)}</h{level}>"


def paragraph(text: str, css: str | None = None) -> str:
    """A paragraph of plain (escaped) text."""
    cls = f" class='{css}'" if css else ""
    return f"<p{cls}>{html.escape(text)}</p>"


def figure(name: str, picture: plots.Picture, caption: str) -> str:
    """A plot inlined as a data URI: the PNG, or its SVG (text as text) if a glyph is missing."""
    if picture.svg is not None:
        data, kind = base64.b64encode(picture.svg).decode("ascii"), "image/svg+xml"
    else:
        data, kind = base64.b64encode(picture.png).decode("ascii"), "image/png"
    return (f'<figure><img src="data:{kind};base64,{data}" alt="{html.escape(caption)}" '
            f'data-file="{html.escape(name)}"><figcaption>{html.escape(caption)}</figcaption>'
            "</figure>")


def headline(summary: dict) -> str:
    """The headline metrics of a summary: mean and 95% CI."""
    many = summary["replications"] > 1
    rows = []
    for name in HEADLINE:
        cell = summary["metrics"].get(name)
        if cell is None:
            continue
        ci = f'<span class="ci">± {fmt_spread(name, cell["ci95"])}</span>' if many else ""
        rows.append(f"<tr><td>{html.escape(label(name))}</td>"
                    f"<td class='value'>{fmt(name, cell['mean'])}</td><td>{ci}</td></tr>")
    head = header_row([_("headline"), _("mean"), _("95% CI")])
    return '<table class="headline" id="headline">' + head + "".join(rows) + "</table>"


def all_metrics(summary: dict) -> str:
    """Every metric of a summary: mean and 95% CI."""
    rows = "".join(f"<tr><td>{html.escape(label(n))}</td><td>{fmt(n, summary['metrics'][n]['mean'])}"
                   f"</td><td class='ci'>± {fmt_spread(n, summary['metrics'][n]['ci95'])}</td></tr>"
                   for n in METRICS if n in summary["metrics"])
    return "<table>" + header_row([_("metric"), _("mean"), _("95% CI")]) + rows + "</table>"


def written_at(now: datetime | None = None) -> str:
    """When a page is written, in the reader's local time with its UTC offset
    (``2026-11-30 14:05 UTC+08:00``): a trainer reads the time on the hall's clock."""
    now = (now or datetime.now(timezone.utc)).astimezone()
    offset = now.strftime("%z")
    return now.strftime("%Y-%m-%d %H:%M") + f" UTC{offset[:3]}:{offset[3:]}"


def stamp(summary: dict) -> str:
    """Replications, seed and when the page was written."""
    when = written_at()
    return _("{n} simulated day(s), seed {seed} · written {when} by hallsim").format(
        n=summary["replications"], seed=summary["seed"], when=when)
