"""A ticket log uploaded to the web app, fitted as ``hallsim fit tickets`` fits it, as a job
in the runs' lane: the fit in a worker process, then the held-out check (the last days of
the log against simulated days of a fit to the others), then the files the page shows.

The upload is read and checked while the request waits, so that a bad file is answered at
once (422, naming its line and field as the command line does); the fit, the check and the
report run in the job. A finished fit keeps in its folder (``runs/<id>/``)::

    scenario.yaml          the fitted hall (with a survey: its detractor curve)
    report.html            fit-report.html with the held-out check
    fit-rejects.csv        the rows that could not be used, by line
    detractor-report.html  with a survey: the curve's reliability
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ScenarioError
from ..i18n import _, current, language
from ..output.outfiles import write_atomic
from ..scenario.scenario import Scenario
from .jobs import Cancelled, Job, Jobs
from .storage import require_name

if TYPE_CHECKING:
    from ..calibration.detractor_fit import Survey, SurveyFit
    from ..calibration.tickets import TicketLog

SCENARIO, REPORT, REJECTS, SURVEY_REPORT = ("scenario.yaml", "report.html", "fit-rejects.csv",
                                            "detractor-report.html")
CHECK_DAYS = 20            # simulated days the held-out days are compared with
CHECK_SEED = 1
SURVEY_BOOT = 50           # bootstrap resamples for the survey curve's intervals (the CLI: 200)


@dataclass(frozen=True)
class Upload:
    """A checked upload: the log read (and the survey, if any), with the fit's options."""

    log: TicketLog
    log_name: str
    name: str
    interval: int = 30
    days: str = "all"
    survey: Survey | None = None
    survey_name: str | None = None


def shown_name(filename: str | None, fallback: str) -> str:
    """An uploaded file's name as messages show it: its last part, no control characters,
    at most 80 characters (the browser's name is the user's text, never a path here)."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return base[:80] or fallback


def _messages(exc: ScenarioError, path: Path, name: str) -> ScenarioError:
    """The error with the temporary file's path replaced by the uploaded file's name."""
    return ScenarioError([m.replace(str(path), name) for m in exc.messages])


def read_upload(log: bytes, log_name: str, name: str, *, interval: int = 30, days: str = "all",
                columns: bytes | None = None, columns_name: str = "columns.yaml",
                ignore_unknown: bool = False,
                survey: bytes | None = None, survey_name: str | None = None) -> Upload:
    """Read and check the uploaded files as ``fit tickets`` (and ``fit detractor``) read
    theirs; a ``ScenarioError`` names the uploaded file, its line and field."""
    from ..calibration.detractor_fit import read_survey
    from ..calibration.pipeline import check_bad_share
    from ..calibration.tickets import read_column_map, read_log

    with tempfile.TemporaryDirectory(prefix="hallsim-upload-") as folder:
        log_path, map_path, survey_path = (Path(folder) / n for n in ("log.csv", "columns.yaml",
                                                                      "survey.csv"))
        log_path.write_bytes(log)
        try:
            mapping: dict[str, str] = {}
            outcomes: dict[str, str] = {}
            if columns:
                map_path.write_bytes(columns)
                mapping, outcomes = read_column_map(map_path)
            read = read_log(log_path, mapping, outcomes, ignore_unknown=ignore_unknown)
            check_bad_share(read, str(log_path))
        except ScenarioError as exc:
            raise _messages(_messages(exc, map_path, columns_name), log_path, log_name) from None
        answers = None
        if survey is not None:
            survey_name = survey_name or "survey.csv"
            survey_path.write_bytes(survey)
            try:
                answers = read_survey(survey_path)
            except ScenarioError as exc:
                raise _messages(exc, survey_path, survey_name) from None
    return Upload(read, log_name, name, interval, days, answers, survey_name)


@dataclass(frozen=True)
class Fitted:
    """What the worker sends back: the files' text and what the check needs."""

    scenario_yaml: str
    report_html: str
    rejects_csv: str
    survey_html: str | None
    summary: dict
    check_scenario: Scenario | None          # the fit to the days before the held-out ones
    check_hours: tuple[int, int]
    fitted_days: list[str]
    held_days: list[str]
    observed: pd.DataFrame | None
    check_problem: str | None


def _with_detractor(text: str, survey_fit: SurveyFit, survey_name: str) -> str:
    """The fitted scenario with the survey's detractor block in place of the default."""
    from ..calibration.detractor_fit import block_yaml
    from ..calibration.files import REPORT_NAME

    default = "# " + _("Detractor curve: the default (fit yours with hallsim fit detractor). "
                       "See {report}.").format(report=REPORT_NAME)
    fitted = "# " + _("Detractor curve: fitted from the survey {survey} (at the end).").format(
        survey=survey_name)
    return text.replace(default, fitted, 1) + block_yaml(survey_fit)


def fit_upload(upload: Upload, lang: str) -> Fitted:
    """The fit of every day (the scenario), the report, and the fit to the days before the
    held-out ones (in a worker process: scipy and the report's plots)."""
    from ..calibration.arrivals import select_days
    from ..calibration.files import REJECTS_NAME
    from ..calibration.holdout import observed_days, split_days
    from ..calibration.pipeline import fit_log
    from ..calibration.report import patience_sentence
    from ..calibration.scenario_writer import check_scenario
    from ..output.textsafe import csv_text

    with language(lang):
        log = upload.log
        result = fit_log(log, upload.name, upload.log_name, upload.interval, upload.days)
        text, survey_html, answers = result.yaml, None, None
        if upload.survey is not None:
            from ..calibration.detractor_fit import detractor_report, fit_survey

            survey_fit = fit_survey(upload.survey, "logistic", boot=SURVEY_BOOT)
            text = _with_detractor(text, survey_fit, str(upload.survey_name))
            survey_html = detractor_report(survey_fit, str(upload.survey_name))
            answers = len(survey_fit.survey.wait)
        scenario = check_scenario(text, f"<fit of {upload.log_name}>")
        fit = result.fit
        hours = fit.arrivals.hours
        summary = {
            "name": upload.name, "file": require_name(upload.name), "source": upload.log_name,
            "rows": log.rows,
            "tickets": int(fit.arrivals.counts.sum()), "rejected": log.bad_rows,
            "days": len(fit.arrivals.days),
            "hours": f"{hours.clock(hours.open)}-{hours.clock(hours.close)}",
            "windows": scenario.counters.windows, "services": [s.name for s in fit.services],
            "patience": patience_sentence(fit.patience),
            "survey": None if answers is None else {"source": upload.survey_name, "answers": answers}}
        selected = replace(log, tickets=select_days(log.tickets, upload.days))
        split = split_days(selected)
        check, check_hours, observed, problem = None, (hours.open, hours.close), None, None
        if split is not None:
            try:
                trained = fit_log(split.fitted, upload.name, upload.log_name, upload.interval,
                                  upload.days)
                check = trained.scenario
                h = trained.fit.arrivals.hours
                check_hours = (h.open, h.close)
                observed = observed_days(split.held, check_hours)
            except ScenarioError as exc:
                problem = "; ".join(exc.messages)
        return Fitted(text, result.report_html(REJECTS_NAME), csv_text(log.rejects),
                      survey_html, summary, check, check_hours,
                      split.fitted_days if split else [], split.held_days if split else [],
                      observed, problem)


def start_fit(jobs: Jobs, upload: Upload) -> Job:
    """Queue the fit (``QueueFull`` when the runs' queue is full)."""
    lang = current()

    def work(job: Job) -> dict:
        from ..calibration.holdout import compare_days, held_out_html, held_out_sentence, simulated_days

        fitted: Fitted = jobs.in_worker(fit_upload, upload, lang)
        if job.cancelled or jobs.stopping:        # the server is stopping: write nothing
            raise Cancelled
        job.done += 1
        check = None
        if fitted.check_scenario is not None and fitted.observed is not None:
            days = jobs.replicate(job, fitted.check_scenario, CHECK_DAYS, CHECK_SEED)
            simulated = simulated_days(days.customers, fitted.check_scenario.hours.open,
                                       fitted.check_hours)
            check = compare_days(fitted.fitted_days, fitted.held_days, fitted.observed, simulated)
        with language(lang):
            total = len(fitted.fitted_days) + len(fitted.held_days)
            section = held_out_html(check, total, fitted.check_problem)
            sentence = held_out_sentence(check, total, fitted.check_problem)
        report = fitted.report_html.replace("</body>", section + "</body>", 1)
        folder = job.folder
        write_atomic(folder / REJECTS, fitted.rejects_csv.encode("utf-8"))
        write_atomic(folder / REPORT, report.encode("utf-8"))
        if fitted.survey_html is not None:
            write_atomic(folder / SURVEY_REPORT, fitted.survey_html.encode("utf-8"))
        write_atomic(folder / SCENARIO, fitted.scenario_yaml.encode("utf-8"))
        job.report = folder / REPORT
        job.report_written.set()
        return {**fitted.summary, "held_out": None if check is None else check.document(),
                "held_out_sentence": sentence}

    return jobs.call("fit", CHECK_DAYS + 1, work)
