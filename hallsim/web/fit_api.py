"""Learning a hall from its ticket log in the browser, under ``/api/fits``: upload the log
(and, if any, a survey and a columns map), follow the fit as a job, read its report with the
held-out check, and open the fitted hall as a new scenario (``fitting`` does the work)."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..errors import ScenarioError
from ..i18n import _
from .api import JobId, JobStatus, Problems, Saved, _job
from .fitting import REJECTS, REPORT, SCENARIO, SURVEY_REPORT, read_upload, shown_name, start_fit
from .jobs import QueueFull
from .storage import require_name

router = APIRouter(prefix="/api")
MAX_UPLOAD = 32_000_000        # bytes in one upload request (the other requests: app.MAX_BODY)

# "log.csv: line 12: issued_at: ..." and "log.csv：第 12 行：issued_at：..." (the zh catalog)
_SEP = r"(?::\s|：)"
_LINE = re.compile(r"(?:line (?P<line>\d+)|第 (?P<zh>\d+) 行)" + _SEP
                   + r"(?:(?P<field>[A-Za-z_][\w.\[\]-]*|\(row\)|（整行）)" + _SEP + r")?(?P<rest>.*)",
                   re.S)
_open_lock = threading.Lock()


def upload_problems(exc: ScenarioError) -> list[dict]:
    """Each message of a bad upload as ``{"line", "field", "message"}``, the message whole as
    the command line prints it (it names the file); line and field where it gives them."""
    out = []
    for text in exc.messages:
        found = _LINE.search(text)
        line = field = None
        if found is not None:
            line = int(found["line"] or found["zh"])
            field = found["field"]
        out.append({"line": line, "field": field, "message": text.strip()})
    return out


class OpenRequest(BaseModel):
    name: str | None = Field(None, max_length=200, description=(
        "the new scenario's file name (slugged); default: the fitted hall's name. A name "
        "taken gets -2, -3, ... : an existing scenario is never replaced"))


async def _read(upload: UploadFile | None) -> bytes | None:
    """An optional file's bytes (None when not sent, or sent empty: a form with no file chosen)."""
    return (await upload.read() or None) if upload is not None else None


@router.post("/fits", status_code=202, response_model=JobId,
             responses={413: {"description": f"the upload is over {MAX_UPLOAD} bytes"},
                        422: {"model": Problems}, 429: {"description": "too many runs waiting"}},
             summary="Fit a hall to an uploaded ticket log (and survey), in the background")
async def start_fit_upload(
        request: Request,
        log: Annotated[UploadFile, File(description="the ticket log (CSV), as hallsim fit tickets reads")],
        survey: Annotated[UploadFile | None, File(description="NPS survey: wait_min, score")] = None,
        columns: Annotated[UploadFile | None, File(description="a --columns map (YAML)")] = None,
        name: Annotated[str | None, Form(max_length=200)] = None,
        interval: Annotated[int, Form(ge=5, le=240)] = 30,
        days: Annotated[Literal["all", "weekday", "weekend"], Form()] = "all",
        ignore_unknown: Annotated[bool, Form()] = False):
    log_name = shown_name(log.filename, "log.csv")
    title = " ".join((name or "").split())[:80] or Path(log_name).stem or "fitted"
    try:
        require_name(title, "name")
    except ScenarioError as exc:             # a name with nothing usable in it
        return JSONResponse({"errors": [{"line": None, "field": "name", "message": str(exc)}]},
                            status_code=422)
    try:
        data = await log.read()
        survey_data, columns_data = await _read(survey), await _read(columns)
        upload = await run_in_threadpool(      # reading a large log takes a second or two
            read_upload, data, log_name, title, interval=interval, days=days, columns=columns_data,
            columns_name=shown_name(columns.filename if columns else None, "columns.yaml"),
            ignore_unknown=ignore_unknown, survey=survey_data,
            survey_name=shown_name(survey.filename if survey else None, "survey.csv"))
    except ScenarioError as exc:
        return JSONResponse({"errors": upload_problems(exc)}, status_code=422)
    try:
        return {"id": start_fit(request.app.state.jobs, upload).id}
    except QueueFull as exc:
        raise HTTPException(429, str(exc)) from None


def _fit(request: Request, job_id: str):
    job = _job(request, job_id)
    if job.kind != "fit":
        raise HTTPException(404, "no such fit")
    return job


def _done(request: Request, job_id: str, file: str) -> Path:
    job = _fit(request, job_id)
    path = job.folder / file
    if job.status != "done" or not path.is_file():
        raise HTTPException(409, f"the fit is {job.status}; it has no such file"
                            + (f" ({job.error})" if job.error else ""))
    return path


@router.get("/fits/{job_id}", response_model=JobStatus,
            summary="A fit's status and summary (with the held-out check)")
def fit_status(request: Request, job_id: str):
    return _fit(request, job_id).document()


@router.get("/fits/{job_id}/report", response_class=HTMLResponse,
            summary="The fit report (the page's language) with the held-out check")
def fit_report(request: Request, job_id: str):
    return HTMLResponse(_done(request, job_id, REPORT).read_text(encoding="utf-8"))


@router.get("/fits/{job_id}/detractor-report", response_class=HTMLResponse,
            summary="With a survey: the detractor curve's report")
def fit_survey_report(request: Request, job_id: str):
    return HTMLResponse(_done(request, job_id, SURVEY_REPORT).read_text(encoding="utf-8"))


@router.get("/fits/{job_id}/scenario", response_class=PlainTextResponse,
            responses={200: {"content": {"text/yaml": {}}}}, summary="The fitted scenario's YAML")
def fit_scenario(request: Request, job_id: str):
    return PlainTextResponse(_done(request, job_id, SCENARIO).read_text(encoding="utf-8"),
                             media_type="text/yaml; charset=utf-8")


@router.get("/fits/{job_id}/rejects.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}},
            summary="The rows of the log that could not be used, with their line numbers")
def fit_rejects(request: Request, job_id: str):
    data = _done(request, job_id, REJECTS).read_bytes()
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="fit-rejects.csv"'})


@router.post("/fits/{job_id}/open", status_code=201, response_model=Saved,
             responses={409: {"description": "the fit has not finished"}, 422: {"model": Problems}},
             summary="Keep the fitted hall as a new scenario (never over an existing one)")
def open_fit(request: Request, job_id: str, body: OpenRequest | None = None):
    path = _done(request, job_id, SCENARIO)
    job = _fit(request, job_id)
    try:
        base = require_name(body.name if body and body.name else
                            str((job.summary or {}).get("file") or "fitted"), "name")
    except ScenarioError as exc:
        return JSONResponse({"errors": upload_problems(exc)}, status_code=422)
    store = request.app.state.store
    with _open_lock:
        key = base
        for n in range(2, 1000):
            if not store.scenario_path(key).exists():
                break
            suffix = f"-{n}"
            key = base[:64 - len(suffix)] + suffix
        else:
            raise HTTPException(409, _("every name from {name}-2 to {name}-999 is taken").format(
                name=base))
        store.write_scenario(key, path.read_text(encoding="utf-8"))
    return {"name": key}
