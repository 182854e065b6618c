"""Live numbers under ``/api``: a quick estimate of the plan on screen, answered at once (the
scenario page shows it within a moment of a shift's drop, before the full run replaces it),
and the cancelling of a run that a newer edit has made pointless."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from ..errors import ScenarioError
from ..i18n import _
from ..scenario.scenario import Scenario
from .api import PlanSource, Problems, Seed, _bad, _job, _scenario, strict
from .quick import Busy

router = APIRouter(prefix="/api")

QUICK_TIMEOUT = 10.0      # seconds: past this a hall is too large for a quick estimate


class EstimateRequest(PlanSource):
    reps: int = Field(3, ge=1, le=10, description="simulated days: replications 0 to reps-1 "
                      "of the seed, the first days of the full run with the same seed")
    seed: Seed = 1


class Estimate(BaseModel):
    quick: bool = Field(True, description="always true: a few days, not the full run")
    reps: int
    summary: dict


@router.post("/estimate", response_model=Estimate,
             responses={422: {"model": Problems}, 429: {"description": "too many estimates waiting"},
                        503: {"description": "too large to estimate quickly"}},
             summary="A quick estimate of a plan: its summary over a few simulated days, at once")
def estimate(request: Request, body: EstimateRequest):
    try:
        scenario = _plan(request, body)
    except ScenarioError as exc:
        return _bad(exc)
    try:
        summary = request.app.state.quick.estimate(scenario, body.reps, body.seed, QUICK_TIMEOUT)
    except TimeoutError:
        raise HTTPException(503, _("This hall takes too long for a quick estimate; use Run.")) from None
    except Busy:
        raise HTTPException(429, _("Too many quick estimates are waiting; the next drop will "
                                   "bring one.")) from None
    return {"quick": True, "reps": body.reps, "summary": strict(summary)}


def _plan(request: Request, body: EstimateRequest) -> Scenario:
    """The plan to estimate. The editor's structure is validated as it is: the scenario its
    YAML text would give (a run reads it so), without the round trip through YAML that takes
    most of a parse's time."""
    if body.data is None or body.yaml is not None:
        return _scenario(request, body)
    scenario = Scenario.from_data(body.data, "scenario.yaml")
    return scenario.with_changes(body.set) if body.set else scenario


@router.delete("/runs/{job_id}", status_code=204, response_class=Response,
               summary="Cancel a run or comparison that has not finished (it ends 'cancelled')")
def cancel_run(request: Request, job_id: str) -> Response:
    job = _job(request, job_id)
    if job.finished is None:
        request.app.state.jobs.cancel(job)
    return Response(status_code=204)
