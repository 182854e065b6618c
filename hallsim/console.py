"""Human-readable output: compact tables on stdout, progress bars on stderr."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .metrics import METRICS

LABELS = {
    "customers": "customers", "served_counter": "served at a counter",
    "served_self_service": "served at a kiosk", "diverted_online": "diverted online",
    "abandoned": "abandoned", "abandon_rate": "abandon rate", "mean_wait_min": "mean wait",
    "p50_wait_min": "median wait", "p90_wait_min": "p90 wait", "p95_wait_min": "p95 wait",
    "max_wait_min": "max wait", "service_level": "service level", "detractor_rate": "detractor rate",
    "counter_utilisation": "counter utilisation", "staff_hours": "staff hours",
    "overtime_min": "overtime", "mean_time_in_hall_min": "mean time in hall",
}


def fmt(metric: str, value: float) -> str:
    """A metric value with its unit: shares as %, minutes as 'min'."""
    if metric.endswith("_rate") or metric in ("service_level", "counter_utilisation"):
        return f"{100 * value:.1f}%"
    if metric.endswith("_min"):
        return f"{value:.1f} min"
    if metric == "staff_hours":
        return f"{value:.1f} h"
    return f"{value:.1f}"


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
