"""The report's plots (matplotlib, Agg): each a function from results to a Figure."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, MultipleLocator  # noqa: E402

from ..scenario.clock import format_clock  # noqa: E402
from ..scenario.schema import ScenarioModel  # noqa: E402

# Team and shift names may be Chinese: fall back to a CJK font when one is installed
# (e.g. Debian's fonts-noto-cjk); without one, such glyphs show as boxes, quietly.
_CJK = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC",
        "Microsoft YaHei", "SimHei", "PingFang SC")
_installed = {f.name for f in font_manager.fontManager.ttflist}
matplotlib.rcParams["font.sans-serif"] = (
    ["DejaVu Sans"] + [f for f in _CJK if f in _installed] + matplotlib.rcParams["font.sans-serif"])
warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)

ROLE_COLOURS = {"counter": "#1f77b4", "triage": "#2ca02c", "preprocess": "#ff7f0e"}
SIZE = (9.0, 4.2)


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _clock_axis(ax: plt.Axes, sc: ScenarioModel, end: float | None = None,
                start: float | None = None) -> None:
    """x axis in minutes since midnight, labelled as clock times, open to close by default."""
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_clock(x)))
    ax.xaxis.set_major_locator(MultipleLocator(60))
    ax.set_xlim(sc.hours.open if start is None else start,
                sc.hours.close if end is None else end)
    ax.set_xlabel("time of day")
    ax.grid(alpha=0.3)


def _day_axes(ax: plt.Axes, sc: ScenarioModel, title: str, legend: bool = True) -> None:
    """The finish every through-the-day plot shares: y from 0, clock axis, legend, title."""
    ax.set_ylim(bottom=0)
    _clock_axis(ax, sc)
    if legend:
        ax.legend(fontsize=8, loc="upper left")
    ax.set_title(title)


def _edges(sc: ScenarioModel, iv: pd.DataFrame) -> np.ndarray:
    """Interval boundaries in minutes since midnight, for ``stairs``."""
    return sc.hours.open + np.append(iv["start_min"].to_numpy(), sc.hours.close - sc.hours.open)


def _centres(sc: ScenarioModel, iv: pd.DataFrame) -> np.ndarray:
    return sc.hours.open + iv["start_min"].to_numpy() + sc.interval_minutes / 2


def _by_interval(intervals: pd.DataFrame) -> pd.core.groupby.DataFrameGroupBy:
    return intervals.groupby("start_min", sort=True)


def demand_vs_capacity(sc: ScenarioModel, intervals: pd.DataFrame) -> Figure:
    """Arrival rate per interval against counter staff on duty, windows as a ceiling."""
    mean = _by_interval(intervals).mean(numeric_only=True).reset_index()
    fig, ax = plt.subplots(figsize=SIZE)
    x = _centres(sc, mean)
    ax.bar(x, mean["arrival_rate_per_hour"], width=sc.interval_minutes * 0.9, color="#c7d7ea",
           label="arrivals (customers/hour)")
    ax.set_ylabel("arrivals (customers per hour)")
    right = ax.twinx()
    edges = _edges(sc, mean)
    staff = mean["staff_counter"].to_numpy()
    right.stairs(staff, edges, color="#1f3b73", linewidth=2, label="counter staff on duty")
    right.axhline(sc.counters.windows, color="#b22222", linestyle="--",
                  label=f"windows ({sc.counters.windows})")
    right.set_ylabel("counter staff on duty")
    right.set_ylim(0, max(sc.counters.windows, float(staff.max(initial=0))) * 1.25 + 0.5)
    _clock_axis(ax, sc)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, [str(h.get_label()) for h in handles], loc="upper left", fontsize=8)
    ax.set_title(f"{sc.name}: demand and counter capacity through the day")
    return fig


def waiting_through_the_day(sc: ScenarioModel, series: dict[str, pd.DataFrame]) -> Figure:
    """Mean and p90 wait by arrival interval (one or more plans), spread over replications."""
    fig, ax = plt.subplots(figsize=SIZE)
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    for colour, (label, intervals) in zip(colours, series.items(), strict=False):
        groups = _by_interval(intervals)
        mean = groups.mean(numeric_only=True).reset_index()
        low = groups["mean_wait_min"].quantile(0.1).to_numpy()
        high = groups["mean_wait_min"].quantile(0.9).to_numpy()
        x = _centres(sc, mean)
        prefix = f"{label}: " if len(series) > 1 else ""
        ax.plot(x, mean["mean_wait_min"], color=colour, linewidth=2, label=f"{prefix}mean wait")
        ax.fill_between(x, low, high, color=colour, alpha=0.15,
                        label=f"{prefix}mean wait, 10-90% of days")
        ax.plot(x, mean["p90_wait_min"], color=colour, linestyle=":", linewidth=1.8,
                label=f"{prefix}p90 wait")
    target = sc.detractor.target_wait_minutes
    ax.axhline(target, color="black", linestyle="--", linewidth=1, label=f"target ({target:g} min)")
    ax.set_ylabel("wait (minutes)")
    _day_axes(ax, sc, "Waiting through the day, by arrival time")
    return fig


def queue_lengths(sc: ScenarioModel, intervals: pd.DataFrame) -> Figure:
    """Average queue lengths per interval: counter, and triage and kiosk queues if used."""
    mean = _by_interval(intervals).mean(numeric_only=True).reset_index()
    fig, ax = plt.subplots(figsize=SIZE)
    edges = _edges(sc, mean)
    for column, label in [("queue_counter", "counter queue"), ("queue_triage", "triage queue"),
                          ("queue_kiosk", "kiosk queue")]:
        if column == "queue_counter" or mean[column].max() > 0:
            ax.stairs(mean[column].to_numpy(), edges, linewidth=2, label=label)
    ax.set_ylabel("customers queueing (average)")
    _day_axes(ax, sc, "Queue length over the day")
    return fig


def wait_distribution(sc: ScenarioModel, customers: pd.DataFrame) -> Figure:
    """Cumulative share of customers served within x minutes, target marked."""
    fig, ax = plt.subplots(figsize=SIZE)
    served = customers["outcome"] != "abandoned"
    waits = np.sort(customers.loc[served, "wait_min"].to_numpy())
    n = max(len(customers), 1)
    share = np.arange(1, len(waits) + 1) / n
    ax.step(np.concatenate(([0.0], waits)), np.concatenate(([0.0], share)), where="post",
            linewidth=2, color="#1f77b4")
    target = sc.detractor.target_wait_minutes
    level = float(((customers["wait_min"] <= target) & served).mean()) if len(customers) else 0.0
    ax.axvline(target, color="black", linestyle="--", linewidth=1)
    ax.annotate(f"{100 * level:.0f}% served within {target:g} min", (target, level),
                xytext=(8, -14), textcoords="offset points", fontsize=9)
    ax.set_xlabel("wait (minutes)")
    ax.set_ylabel("share of customers served within")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    ax.set_title("Wait distribution (abandoned customers never count as served)")
    return fig


def detractors_by_interval(sc: ScenarioModel, intervals: pd.DataFrame, day_rate: float) -> Figure:
    """Estimated detractor rate by arrival interval, with the day's rate marked."""
    mean = _by_interval(intervals).mean(numeric_only=True).reset_index()
    fig, ax = plt.subplots(figsize=SIZE)
    ax.bar(_centres(sc, mean), 100 * mean["detractor_rate"], width=sc.interval_minutes * 0.9,
           color="#e8a0a0", label="detractor rate")
    ax.axhline(100 * day_rate, color="#8b0000", linestyle="--",
               label=f"day: {100 * day_rate:.1f}%")
    ax.set_ylabel("estimated detractors (%)")
    _day_axes(ax, sc, "Estimated NPS detractors caused by waiting, by arrival time")
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
        ax.text(shift.start + 4, y, f"×{shift.count}", va="center", color="white", fontsize=8,
                fontweight="bold")
    ax.set_yticks(range(len(rows)), [f"{s.name} ({s.role})" for s in rows], fontsize=8)
    ax.invert_yaxis()
    _clock_axis(ax, sc, start=min([s.start for s in sc.shifts] + [sc.hours.open]),
                end=max([s.end for s in sc.shifts] + [sc.hours.close]))
    ax.axvline(sc.hours.open, color="grey", linewidth=1)
    ax.axvline(sc.hours.close, color="grey", linewidth=1)
    legend = [Patch(color=c, label=r) for r, c in ROLE_COLOURS.items()]
    legend.append(Patch(facecolor="white", edgecolor="grey", hatch="///", label="break"))
    ax.legend(handles=legend, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title or f"{sc.name}: shift plan")
    return fig


def demand_profile(sc: ScenarioModel) -> Figure:
    """Expected arrivals per hour through the day (the brief's demand curve)."""
    from ..model.arrivals import rate_schedule

    edges, rates = rate_schedule(sc)
    fig, ax = plt.subplots(figsize=SIZE)
    ax.stairs(rates * 60, sc.hours.open + edges, fill=True, color="#c7d7ea")
    ax.stairs(rates * 60, sc.hours.open + edges, color="#1f3b73", linewidth=2)
    ax.set_ylabel("expected arrivals (customers per hour)")
    expected = float((rates * np.diff(edges)).sum())
    _day_axes(ax, sc, f"Demand through the day ({expected:.0f} customers expected)", legend=False)
    return fig
