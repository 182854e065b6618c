"""The report's plots (matplotlib, Agg): each a function from results to a Figure.

Every label is translated when the figure is drawn (``_()``), so a figure drawn inside
``hallsim.i18n.language("zh")`` is in Chinese.  Legends sit outside the data, to the right.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, MultipleLocator  # noqa: E402

from ..i18n import _  # noqa: E402
from ..scenario.clock import format_clock  # noqa: E402
from ..scenario.schema import ScenarioModel  # noqa: E402

# Chinese team and shift names (and Chinese reports) need a CJK font: the first installed
# one of these (Debian/Ubuntu: fonts-noto-cjk; Windows: Microsoft YaHei; macOS: PingFang),
# else any installed font whose name says CJK. matplotlib falls back per glyph, so Latin
# text stays in DejaVu Sans.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei",
             "PingFang SC", "Hiragino Sans GB", "Noto Serif CJK SC")


def cjk_fonts() -> list[str]:
    """Installed CJK font families, preferred first (empty when there are none)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = [f for f in CJK_FONTS if f in installed]
    return found or sorted(n for n in installed if "CJK" in n)


# Fallback works between the families of font.family (not inside the sans-serif list).
matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", *matplotlib.rcParams["font.sans-serif"]]
matplotlib.rcParams["font.family"] = ["sans-serif", *cjk_fonts()]
# Names are data: "$x$" in a team or scenario name is shown as typed, never as mathtext.
matplotlib.rcParams["text.parse_math"] = False

ROLE_COLOURS = {"counter": "#1f77b4", "triage": "#2ca02c", "preprocess": "#ff7f0e"}
PLAN_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf", "#ff7f0e"]
SIZE = (9.0, 4.2)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours."""
    def luminance(colour: str) -> float:
        channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                    for c in matplotlib.colors.to_rgb(colour)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def label_colour(background: str) -> str:
    """White or near-black, whichever contrasts more with ``background``."""
    return max(("white", "#111111"), key=lambda text: contrast(text, background))


def role_name(role: str) -> str:
    """A staff role for people (counter, greeter, floor staff), in the current language."""
    names = {"counter": _("counter"), "triage": _("triage (greeter)"),
             "preprocess": _("pre-processing (floor)")}
    return names.get(role, role)


@dataclass(frozen=True)
class Picture:
    """A drawn figure: the PNG, and an SVG with text kept as text when some glyph has no
    installed font (a browser then draws the text with its own fonts)."""

    png: bytes
    svg: bytes | None = None
    missing_glyphs: tuple[str, ...] = ()


def render(fig: Figure) -> Picture:
    """Draw ``fig`` as PNG; if a glyph is missing from every font, add an SVG fallback."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    missing = tuple(str(w.message) for w in caught if "missing from font" in str(w.message))
    for w in caught:
        if "missing from font" not in str(w.message):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    svg = None
    if missing:
        text = io.BytesIO()
        with matplotlib.rc_context({"svg.fonttype": "none"}), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fig.savefig(text, format="svg", bbox_inches="tight")
        svg = text.getvalue()
    plt.close(fig)
    return Picture(buffer.getvalue(), svg, missing)


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes (closes it)."""
    return render(fig).png


def _legend_outside(ax: plt.Axes, handles: list | None = None) -> None:
    """The legend to the right of the plot, never over the data."""
    if handles is None:
        handles = ax.get_legend_handles_labels()[0]
    if handles:
        ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  borderaxespad=0.0, frameon=False)


def _clock_axis(ax: plt.Axes, sc: ScenarioModel, end: float | None = None,
                start: float | None = None) -> None:
    """x axis in minutes since midnight, labelled as clock times, open to close by default."""
    start = sc.hours.open if start is None else start
    end = sc.hours.close if end is None else end
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_clock(x)))
    ax.xaxis.set_major_locator(MultipleLocator(60 if end - start <= 14 * 60 else 120))
    ax.set_xlim(start, end)
    ax.set_xlabel(_("time of day"))
    ax.grid(alpha=0.3)


def _day_end(sc: ScenarioModel, intervals: pd.DataFrame) -> float:
    """The right end of a through-the-day plot: closing, or the last interval if later."""
    if len(intervals) and "start_min" in intervals:
        last = sc.hours.open + float(intervals["start_min"].max()) + sc.interval_minutes
        return max(float(sc.hours.close), min(last, 24 * 60.0))
    return float(sc.hours.close)


def _day_axes(ax: plt.Axes, sc: ScenarioModel, title: str, end: float | None = None,
              legend: bool = True) -> None:
    """The finish every through-the-day plot shares: y from 0, clock axis, legend, title."""
    ax.set_ylim(bottom=0)
    _clock_axis(ax, sc, end=end)
    if end is not None and end > sc.hours.close:
        ax.axvline(sc.hours.close, color="grey", linewidth=1)
        ax.annotate(_("doors close"), (sc.hours.close, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -10), textcoords="offset points", fontsize=7, color="grey")
    if legend:
        _legend_outside(ax)
    ax.set_title(title)


def _edges(sc: ScenarioModel, iv: pd.DataFrame) -> np.ndarray:
    """Interval boundaries in minutes since midnight, for ``stairs``."""
    starts = iv["start_min"].to_numpy(dtype=float)
    return sc.hours.open + np.append(starts, starts[-1] + sc.interval_minutes if len(starts)
                                     else 0.0)


def _centres(sc: ScenarioModel, iv: pd.DataFrame) -> np.ndarray:
    return sc.hours.open + iv["start_min"].to_numpy() + sc.interval_minutes / 2


def _by_interval(intervals: pd.DataFrame) -> pd.core.groupby.DataFrameGroupBy:
    return intervals.groupby("start_min", sort=True)


def mean_counter_minutes(customers: pd.DataFrame) -> float:
    """The mean time a served customer spent at a counter (after any pre-processing saving)."""
    served = customers.loc[customers["outcome"] == "counter", "counter_service_min"]
    return float(served.mean()) if len(served) else float("nan")


def counter_demand(sc: ScenarioModel, customers: pd.DataFrame, starts: np.ndarray) -> np.ndarray:
    """Customers an hour who came to the counter queue, by arrival interval, mean over days."""
    needs = (customers["outcome"] == "counter") | (customers["abandoned_in"] == "counter")
    days = max(int(customers["replication"].nunique()), 1) if len(customers) else 1
    which = np.searchsorted(starts, customers.loc[needs, "arrival_min"].to_numpy(),
                            side="right") - 1
    counts = np.bincount(which[which >= 0], minlength=len(starts))[:len(starts)]
    return counts / days * 60.0 / sc.interval_minutes


def demand_vs_capacity(sc: ScenarioModel, plans: dict[str, tuple[pd.DataFrame, pd.DataFrame]],
                       title: str | None = None) -> Figure:
    """Arrivals and counter demand against counter capacity, all in customers per hour.

    ``plans``: label → (intervals, customers). Capacity is the counter staff on duty times
    what one of them serves in an hour at the plan's mean counter time; the windows cap it.
    """
    fig, ax = plt.subplots(figsize=SIZE)
    end = float(sc.hours.close)
    top = 0.0
    for i, (label, (intervals, customers)) in enumerate(plans.items()):
        colour = PLAN_COLOURS[i % len(PLAN_COLOURS)]
        mean = _by_interval(intervals).mean(numeric_only=True).reset_index()
        prefix = f"{label}: " if len(plans) > 1 else ""
        edges = _edges(sc, mean)
        end = max(end, _day_end(sc, intervals))
        if i == 0:
            ax.bar(_centres(sc, mean), mean["arrival_rate_per_hour"],
                   width=sc.interval_minutes * 0.9, color="#dde6f0",
                   label=_("all arrivals"))
            top = max(top, float(np.nanmax(mean["arrival_rate_per_hour"].to_numpy(), initial=0)))
        demand = counter_demand(sc, customers, mean["start_min"].to_numpy(dtype=float))
        ax.stairs(demand, edges, color=colour, linewidth=1.5, linestyle=":",
                  label=prefix + _("customers needing a counter"))
        per_hour = 60.0 / mean_counter_minutes(customers)
        if np.isfinite(per_hour):
            capacity = mean["staff_counter"].to_numpy() * per_hour
            ax.stairs(capacity, edges, color=colour, linewidth=2.2,
                      label=prefix + _("counter capacity (staff on duty)"))
            ceiling = sc.counters.windows * per_hour
            ax.axhline(ceiling, color=colour, linestyle="--", linewidth=1, alpha=0.7,
                       label=prefix + _("all {n} windows staffed").format(n=sc.counters.windows))
            top = max(top, float(capacity.max(initial=0)), ceiling, float(demand.max(initial=0)))
    ax.set_ylabel(_("customers per hour"))
    ax.set_ylim(0, top * 1.1 + 1)
    _day_axes(ax, sc, title or _("Demand and counter capacity"), end=end)
    ax.set_ylim(0, top * 1.1 + 1)
    return fig


def waiting_through_the_day(sc: ScenarioModel, series: dict[str, pd.DataFrame],
                            title: str | None = None) -> Figure:
    """Mean and p90 wait by arrival interval (one or more plans), spread over replications.

    With more than two plans only each plan's mean wait is drawn, so the chart stays readable.
    """
    fig, ax = plt.subplots(figsize=SIZE)
    detailed = len(series) <= 2
    end = float(sc.hours.close)
    for i, (label, intervals) in enumerate(series.items()):
        colour = PLAN_COLOURS[i % len(PLAN_COLOURS)]
        groups = _by_interval(intervals)
        mean = groups.mean(numeric_only=True).reset_index()
        x = _centres(sc, mean)
        end = max(end, _day_end(sc, intervals))
        prefix = f"{label}: " if len(series) > 1 else ""
        ax.plot(x, mean["mean_wait_min"], color=colour, linewidth=2,
                label=prefix + _("mean wait") if detailed else label)
        if detailed:
            low = groups["mean_wait_min"].quantile(0.1).to_numpy()
            high = groups["mean_wait_min"].quantile(0.9).to_numpy()
            ax.fill_between(x, low, high, color=colour, alpha=0.15,
                            label=prefix + _("mean wait, 10th to 90th percentile of days"))
            ax.plot(x, mean["p90_wait_min"], color=colour, linestyle=":", linewidth=1.8,
                    label=prefix + _("p90 wait"))
    target = sc.detractor.target_wait_minutes
    ax.axhline(target, color="black", linestyle="--", linewidth=1,
               label=_("target ({minutes:g} min)").format(minutes=target))
    ax.set_ylabel(_("wait (minutes)"))
    default = _("Waiting by arrival time") if detailed else _("Mean wait by arrival time")
    _day_axes(ax, sc, title or default, end=end)
    return fig


def group_waits(intervals: pd.DataFrame, group: str) -> pd.DataFrame:
    """Per interval (``start_min``), over the days: customers served at a counter group's
    windows (mean per day), their mean wait (each customer counted once, not each day's
    mean alike) and the group's windows in use (mean)."""
    served = intervals[f"served.{group}"].to_numpy(dtype=float)
    waited = np.nan_to_num(intervals[f"mean_wait_min.{group}"].to_numpy(dtype=float)) * served
    frame = pd.DataFrame({"start_min": intervals["start_min"].to_numpy(), "served": served,
                          "waited": waited,
                          "busy": intervals[f"busy_windows.{group}"].to_numpy(dtype=float)})
    days = frame.groupby("start_min", sort=True)
    total = days[["served", "waited"]].sum()
    out = pd.DataFrame({"served": days["served"].mean(), "busy_windows": days["busy"].mean()})
    out["mean_wait_min"] = np.where(total["served"] > 0,
                                    total["waited"] / total["served"].where(total["served"] > 0),
                                    np.nan)
    return out.reset_index()


def waiting_by_group(sc: ScenarioModel, intervals: pd.DataFrame) -> Figure:
    """A hall with counter groups: the mean wait of the customers each group served, by
    arrival interval."""
    fig, ax = plt.subplots(figsize=SIZE)
    for i, group in enumerate(g.name for g in sc.counters.groups or []):
        waits = group_waits(intervals, group)
        ax.plot(_centres(sc, waits), waits["mean_wait_min"], marker=".", linewidth=2,
                color=PLAN_COLOURS[i % len(PLAN_COLOURS)], label=group)
    target = sc.detractor.target_wait_minutes
    ax.axhline(target, color="black", linestyle="--", linewidth=1,
               label=_("target ({minutes:g} min)").format(minutes=target))
    ax.set_ylabel(_("wait (minutes)"))
    ax.set_ylim(bottom=0)
    _day_axes(ax, sc, _("Mean wait by counter group and arrival time"),
              end=_day_end(sc, intervals))
    return fig


def queue_lengths(sc: ScenarioModel, intervals: pd.DataFrame) -> Figure:
    """Average queue lengths per interval: counter, and triage and kiosk queues if used."""
    mean = _by_interval(intervals).mean(numeric_only=True).reset_index()
    fig, ax = plt.subplots(figsize=SIZE)
    edges = _edges(sc, mean)
    for column, label in [("queue_counter", _("counter queue")),
                          ("queue_triage", _("triage queue")),
                          ("queue_kiosk", _("kiosk queue"))]:
        if column == "queue_counter" or mean[column].max() > 0:
            ax.stairs(mean[column].to_numpy(), edges, linewidth=2, label=label)
    ax.set_ylabel(_("customers queueing (average)"))
    _day_axes(ax, sc, _("Queue length"), end=_day_end(sc, intervals))
    return fig


def wait_distribution(sc: ScenarioModel, customers: pd.DataFrame) -> Figure:
    """Cumulative share of customers served within x minutes, target marked."""
    fig, ax = plt.subplots(figsize=SIZE)
    served = ~customers["outcome"].isin(["abandoned", "turned_away"])
    waits = np.sort(customers.loc[served, "wait_min"].to_numpy())
    n = max(len(customers), 1)
    share = np.arange(1, len(waits) + 1) / n
    ax.step(np.concatenate(([0.0], waits)), np.concatenate(([0.0], share)), where="post",
            linewidth=2, color="#1f77b4")
    target = sc.detractor.target_wait_minutes
    level = float(((customers["wait_min"] <= target) & served).mean()) if len(customers) else 0.0
    ax.axvline(target, color="black", linestyle="--", linewidth=1)
    ax.annotate(_("{share:.0%} served within {minutes:g} min").format(
        share=level, minutes=target), (target, level),
        xytext=(8, -14), textcoords="offset points", fontsize=9)
    ax.set_xlabel(_("wait (minutes)"))
    ax.set_ylabel(_("share of customers served within"))
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    ax.set_title(_("Wait distribution (abandoned customers never count as served)"))
    return fig


def detractors_by_interval(sc: ScenarioModel, intervals: pd.DataFrame, day_rate: float) -> Figure:
    """Estimated detractor rate by arrival interval, with the day's rate marked."""
    mean = _by_interval(intervals).mean(numeric_only=True).reset_index()
    fig, ax = plt.subplots(figsize=SIZE)
    ax.bar(_centres(sc, mean), 100 * mean["detractor_rate"], width=sc.interval_minutes * 0.9,
           color="#e8a0a0", label=_("detractor rate"))
    ax.axhline(100 * day_rate, color="#8b0000", linestyle="--",
               label=_("whole day: {rate:.1f}%").format(rate=100 * day_rate))
    ax.set_ylabel(_("estimated detractors (%)"))
    _day_axes(ax, sc, _("Estimated NPS detractors by arrival time"),
              end=_day_end(sc, intervals))
    return fig


def shift_plan(sc: ScenarioModel, title: str | None = None) -> Figure:
    """The shift plan as a Gantt chart, grouped by role, breaks shown."""
    rows = sorted(sc.shifts, key=lambda s: (list(ROLE_COLOURS).index(s.role), s.start))
    fig, ax = plt.subplots(figsize=(SIZE[0], 0.45 * max(len(rows), 2) + 1.4))
    for y, shift in enumerate(rows):
        colour = ROLE_COLOURS[shift.role]
        ax.barh(y, shift.end - shift.start, left=shift.start, color=colour, height=0.6)
        for brk in shift.breaks:
            ax.barh(y, brk.minutes, left=brk.at, color="white", height=0.6, hatch="///",
                    edgecolor=colour)
        # On a patch of the bar's colour, above any break's hatching, in whichever of white
        # or near-black reads better on that colour (white on orange is 2.4:1).
        ax.text(shift.start + 4, y, f"×{shift.count}", va="center", color=label_colour(colour),
                fontsize=8, fontweight="bold", zorder=4,
                bbox={"facecolor": colour, "edgecolor": "none", "pad": 1.0})
    ax.set_yticks(range(len(rows)), [f"{s.name} ({role_name(s.role)})" for s in rows],
                  fontsize=8)
    ax.invert_yaxis()
    _clock_axis(ax, sc, start=min([s.start for s in sc.shifts] + [sc.hours.open]),
                end=max([s.end for s in sc.shifts] + [sc.hours.close]))
    ax.axvline(sc.hours.open, color="grey", linewidth=1)
    ax.axvline(sc.hours.close, color="grey", linewidth=1)
    present = [r for r in ROLE_COLOURS if any(s.role == r for s in sc.shifts)]
    legend = [Patch(color=ROLE_COLOURS[r], label=role_name(r)) for r in present]
    if any(s.breaks for s in sc.shifts):
        legend.append(Patch(facecolor="white", edgecolor="grey", hatch="///", label=_("break")))
    _legend_outside(ax, legend)
    ax.set_title(title or _("Shift plan"))
    return fig


def demand_profile(sc: ScenarioModel) -> Figure:
    """Expected arrivals per hour through the day (the brief's demand curve)."""
    from ..model.arrivals import rate_schedule

    edges, rates = rate_schedule(sc)
    fig, ax = plt.subplots(figsize=SIZE)
    ax.stairs(rates * 60, sc.hours.open + edges, fill=True, color="#c7d7ea")
    ax.stairs(rates * 60, sc.hours.open + edges, color="#1f3b73", linewidth=2)
    ax.set_ylabel(_("expected arrivals (customers per hour)"))
    expected = float((rates * np.diff(edges)).sum())
    _day_axes(ax, sc, _("Demand through the day ({n:.0f} customers expected)").format(n=expected),
              legend=False)
    return fig
