"""The JSON API under ``/api`` (contract section 8), described by the app's OpenAPI document:
scenarios, validation, runs and comparisons (exercise rooms: ``room_api``)."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..errors import ScenarioError
from ..scenario.rewrite import rewrite
from ..scenario.scenario import Scenario
from .checks import as_yaml, check_text, located, parse_scenario
from .jobs import QueueFull
from .storage import require_name
from .verdicts import page_verdict

MAX_TEXT = 1_000_000
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Reps = Annotated[int, Field(ge=1, le=200)]
Seed = Annotated[int, Field(ge=0, le=2**32 - 1)]

router = APIRouter(prefix="/api")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(BaseModel):
    line: int | None = None
    field: str | None = None
    message: str


class Problems(BaseModel):
    errors: list[Problem]


class ValidateRequest(_Body):
    yaml: Text | None = None
    data: dict[str, Any] | None = Field(None, description="the same, as the editor's structure")
    challenge: str | None = Field(None, description="check a plan against this challenge's rules")


class ValidateResponse(BaseModel):
    ok: bool
    warnings: list[str]
    staff_hours: float | None = Field(None, description="a plan's scheduled staff hours")
    lever_hours: float | None = Field(None, description=(
        "what a plan's levers cost, in hours held against the same budget"))
    warnings_at: list[str | None] = Field(default_factory=list, description=(
        "the field each warning is about, as errors name fields (null: the plan as a whole)"))


class PlanSource(_Body):
    """Which plan to simulate: a stored scenario's name, YAML text, or the editor's structure."""

    scenario: str | None = None
    version: str | None = Field(None, description="an earlier version of 'scenario' (its id)")
    label: str | None = Field(None, max_length=80, description="the plan's name in a comparison")
    yaml: Text | None = None
    data: dict[str, Any] | None = None
    set: dict[str, Any] = Field(default_factory=dict, description="dotted overrides")


class RunRequest(PlanSource):
    reps: Reps = 10
    seed: Seed = 1


class CompareRequest(_Body):
    a: PlanSource
    b: PlanSource
    reps: Reps = 10
    seed: Seed = 1


class JobId(BaseModel):
    id: str


class JobStatus(BaseModel):
    id: str
    kind: str
    status: str
    progress: float
    summary: dict | None
    error: str | None


class Saved(BaseModel):
    name: str


def strict(value: Any) -> Any:
    """Strict JSON: NaN and infinities (an empty interval's mean wait) become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):   # numpy scalars
        return strict(value.item())
    return value


def _bad(exc: ScenarioError) -> JSONResponse:
    return JSONResponse({"errors": located(exc)}, status_code=422)


def _missing(what: str) -> HTTPException:
    return HTTPException(404, f"no such {what}")


def _state(request: Request):
    return request.app.state


def _source_text(source: Any) -> str | None:
    if source.yaml is not None:
        return source.yaml
    if source.data is not None:
        return as_yaml(source.data)
    return None


def _scenario(request: Request, source: PlanSource) -> Scenario:
    text = _source_text(source)
    if text is None:
        if source.scenario is None:
            raise ScenarioError("expected one of 'scenario' (a stored name), 'yaml' or 'data'")
        store = _state(request).store
        try:
            text = store.read_scenario(source.scenario)
            if source.version is not None:
                text = store.versions.read(source.scenario, source.version)
        except KeyError:
            raise _missing("scenario or version") from None
        scenario = parse_scenario(text, f"{source.scenario}.yaml")
    else:
        scenario = parse_scenario(text)
    return scenario.with_changes(source.set) if source.set else scenario


@router.get("/scenarios", summary="List stored scenarios and challenges")
def list_scenarios(request: Request) -> dict:
    store = _state(request).store
    return {"scenarios": [store.describe(n) for n in store.scenario_names()],
            "challenges": store.challenge_names()}


@router.get("/scenarios/{name}", summary="A stored scenario's YAML text",
            response_class=HTMLResponse, responses={200: {"content": {"text/yaml": {}}}})
def get_scenario(request: Request, name: str):
    try:
        text = _state(request).store.read_scenario(name)
    except KeyError:
        raise _missing("scenario") from None
    from fastapi.responses import PlainTextResponse

    return PlainTextResponse(text, media_type="text/yaml; charset=utf-8")


@router.get("/scenarios/{name}/data", summary="A stored scenario as JSON (for the editor)",
            response_model=dict)
def scenario_data(request: Request, name: str) -> dict | JSONResponse:
    try:
        text = _state(request).store.read_scenario(name)
    except KeyError:
        raise _missing("scenario") from None
    try:
        return strict(parse_scenario(text, f"{name}.yaml").to_dict())
    except ScenarioError as exc:
        return _bad(exc)


_PUT_BODY = {"requestBody": {"required": True, "content": {
    "text/yaml": {"schema": {"type": "string", "maxLength": MAX_TEXT}},
    "application/json": {"schema": {"type": "object", "properties": {
        "yaml": {"type": "string", "maxLength": MAX_TEXT}, "data": {"type": "object"},
        "base": {"type": "string", "description": "the stored scenario whose file 'data' edits: "
                 "its comments, key order and layout are kept (default: this name)"},
        "create": {"type": "boolean", "description": "refuse (409) if the name is taken"}},
        "additionalProperties": False}}}}}


@router.put("/scenarios/{name}", summary="Save a scenario (validated first; the write is atomic; "
            "the text replaced is kept as a version)",
            openapi_extra=_PUT_BODY, response_model=Saved,
            responses={409: {"description": "'create' was set and the name is taken"},
                       422: {"model": Problems}})
async def put_scenario(request: Request, name: str):
    raw = await request.body()
    store = _state(request).store
    create = False
    try:
        key = require_name(name, "name")
        if request.headers.get("content-type", "").startswith("application/json"):
            body = json.loads(raw)
            if not isinstance(body, dict) or set(body) - {"yaml", "data", "base", "create"}:
                raise ScenarioError("expected {\"yaml\": text} or {\"data\": {...}}")
            create = body.get("create") is True
            if isinstance(body.get("yaml"), str):
                text = body["yaml"]
            elif isinstance(body.get("data"), dict):
                text = _edited_text(store, str(body.get("base") or key), body["data"])
            else:
                raise ScenarioError("expected {\"yaml\": text} or {\"data\": {...}}")
        else:
            text = raw.decode("utf-8")
        parse_scenario(text, f"{key}.yaml")
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, ScenarioError):
            return _bad(exc)
        return _bad(ScenarioError(f"the body is not UTF-8 text or JSON ({exc})"))
    if create and store.scenario_path(key).is_file():
        raise HTTPException(409, f"a scenario named {key!r} exists")
    store.write_scenario(key, text)
    return {"name": key}


def _edited_text(store, base: str, data: dict) -> str:
    """The editor's structure as the text of the stored file it edits: comments, key order
    and layout kept, only what changed rewritten (``scenario.rewrite``)."""
    try:
        original = store.read_scenario(base)
    except KeyError:
        return as_yaml(data)
    return rewrite(original, data)


@router.post("/validate", response_model=ValidateResponse, response_model_exclude_none=True,
             responses={422: {"model": Problems}},
             summary="Check a scenario's YAML (or a plan's, against a challenge)")
def validate(request: Request, body: ValidateRequest):
    challenge = None
    if body.challenge is not None:
        try:
            challenge = _state(request).store.challenge(body.challenge)
        except KeyError:
            raise _missing("challenge") from None
    text = _source_text(body)
    if text is None:
        return _bad(ScenarioError("expected 'yaml' (text) or 'data'"))
    warnings, errors, hours = check_text(text, challenge)
    if errors:
        return JSONResponse({"errors": errors}, status_code=422)
    return {"ok": True, "warnings": [w["message"] for w in warnings],
            "warnings_at": [w["field"] for w in warnings], **(hours or {})}


@router.post("/runs", status_code=202, response_model=JobId,
             responses={422: {"model": Problems}, 429: {"description": "too many runs waiting"}},
             summary="Start a run: replications in the background")
def start_run(request: Request, body: RunRequest):
    try:
        scenario = _scenario(request, body)
        return {"id": _state(request).jobs.run(scenario, body.reps, body.seed).id}
    except ScenarioError as exc:
        return _bad(exc)
    except QueueFull as exc:
        raise HTTPException(429, str(exc)) from None


@router.post("/compare", status_code=202, response_model=JobId,
             responses={422: {"model": Problems}, 429: {"description": "too many runs waiting"}},
             summary="Compare two plans on common random numbers, in the background")
def start_compare(request: Request, body: CompareRequest):
    try:
        a, b = _scenario(request, body.a), _scenario(request, body.b)
        labels = (body.a.label, body.b.label) if body.a.label and body.b.label else None
        return {"id": _state(request).jobs.compare(a, b, body.reps, body.seed, labels).id}
    except ScenarioError as exc:
        return _bad(exc)
    except QueueFull as exc:
        raise HTTPException(429, str(exc)) from None


def _job(request: Request, job_id: str):
    try:
        return _state(request).jobs.get(job_id)
    except KeyError:
        raise _missing("run (it may have expired)") from None


@router.get("/runs/{job_id}", response_model=JobStatus, summary="A run's status and summary")
def run_status(request: Request, job_id: str):
    """A comparison's summary adds ``verdict_text``: the verdict in the request's language,
    agreeing with the rows (``verdicts.page_verdict``); an advice's adds its ``headline``:
    every line the command line prints (headline, groups, the gaps that say which rule stops
    the target, notes), so the page never hides why a target is missed."""
    doc = _job(request, job_id).document()
    if doc["kind"] == "compare" and doc.get("summary"):
        doc["summary"] = {**doc["summary"], "verdict_text": page_verdict(doc["summary"])}
    if doc["kind"] == "advise" and doc.get("summary"):
        from ..staffing.statements import all_lines

        doc["summary"] = {**doc["summary"], "headline": all_lines(doc["summary"])}
    return doc


@router.get("/runs/{job_id}/report", response_class=HTMLResponse, summary="A run's HTML report")
async def run_report(request: Request, job_id: str):
    """Waits while the report is being written; 409 if the run failed or has no report."""
    job = _job(request, job_id)
    path = await _state(request).jobs.report(job) if job.status != "failed" else None
    if path is None:
        raise HTTPException(409, f"the run is {job.status}; it has no report"
                            + (f" ({job.error})" if job.error else ""))
    return HTMLResponse(path.read_text(encoding="utf-8"))


@router.get("/runs/{job_id}/replay", summary="Replication 0 of a run, customer by customer")
def run_replay(request: Request, job_id: str) -> dict:
    job = _job(request, job_id)
    if job.replay is None:
        raise HTTPException(409, f"the run is {job.status}; the replay is ready when it is done")
    return job.replay
