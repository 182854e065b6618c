"""The exercise rooms' JSON API under ``/api/rooms`` (contract sections 8 and 8a)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from ..errors import ScenarioError
from ..exercise import debrief_page
from ..i18n import _
from .api import Problems, Reps, Seed, Text, _bad, _Body, _missing, _source_text, _state, strict
from .rooms import Refused, Room
from .storage import require_name
from .storage import slug as slugged
from .views import board_for, card_for

router = APIRouter(prefix="/api")


class RoomRequest(_Body):
    challenge: str
    reps: Reps | None = None
    seed: Seed = 1
    hide_until_reveal: bool = Field(True, description=(
        "until the trainer reveals, teams see only their own scorecard (not the board)"))


class RoomCreated(BaseModel):
    room: str
    trainer_token: str


class PlanRequest(_Body):
    team: Annotated[str, Field(min_length=1, max_length=80)]
    key: Annotated[str | None, Field(max_length=100, description=(
        "the team key the team's first submission returned; needed for every later one"))] = None
    yaml: Text | None = None
    data: dict[str, Any] | None = None


class Submitted(BaseModel):
    team: str = Field(description="the team's name on the board (as first submitted)")
    slug: str = Field(description="the name's identity: names with the same slug are one team")
    key: str = Field(description="the team key: keep it, and send it with every later plan")
    submission: int = Field(description="this plan's number among the team's submissions")
    digest: str = Field(description="SHA-256 of this plan's text")
    status: str
    id: str


TrainerHeader = Annotated[str | None, Header(alias="X-Trainer-Token")]
TrainerQuery = Annotated[str | None, Query()]
TeamHeader = Annotated[str | None, Header(alias="X-Team-Key", max_length=100)]


def _room(request: Request, room_id: str) -> Room:
    try:
        return _state(request).rooms.get(room_id)
    except KeyError:
        raise _missing("room") from None


def _trainer(room: Room, header: str | None, query: str | None) -> None:
    if not room.is_trainer(header or query):
        raise HTTPException(403, "this needs the room's trainer token")


@router.post("/rooms", response_model=RoomCreated, status_code=201,
             responses={429: {"description": "--max-rooms rooms are kept"}},
             summary="Open an exercise room for a challenge")
def create_room(request: Request, body: RoomRequest):
    try:
        room, token = _state(request).rooms.create(body.challenge, body.reps, body.seed,
                                                   body.hide_until_reveal)
    except KeyError:
        raise _missing("challenge") from None
    except Refused as exc:
        raise HTTPException(429, str(exc)) from None
    return {"room": room.id, "trainer_token": token}


@router.get("/rooms/{room_id}", summary="A room's challenge, rules and state")
def room_info(request: Request, room_id: str) -> dict:
    return _room(request, room_id).info()


@router.get("/rooms/{room_id}/template", summary="The challenge's hall and its current plan")
def room_template(request: Request, room_id: str) -> dict:
    """The hall teams plan for (as the editor's structure) and its current plan as a start."""
    room = _room(request, room_id)
    hall = room.challenge.scenario.to_dict()
    return strict({"hall": hall, "plan": {"team": "", "shifts": hall.get("shifts", []),
                                          "flex": hall.get("flex", [])}})


@router.post("/rooms/{room_id}/plans", status_code=202, response_model=Submitted,
             responses={409: {"description": "closed, full, or the name is taken"},
                        422: {"model": Problems}},
             summary="Submit (or resubmit) a team's plan; it is scored in the background")
def submit_plan(request: Request, room_id: str, body: PlanRequest):
    room = _room(request, room_id)
    text = _source_text(body)
    if text is None:
        return _bad(ScenarioError("expected 'yaml' (the plan's text) or 'data'"))
    try:
        return _state(request).rooms.submit(room, body.team, text, body.key)
    except ScenarioError as exc:
        return _bad(exc)
    except Refused as exc:
        raise HTTPException(429 if exc.busy else 409, str(exc)) from None


@router.get("/rooms/{room_id}/plans/{team}", summary="A team's scorecard",
            responses={403: {"description": "hidden until reveal: the team key is needed"}})
def scorecard(request: Request, room_id: str, team: str, x_team_key: TeamHeader = None,
              x_trainer_token: TrainerHeader = None) -> dict:
    """A team's newest plan and its score. Until the trainer reveals a room that hides scores,
    only the team itself (``X-Team-Key``) or the trainer may read it, and without its rank."""
    room = _room(request, room_id)
    try:
        slug = require_name(team, "team")
    except ScenarioError:
        raise _missing("team in this room") from None
    trainer = room.is_trainer(x_trainer_token)
    if room.hidden and not trainer and not room.is_team(slug, x_team_key):
        raise HTTPException(403, _("until the trainer reveals, a team's scorecard is shown only "
                                   "to the team (its team key) and the trainer"))
    try:
        return strict(card_for(room.scorecard(slug), room.hidden and not trainer))
    except KeyError:
        raise _missing("team in this room") from None


@router.get("/rooms/{room_id}/leaderboard", summary="The room's ranked plans")
def leaderboard(request: Request, room_id: str, x_trainer_token: TrainerHeader = None) -> dict:
    """The ranked plans; until the trainer reveals a room that hides scores, only the trainer
    (``X-Trainer-Token``) sees them: everyone else sees which teams have submitted."""
    room = _room(request, room_id)
    return strict(board_for(room.leaderboard(), room.is_trainer(x_trainer_token)))




@router.post("/rooms/{room_id}/close", summary="Trainer: stop accepting plans")
def close_room(request: Request, room_id: str, x_trainer_token: TrainerHeader = None,
               trainer_token: TrainerQuery = None) -> dict:
    return _set(request, room_id, x_trainer_token, trainer_token, open=False)


@router.post("/rooms/{room_id}/open", summary="Trainer: accept plans again")
def open_room(request: Request, room_id: str, x_trainer_token: TrainerHeader = None,
              trainer_token: TrainerQuery = None) -> dict:
    return _set(request, room_id, x_trainer_token, trainer_token, open=True)


@router.post("/rooms/{room_id}/reveal", summary="Trainer: show the reference plan on the board")
def reveal(request: Request, room_id: str, x_trainer_token: TrainerHeader = None,
           trainer_token: TrainerQuery = None) -> dict:
    return _set(request, room_id, x_trainer_token, trainer_token, revealed=True)


@router.delete("/rooms/{room_id}", summary="Trainer: delete the room, its teams and plans")
def delete_room(request: Request, room_id: str, x_trainer_token: TrainerHeader = None,
                trainer_token: TrainerQuery = None) -> dict:
    room = _room(request, room_id)
    _trainer(room, x_trainer_token, trainer_token)
    _state(request).rooms.delete(room)
    _state(request).debriefs.forget(room)
    return {"deleted": room.id}


@router.get("/rooms/{room_id}/reference", summary="The reference plan, once revealed")
def reference(request: Request, room_id: str, x_trainer_token: TrainerHeader = None,
              trainer_token: TrainerQuery = None) -> dict:
    """The reference plan's YAML, its shifts and flex rules (the editor's structure) and the
    levers it pulls; before reveal only for the trainer."""
    room = _room(request, room_id)
    if not room.revealed:
        _trainer(room, x_trainer_token, trainer_token)
    return strict(room.reference_plan())


def _set(request: Request, room_id: str, header: str | None, query: str | None,
         **changes: bool) -> dict:
    room = _room(request, room_id)
    _trainer(room, header, query)
    _state(request).rooms.update(room, **changes)
    return room.info()


@router.get("/rooms/{room_id}/debrief", summary="The debrief (复盘) of every plan, once revealed",
            responses={202: {"description": "being built: ask again"}})
def debrief(request: Request, room_id: str, x_trainer_token: TrainerHeader = None):
    """Every plan against the reference and the winner, hour by hour, as HTML and data, in
    the request's language; before reveal only for the trainer."""
    return _debrief(request, room_id, None, x_trainer_token)


@router.get("/rooms/{room_id}/debrief/{team}", summary="One team's debrief, once revealed",
            responses={202: {"description": "being built: ask again"}})
def team_debrief(request: Request, room_id: str, team: str, x_trainer_token: TrainerHeader = None):
    return _debrief(request, room_id, team, x_trainer_token)


def _debrief(request: Request, room_id: str, team: str | None, trainer_token: str | None):
    room = _room(request, room_id)
    if not room.revealed:
        _trainer(room, trainer_token, None)
    status, built, error = _state(request).debriefs.get(room)
    if built is None:
        return JSONResponse({"status": status, "error": error},
                            status_code=202 if status in ("queued", "running") else 200)
    if team is None:
        return strict({"status": status, "html": debrief_page.fragment(built),
                       "debrief": debrief_page.document(built)})
    try:
        slug = require_name(team, "team")
    except ScenarioError:
        raise _missing("scored team in this room") from None
    named = next((t for t in built.teams if slugged(t.team) == slug), None)
    if named is None:
        raise _missing("scored team in this room")
    document = debrief_page.document(built)
    return strict({"status": status, "team": named.team,
                   "html": debrief_page.team_fragment(built, named.team),
                   "debrief": next(t for t in document["teams"] if t["team"] == named.team)})


@router.get("/rooms/{room_id}/events", include_in_schema=False)
async def events(request: Request, room_id: str, limit: float = 600.0):
    """Server-sent events: the leaderboard each time it changes (EventSource reconnects), as
    anyone may see it (the trainer's page fetches the whole board with its token)."""
    room = _room(request, room_id)

    async def stream():
        seen, waited = -1, 0.0
        while waited < limit and not await request.is_disconnected():
            if room.version != seen:
                board = board_for(await asyncio.to_thread(room.leaderboard), trainer=False)
                seen = board["version"]
                yield f"event: leaderboard\ndata: {json.dumps(strict(board), allow_nan=False)}\n\n"
            await asyncio.sleep(0.25)
            waited += 0.25

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
