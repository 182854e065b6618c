"""``fit-report.html``: what was learnt from a ticket log, and how well it fits.

Self-contained (plots inlined). Names from the log are escaped in HTML and shown
literally in plots (no mathtext).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from ..i18n import N_, _, html_lang, translate
from ..output.plots import png_bytes
from ..scenario.clock import format_clock
from .calls import call_sentences
from .flexfit import flex_sentences
from .patience import PatienceFit
from .scenario_writer import Fit
from .services import qq_points
from .tickets import TicketLog, reason_name

STYLE = """body{font-family:system-ui,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:2rem auto;
max-width:1000px;color:#222;padding:0 1rem}table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}
th:first-child,td:first-child{text-align:left}img{max-width:100%;height:auto}
.note{background:#f6f6f6;padding:.6rem 1rem;border-left:4px solid #bbb;font-size:.9rem}
.chosen{font-weight:600}"""
LEVEL_COLOURS = {"peak": "#d62728", "mid": "#ff7f0e", "low": "#1f77b4"}
# The names written to the scenario (``dist: gamma``, ``loads: {peak: ...}``), for people.
WORDS = {"exponential": N_("exponential"), "gamma": N_("gamma"), "lognormal": N_("lognormal"),
         "constant": N_("constant"),
         "peak": N_("peak (高峰)"), "mid": N_("mid load (中峰)"), "low": N_("low (低峰)"),
         "all": N_("all days"), "weekday": N_("weekdays"), "weekend": N_("weekends")}


def word(name: str) -> str:
    """A distribution, load level or day choice in the reader's words (else as written)."""
    return translate(WORDS[name]) if name in WORDS else name


def p_value(p: float | None) -> str:
    """A p-value people read: three digits, or "< 0.001" (never 1.25e-10)."""
    if p is None:
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3g}"


def p_text(p: float | None) -> str:
    """``= 0.012`` or ``< 0.001``, after "p"."""
    value = p_value(p)
    return value if value.startswith("<") else f"= {value}"


def e(value: object) -> str:
    return html.escape(str(value))


def _note(text: str) -> str:
    return f'<p class="note">{e(text)}</p>'


def _img(png: bytes, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img alt="{e(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{e(caption)}</figcaption></figure>")


def _table(header: Sequence[str], rows: Sequence[Sequence[object]],
           classes: Sequence[str] | None = None) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _arrivals_plot(fit: Fit) -> bytes:
    a = fit.arrivals
    fig, ax = plt.subplots(figsize=(9, 4))
    x = a.starts + a.interval / 2
    colours = [LEVEL_COLOURS.get(level, "#888") for level in fit.levels]
    yerr = None if np.isnan(a.ci95).all() else np.nan_to_num(a.ci95)
    ax.bar(x, a.rates, width=a.interval * 0.9, color=colours, alpha=0.6, yerr=yerr, capsize=2)
    level_rate = np.array([fit.loads[level] for level in fit.levels])
    edges = np.append(a.starts, a.close)
    ax.stairs(level_rate, edges, color="black", linewidth=1.5, label=_("load level"))
    ax.set_xticks(edges[:: max(1, 60 // a.interval)])
    ax.set_xticklabels([a.hours.clock(t) for t in edges[:: max(1, 60 // a.interval)]], fontsize=8)
    ax.set_ylabel(_("customers per hour"))
    ax.set_title(_("Arrivals per interval (mean over days, 95% CI) and load levels"))
    ax.legend(fontsize=8)
    return png_bytes(fig)


def _qq_plot(fit: Fit) -> bytes | None:
    fitted = [s for s in fit.services if s.candidates]
    if not fitted:
        return None
    cols = min(3, len(fitted))
    rows = -(-len(fitted) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 3.2 * rows), squeeze=False)
    for ax, s in zip(axes.flat, fitted, strict=False):
        for c, marker in zip(s.candidates, ("o", "s", "^"), strict=False):
            theo, emp = qq_points(s.sample, c.frozen)
            ax.plot(theo, emp, marker, markersize=2.5, label=f"{word(c.dist)} (KS {c.ks:.3f})",
                    alpha=0.7)
        top = float(np.quantile(s.sample, 0.995)) if len(s.sample) else 1.0
        ax.plot([0, top], [0, top], color="black", linewidth=0.8)
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_title(s.name, fontsize=9)
        ax.set_xlabel(_("fitted quantile (min)"), fontsize=8)
        ax.set_ylabel(_("observed quantile (min)"), fontsize=8)
        ax.legend(fontsize=6)
    for ax in list(axes.flat)[len(fitted):]:
        ax.axis("off")
    fig.tight_layout()
    return png_bytes(fig)


def _staff_plot(fit: Fit) -> bytes:
    a, st = fit.arrivals, fit.staffing
    fig, ax = plt.subplots(figsize=(9, 3.2))
    edges = np.append(st.starts, a.close)
    busy = np.nan_to_num(st.busy)
    ax.stairs(busy, edges, label=_("clerks at work (estimated, mean over days)"), color="#1f77b4")
    ax.stairs(st.staff, edges, label=_("counter staff in the fitted shifts"), color="black",
              linestyle="--")
    ticks = edges[:: max(1, 60 // st.step)]
    ax.set_xticks(ticks)
    ax.set_xticklabels([a.hours.clock(t) for t in ticks], fontsize=8)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(_("windows"))
    ax.set_title(_("Windows at work through the day and the fitted counter shifts"))
    ax.legend(fontsize=8, loc="lower center")
    return png_bytes(fig)


def _rejects_section(log: TicketLog, rejects_name: str) -> str:
    counts = log.bad_counts
    out = ["<h2>" + e(_("Rows read")) + "</h2>",
           "<p>" + e(_("Data rows: {rows}; usable: {good}; rejected: {bad} ({share:.1%}).").format(
               rows=log.rows, good=len(log.tickets), bad=log.bad_rows, share=log.bad_share))
           + "</p>"]
    if log.skipped:
        out.append("<p>" + e(_("{n} title line(s) above the header skipped.").format(
            n=log.skipped)) + "</p>")
    if log.zone:
        out.append("<p>" + e(_("Times with a UTC offset were converted to {zone}.").format(
            zone=log.zone)) + "</p>")
    if counts:
        out.append(_table([_("reason"), _("rows")],
                          [[reason_name(k), v] for k, v in counts.items()]))
        out.append(_note(_("Rejected rows, with their line numbers, are in {file}.").format(
            file=rejects_name)))
    if log.ignored:
        out.append(_note(_("Statuses left out (--ignore-unknown), not counted as rejected: "
                           "{values}.").format(values=_(", ").join(
                               _("{reason}: {n}").format(reason=k, n=v)
                               for k, v in log.ignored.items()))))
    return "".join(out)


def _hours_section(fit: Fit, shown: int = 50) -> str:
    h = fit.arrivals.hours
    how = (_("as given (--hours)") if h.given else
           _("the intervals with tickets on at least half the days"))
    out = ["<p>" + e(_("Opening hours: {open}-{close}, {how}.").format(
        open=h.clock(h.open), close=h.clock(h.close), how=how)) + "</p>"]
    if not h.on_wall_clock:
        out.append(_note(_("The hall's day runs across midnight: times are on its day clock, "
                           "which starts at {start} (--day-starts).").format(
                               start=format_clock(h.day_starts))))
    if len(h.stray):
        out.append(_note(_("{n} stray ticket(s) issued outside the opening hours were left out "
                           "of the fit.").format(n=len(h.stray))))
        out.append(_table([_("line"), _("issued")],
                          [[int(line), f"{t:%Y-%m-%d %H:%M:%S}"] for line, t in
                           zip(h.stray["line"][:shown], h.stray["issued"][:shown], strict=True)]))
        if len(h.stray) > shown:
            out.append(_note(_("and {n} more").format(n=len(h.stray) - shown)))
    return "".join(out)


def fit_report(fit: Fit, log: TicketLog, source: str, days: str, rejects_name: str) -> str:
    """The report page (HTML text)."""
    with matplotlib.rc_context({"text.parse_math": False}):
        arrivals_png, qq_png, staff_png = _arrivals_plot(fit), _qq_plot(fit), _staff_plot(fit)
    a = fit.arrivals
    parts = ["<h1>" + e(_("What the ticket log says")) + f": {e(fit.name)}</h1>",
             "<p>" + e(_("Source: {source}.").format(source=source)) + " "
             + e(_("Days used ({days}): {n}").format(days=word(days), n=len(a.days)))
             + f" ({e(a.days[0])} … {e(a.days[-1])}).</p>",
             _rejects_section(log, rejects_name),
             "<h2>" + e(_("Arrivals")) + "</h2>", _hours_section(fit),
             _img(arrivals_png, _("Arrival rate per interval")),
             _table([_("level"), _("customers per hour")],
                    [[word(k), f"{v:.1f}"] for k, v in fit.loads.items()])]
    ci = [("" if np.isnan(c) else f"± {c:.1f}") for c in a.ci95]
    parts.append(_table([_("from"), _("to"), _("customers per hour"), _("95% CI"), _("level")],
                        [[a.hours.clock(s), a.hours.clock(s + a.interval), f"{r:.1f}", c, word(lv)]
                         for s, r, c, lv in zip(a.starts, a.rates, ci, fit.levels, strict=True)]))
    if fit.exact_rates:
        parts.append(_note(_("--exact-rates: the profile keeps each interval's own rate.")))
    parts.append("<h2>" + e(_("Services and counter times")) + "</h2>")
    rows, classes = [], []
    for s in fit.services:
        if not s.candidates:
            rows.append([s.name, f"{s.share:.1%}", s.served, word(s.chosen["dist"]),
                         f"{s.chosen['mean']:.2f}", "", "", translate(s.note)])
            classes.append("chosen")
        for i, c in enumerate(s.candidates):
            cv = f"{c.params['cv']:.2f}" if "cv" in c.params else ""
            rows.append([s.name if i == 0 else "", f"{s.share:.1%}" if i == 0 else "",
                         s.served if i == 0 else "", word(c.dist), f"{c.params['mean']:.2f}", cv,
                         f"{c.aic:.1f}", f"{c.ks:.3f}"])
            classes.append("chosen" if i == 0 else "")
    parts.append(_table([_("service"), _("share"), _("served"), _("distribution"),
                         _("mean (min)"), _("cv"), "AIC", _("KS distance")], rows, classes))
    parts.append(_note(_("Maximum likelihood fits; the lowest AIC (in bold) is written to the "
                         "scenario.")))
    if qq_png:
        parts.append(_img(qq_png, _("QQ plots of counter times")))
    parts.append(_patience_section(fit))
    st = fit.staffing
    parts += ["<h2>" + e(_("Windows and shifts")) + "</h2>",
              "<p>" + e(_("Counter windows")) + f": {st.windows}"
              + ("" if st.from_window_column
                 else " (" + e(_("no window column: most services at once")) + ")")
              + "</p>", _img(staff_png, _("Windows at work and the fitted counter shifts")),
              _table([_("shift"), _("start"), _("end"), _("count")],
                     [[s["name"], s["start"], s["end"], s["count"]] for s in st.shifts])]
    parts += [_note(sentence) for sentence in flex_sentences(st.flex)]
    parts += [_note(sentence) for sentence in call_sentences(fit.calls, zoned=bool(fit.zones))]
    parts += _zones_section(fit)
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="{html_lang()}"><head><meta charset="utf-8">'
            f'<title>{e(fit.name)}</title>'
            f"<style>{STYLE}</style></head><body>{body}</body></html>\n")


def _zones_section(fit: Fit) -> list[str]:
    """With counter groups found in the log: each group's windows, calls and fitted shifts
    (these, not the whole hall's above, are written to the scenario)."""
    if not fit.zones:
        return []
    return ["<h2>" + e(_("Counter groups (zones)")) + "</h2>",
            _note(_("The windows served different services, so the scenario has counter "
                    "groups: windows that served the same services (each at least 1 in 100 of "
                    "a window's tickets, and none missing beyond chance) form a group, and its "
                    "shifts are fitted to its own windows. The call rule is written as "
                    "ticket: the log cannot tell a rule that calls one service first.")),
            _table([_("group"), _("windows"), _("calls"), _("served")],
                   [[z.name, ", ".join(z.windows), ", ".join(z.calls), z.tickets]
                    for z in fit.zones]),
            _table([_("shift"), _("group"), _("start"), _("end"), _("count")],
                   [[s["name"], s["group"], s["start"], s["end"], s["count"]]
                    for z in fit.zones for s in z.shifts()])]


def patience_sentence(p: PatienceFit) -> str:
    """One sentence: which patience was written to the scenario, and why."""
    chosen, rival = p.candidate(p.chosen), p.candidate(p.rival)
    if chosen is None:
        return _("No no-shows: nobody is seen to abandon, so the scenario has patience: none.")
    mean = f"{chosen.params['mean']:.1f}"
    if chosen.dist != "exponential" and rival is not None and chosen.mean_ci is not None:
        return _("The {dist} is used (mean {mean} min): it fits significantly better than the "
                 "exponential (likelihood ratio p {p}) and its mean is well determined "
                 "(95% CI {lo:.1f}-{hi:.1f} min).").format(
                     dist=word(chosen.dist), mean=mean, p=p_text(chosen.p_value),
                     lo=chosen.mean_ci[0],
                     hi=chosen.mean_ci[1])
    if rival is None or rival.p_value is None:
        return _("The exponential is used (mean {mean} min): no other family could be "
                 "fitted.").format(mean=mean)
    if not rival.significant:
        return _("The exponential is used (mean {mean} min): the {rival} fits no significantly "
                 "better (likelihood ratio p = {p:.2f}).").format(mean=mean, rival=word(rival.dist),
                                                                  p=rival.p_value)
    if rival.mean_ci is None:
        return _("The exponential is used (mean {mean} min): the {rival} fits better (likelihood "
                 "ratio p {p}) but these data do not determine its mean.").format(
                     mean=mean, rival=word(rival.dist), p=p_text(rival.p_value))
    return _("The exponential is used (mean {mean} min): the {rival} fits better (likelihood "
             "ratio p {p}) but its mean is poorly determined (95% CI {lo:.1f}-{hi:.1f}"
             " min, wider than 3 times its estimate of {estimate:.1f}).").format(
                 mean=mean, rival=word(rival.dist), p=p_text(rival.p_value), lo=rival.mean_ci[0],
                 hi=rival.mean_ci[1], estimate=rival.params["mean"])


def _patience_section(fit: Fit) -> str:
    p = fit.patience
    out = ["<h2>" + e(_("Patience")) + "</h2>",
           _table([_("observations"), _("tickets")], [
               [_("served after waiting (patience at least the wait)"), p.served],
               [_("served at once (no information)"), p.served_no_wait],
               [_("no-show, called (patience less than the time to the call)"), p.no_show_called],
               [_("no-show, never called (gone before the day's last call)"), p.no_show_uncalled]])]
    rows, classes = [], []
    for c in p.candidates:
        ci = f"{c.mean_ci[0]:.1f}-{c.mean_ci[1]:.1f}" if c.mean_ci else _("not determined")
        rows.append([_("censored") + f" {word(c.dist)}", f"{c.params['mean']:.1f}", ci,
                     f"{c.params['cv']:.2f}" if "cv" in c.params else "", f"{c.aic:.1f}",
                     "" if c.p_value is None else p_value(c.p_value)])
        classes.append("chosen" if c.dist == p.chosen else "")
    if p.naive_mean is not None:
        rows.append([_("naive: no-shows' times to the call taken as patience"),
                     f"{p.naive_mean:.1f}", "", "", "", ""])
        classes.append("")
    out.append(_table([_("estimate"), _("mean (min)"), _("95% CI"), _("cv"), "AIC",
                       _("likelihood ratio p")], rows, classes))
    out.append(f'<p class="note"><strong>{e(patience_sentence(p))}</strong></p>')
    if p.spec is not None:
        out.append(_note(_("The naive estimate ignores everybody who stayed long enough to be "
                           "served, and so understates patience; the censored fit (in bold) is "
                           "written to the scenario.")))
    return "".join(out)
