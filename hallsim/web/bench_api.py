"""The planner's workbench under ``/api``: a scenario's earlier versions (list, read, restore),
a run's results as files to forward (CSV, XLSX) and as the page's charts, and the staffing
advisor's draft for a target."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field

from ..errors import ScenarioError
from ..output.exports import intervals_csv, results_xlsx, summary_csv
from .api import JobId, PlanSource, Problems, Reps, Saved, Seed, _bad, _job, _scenario, strict
from .charts import from_intervals, names
from .checks import parse_scenario
from .jobs import QueueFull
from .storage import slug

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = APIRouter(prefix="/api")


class Version(BaseModel):
    id: str
    saved_at: str
    title: str
    bytes: int


class VersionList(BaseModel):
    name: str
    versions: list[Version]


def _store(request: Request):
    return request.app.state.store


def _version_text(request: Request, name: str, vid: str) -> str:
    store = _store(request)
    try:
        store.read_scenario(name)
        return store.versions.read(name, vid)
    except KeyError:
        raise HTTPException(404, "no such scenario or version") from None


@router.get("/scenarios/{name}/versions", response_model=VersionList,
            summary="A scenario's earlier versions, newest first (each save keeps the text it replaced)")
def list_versions(request: Request, name: str):
    store = _store(request)
    try:
        store.read_scenario(name)
    except KeyError:
        raise HTTPException(404, "no such scenario") from None
    return {"name": name, "versions": store.versions.describe(name)}


@router.get("/scenarios/{name}/versions/{vid}", summary="An earlier version's YAML text",
            response_class=PlainTextResponse, responses={200: {"content": {"text/yaml": {}}}})
def get_version(request: Request, name: str, vid: str):
    return PlainTextResponse(_version_text(request, name, vid), media_type="text/yaml; charset=utf-8")


@router.get("/scenarios/{name}/versions/{vid}/data", response_model=dict,
            summary="An earlier version as JSON (the editor's structure)")
def version_data(request: Request, name: str, vid: str) -> dict | JSONResponse:
    try:
        return strict(parse_scenario(_version_text(request, name, vid), f"{name}.yaml").to_dict())
    except ScenarioError as exc:
        return _bad(exc)


@router.post("/scenarios/{name}/versions/{vid}/restore", response_model=Saved,
             summary="Make an earlier version current (the current text is kept as a version)")
def restore_version(request: Request, name: str, vid: str):
    _version_text(request, name, vid)
    _store(request).restore(name, vid)
    return {"name": name}


async def _results(request: Request, job_id: str) -> tuple[dict, pd.DataFrame]:
    """A finished run's summary and interval table: kept with the job, or (a run from before
    the server's restart) read from its report folder. 409 for a comparison or a failed run."""
    job = _job(request, job_id)
    if job.kind != "run":
        raise HTTPException(409, "only a run's results can be exported")
    if job.status == "done" and job.summary is not None and isinstance(job.result, pd.DataFrame):
        return job.summary, job.result
    path = await request.app.state.jobs.report(job) if job.status != "failed" else None
    if path is None:
        raise HTTPException(409, f"the run is {job.status}; it has no results"
                            + (f" ({job.error})" if job.error else ""))
    summary = json.loads((path.parent / "summary.json").read_text(encoding="utf-8"))
    return summary, pd.read_csv(path.parent / "intervals.csv", dtype={"start": str, "end": str})


def _attachment(data: str | bytes, summary: dict, suffix: str, media: str) -> Response:
    name = f"{slug(str(summary.get('scenario', '')), 'hallsim')}-{suffix}"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


_CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}},
                                         409: {"description": "not a finished run"}}


@router.get("/runs/{job_id}/summary.csv", response_class=Response, responses=_CSV,
            summary="A run's summary as CSV: metric, mean, 95% half-width")
async def export_summary(request: Request, job_id: str):
    summary, _intervals = await _results(request, job_id)
    return _attachment(summary_csv(summary), summary, "summary.csv", "text/csv; charset=utf-8")


@router.get("/runs/{job_id}/intervals.csv", response_class=Response, responses=_CSV,
            summary="A run's interval table as CSV: means over the simulated days, by arrival time")
async def export_intervals(request: Request, job_id: str):
    summary, intervals = await _results(request, job_id)
    return _attachment(intervals_csv(intervals), summary, "intervals.csv",
                       "text/csv; charset=utf-8")


@router.get("/runs/{job_id}/results.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}}, 409: {"description": "not a finished run"}},
            summary="A run's summary and interval table as an Excel workbook (headings in the "
            "request's language)")
async def export_xlsx(request: Request, job_id: str):
    summary, intervals = await _results(request, job_id)
    return _attachment(results_xlsx(summary, intervals), summary, "results.xlsx", XLSX)


@router.get("/runs/{job_id}/charts", response_model=dict,
            responses={409: {"description": "not a finished run"}},
            summary="A run's charts: the interval table's means over the days, and each "
            "service's and counter group's mean wait per interval where there are several")
async def run_charts(request: Request, job_id: str) -> dict:
    job = _job(request, job_id)
    if job.kind == "run" and job.charts is not None:
        return names(job.charts)
    summary, intervals = await _results(request, job_id)
    return names(from_intervals(intervals, int(summary.get("replications", 0))))


class AdviseRequest(PlanSource):
    target: dict[str, float] = Field(..., description='the target held in every interval, e.g. '
                                     '{"wait_probability": 0.2} (contract 6)', max_length=6)
    reps: Reps = 10
    verify_days: int = Field(40, ge=2, le=400, description="fresh days the draft is verified on")
    seed: Seed = 1


@router.post("/advise", status_code=202, response_model=JobId,
             responses={422: {"model": Problems}, 429: {"description": "too many runs waiting"}},
             summary="Draft counter shifts for a target (the staffing advisor), in the background; "
             "the run's summary is advice.json plus the plan's 'shifts'")
def start_advice(request: Request, body: AdviseRequest):
    from ..staffing.advice import advise
    from ..staffing.requirement import MAX_ROUNDS
    from ..staffing.targets import parse_targets
    from ..staffing.verify import MAX_REPAIRS

    try:
        scenario = _scenario(request, body)
        targets = parse_targets(dict(body.target), scenario)
    except ScenarioError as exc:
        return _bad(exc)

    def work(job) -> dict:
        def step(n: int = 1) -> None:
            job.done += n

        advice = advise(scenario, targets, None, reps=body.reps, seed=body.seed, progress=step,
                        verify_days=body.verify_days, max_reps=8 * body.reps)
        return strict({**advice.document, "shifts": advice.plan.to_dict()["shifts"]})

    try:
        return {"id": request.app.state.jobs.call("advise", 2 + MAX_ROUNDS + MAX_REPAIRS, work).id}
    except QueueFull as exc:
        raise HTTPException(429, str(exc)) from None
