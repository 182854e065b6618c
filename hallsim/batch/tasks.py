"""One hall of a batch, as a Dask worker runs it: simulate or advise, and return the row of
batch.csv and the hall's report files (as bytes: the worker needs no shared folder).

A scenario is run (``replicate``) or advised (``advise``); a week file is run (``run_week``)
or its roster drafted (``draft_roster``). Loading happens on the client, so a bad file is
named there; the worker gets the loaded hall.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import language
from ..output.outfiles import MANIFEST
from ..scenario.scenario import Scenario
from ..week.weekfile import Week

ROW_METRICS = ("customers", "mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
               "detractor_rate", "staff_hours")


@dataclass(frozen=True)
class Job:
    """What the batch asks of every hall."""

    target: str | None           # METRIC=VALUE: advise (or draft the roster); None: run
    reps: int
    seed: int
    verify_days: int
    lang: str = "en"             # the reports' language: a worker process starts in English


def _folder_files(write: Any) -> dict[str, bytes]:
    """Run ``write(folder)`` into a scratch folder and read back what it wrote."""
    with tempfile.TemporaryDirectory(prefix="hallsim-batch-") as scratch:
        out = Path(scratch) / "hall"
        write(out)
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())
                if p.is_file() and p.name != MANIFEST}


def _metrics(summary: dict) -> dict[str, Any]:
    return {m: summary["metrics"][m]["mean"] for m in ROW_METRICS if m in summary["metrics"]}


def run_hall(hall: Scenario | Week, job: Job) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Simulate or advise one hall; returns (the row's fields, the files of its folder)."""
    started = time.perf_counter()
    with language(job.lang):
        if isinstance(hall, Week):
            row, files = (_draft(hall, job) if job.target else _run_week(hall, job))
        else:
            row, files = (_advise(hall, job) if job.target else _run(hall, job))
    row["seconds"] = round(time.perf_counter() - started, 2)
    return row, files


def _run(sc: Scenario, job: Job) -> tuple[dict[str, Any], dict[str, bytes]]:
    from ..output.report import write_run_report
    from ..runs.simulation import replicate

    result = replicate(sc, reps=job.reps, seed=job.seed)
    files = _folder_files(lambda out: write_run_report(result, out))
    return _metrics(result.summary), files


def _run_week(week: Week, job: Job) -> tuple[dict[str, Any], dict[str, bytes]]:
    from ..week.report import write_week_report
    from ..week.run import run_week

    result = run_week(week, reps=job.reps, seed=job.seed)
    files = _folder_files(lambda out: write_week_report(result, out))
    return _metrics(result.summary), files


def _advise(sc: Scenario, job: Job) -> tuple[dict[str, Any], dict[str, bytes]]:
    from ..staffing.advice import advise
    from ..staffing.planfiles import advice_json, plan_yaml, scenario_yaml
    from ..staffing.report import report_html

    assert job.target is not None
    advice = advise(sc, job.target, reps=job.reps, seed=job.seed)
    files = {"plan.yaml": plan_yaml(advice), "scenario.yaml": scenario_yaml(advice),
             "advice.json": advice_json(advice), "report.html": report_html(advice)}
    row = {"staff_hours": advice.document["staff_hours"], "meets_target": advice.meets_target,
           "gaps": len(advice.gaps)}
    return row, {k: v.encode("utf-8") for k, v in files.items()}


def _draft(week: Week, job: Job) -> tuple[dict[str, Any], dict[str, bytes]]:
    from ..roster.draft import draft_roster
    from ..roster.output import files as roster_files

    assert job.target is not None
    draft = draft_roster(week, job.target, reps=job.reps, seed=job.seed,
                         verify_days=job.verify_days)
    files = roster_files(draft)
    row = {"staff_hours": round(draft.paid_hours, 2), "meets_target": draft.meets_target,
           "gaps": len(draft.gaps)}
    return row, {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in files.items()}
