"""Server-rendered pages (English or Chinese: ``?lang=zh``, remembered in a cookie); the
pages' scripts call the JSON API. Only the app's own static files are used: no CDN."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .. import i18n
from ..i18n import N_, _, translate

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals["_"] = _

# Text only the templates show (here so that extraction keeps it in the catalogs).
TEMPLATE_TEXT = (N_("Budget: {hours:g} staff hours"), N_(": "))

# Text the pages' scripts show, translated when the page is rendered.
SCRIPT_TEXT: tuple[str, ...] = (
    N_("Add shift"), N_("Delete"), N_("count"), N_("start"), N_("end"), N_("breaks"), N_("add break"),
    N_("role"), N_("name"), N_("counter"), N_("triage"), N_("preprocess"), N_("Valid"), N_("Problems"),
    N_("Checking…"), N_("Queued…"), N_("Running…"), N_("Done"), N_("Failed"), N_("mean wait"),
    N_("p90 wait"), N_("service level"), N_("abandon rate"), N_("detractor rate"), N_("staff hours"),
    N_("overtime"), N_("customers"), N_("was"), N_("Submitted: scoring…"), N_("rank"), N_("score"),
    N_("within the rules"), N_("breaks the rules"), N_("team"), N_("Saved"), N_("Replay this day"),
    N_("arrivals per hour"), N_("counter staff on duty"), N_("Open the report"), N_("worst interval"),
    N_("reference plan"), N_("waiting"), N_("pending"), N_("Enter a team name first"),
    N_("Room opened"), N_("Paused"), N_("Playing"), N_("in the hall"), N_("served"), N_("abandoned"),
    N_("greeter"), N_("kiosks"), N_("floor staff"), N_("counter windows"), N_("door"),
    N_("vs reference"), N_("metric"), N_("better"), N_("Submissions are closed"),
    N_("Submissions are open"), N_("live"), N_("reconnecting"),
    N_("Close submissions"), N_("Open submissions"), N_("Levers"), N_("hall"), N_("places"),
    N_("divert online"), N_("divert to kiosks"), N_("pre-processing"), N_("streamlining"),
    N_("breaks {n} rules"), N_("over budget"), N_("Scores are shown when the trainer reveals them."),
    N_("submissions"), N_("status"), N_("queued"), N_("running"), N_("done"), N_("failed"),
    N_("superseded"), N_("Lower score is better."), N_("budget used"), N_("notes"), N_("revealed"),
    N_("Revealed"), N_("Name of shift {name}"), N_("Staff on shift {name}"),
    N_("Delete shift {name}"), N_("Start of shift {name}"), N_("End of shift {name}"),
    N_("Shift {name}"), N_("Role of shift {name}"), N_("Break {n} of shift {name}: starts at"),
    N_("Break {n} of shift {name}: minutes"), N_("Delete break {n} of shift {name}"),
    N_("{staff} + {levers} levers = {total}"),
)
# The planner's workbench (workbench.js).
SCRIPT_TEXT += (
    N_("Save as: a name for the new scenario"), N_("Restore"), N_("No earlier versions yet."),
    N_("A scenario of that name exists. Replace it? (Its current version is kept.)"),
    N_("Restore this version? Your unsaved changes will be lost."),
    N_("Restore this version? The current version is kept in the list."),
    N_("saved"), N_("the saved file"), N_("version of"), N_("my edit"),
    N_("shift"), N_("at work"), N_("open"), N_("break"), N_("minutes"),
    N_("required and scheduled counter staff per interval"), N_("required"), N_("scheduled"),
    N_("on screen"), N_("met"), N_("close"), N_("missed"), N_("required (ISA)"),
    N_("scheduled in the draft"), N_("the plan on screen"),
    N_("Loaded into the editor: run or compare it, and Save to keep it"),
)
# Live numbers (live.js).
SCRIPT_TEXT += (
    N_("Quick estimate…"), N_(": "),
    N_("Quick estimate from {days} of {reps} simulated days: the full run follows and replaces it."),
)
# The interactive charts (charts.js, loadchart.js, runcharts.js).
SCRIPT_TEXT += (
    N_("time"), N_("min"), N_("people"), N_("interval"), N_("The numbers"), N_("Series shown"), N_(": "),
    N_("Left and right arrow keys read the values interval by interval."),
    N_("Arrivals and counter staff through the day"), N_("counter staff on the plan"),
    N_("counter staff"), N_("Draft a plan for a target to see the counter staff it requires."),
    N_("wait: {service}"), N_("wait at {group} windows"),
    N_("Waits through the day, by arrival time (mean of {days} days)"),
    N_("Counter staff, busy windows and the counter queue (mean of {days} days)"),
    N_("counter staff at work"), N_("busy windows"), N_("counter queue"),
)


# Each language named in itself, for the switch in the page header.
LANGUAGE_NAMES = {"en": "English", "zh": "简体中文", "zh-Hant": "繁體中文"}


def _lang(request: Request) -> str:
    return i18n.normalise(request.query_params.get("lang") or request.cookies.get("hallsim-lang"))


def _render(request: Request, template: str, **context) -> HTMLResponse:
    lang = _lang(request)
    keep = {k: request.query_params[k] for k in ("token", "lang") if k in request.query_params}
    with i18n.language(lang):
        context.update(
            request=request, lang=lang, qs=("?" + urlencode(keep)) if keep else "",
            amp=("&" + urlencode(keep)) if keep else "",
            html_lang=i18n.html_lang(lang),
            switches=[(i18n.html_lang(other), LANGUAGE_NAMES.get(other, other),
                       request.url.include_query_params(lang=other))
                      for other in i18n.LANGUAGES if other != lang],
            script_text={m: translate(m) for m in SCRIPT_TEXT})
        response = templates.TemplateResponse(request, template, context)
    if "lang" in request.query_params:
        response.set_cookie("hallsim-lang", lang, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
def index(request: Request):
    store = request.app.state.store
    return _render(request, "index.html",
                   scenarios=[store.describe(n) for n in store.scenario_names()],
                   challenges=store.challenge_names())


@router.get("/scenarios/{name}", response_class=HTMLResponse)
def scenario_page(request: Request, name: str):
    try:
        request.app.state.store.read_scenario(name)
    except KeyError:
        raise HTTPException(404, "no such scenario") from None
    return _render(request, "editor.html", mode="scenario", name=name, room=None)


@router.get("/scenarios/{name}/print", response_class=HTMLResponse)
def plan_page(request: Request, name: str):
    """The shift plan as a printable grid (the editor's plan in the link's #fragment)."""
    try:
        request.app.state.store.read_scenario(name)
    except KeyError:
        raise HTTPException(404, "no such scenario") from None
    return _render(request, "plan.html", name=name)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request):
    store = request.app.state.store
    return _render(request, "compare.html", scenarios=store.scenario_names())


@router.get("/rooms/{room_id}", response_class=HTMLResponse)
def team_page(request: Request, room_id: str):
    room = _room(request, room_id)
    return _render(request, "editor.html", mode="room", name=room.challenge_name, room=room.info())


@router.get("/rooms/{room_id}/trainer", response_class=HTMLResponse)
def trainer_page(request: Request, room_id: str):
    room = _room(request, room_id)
    return _render(request, "trainer.html", room=room.info())


@router.get("/rooms/{room_id}/board", response_class=HTMLResponse)
def board_page(request: Request, room_id: str):
    """The board for the projector: what the room may see, never the trainer token."""
    room = _room(request, room_id)
    return _render(request, "board.html", room=room.info())


@router.get("/fit", response_class=HTMLResponse)
def fit_page(request: Request):
    """Upload a ticket log, read the fit and its held-out check, open the fitted hall."""
    return _render(request, "fit.html")


@router.get("/runs/{job_id}/replay", response_class=HTMLResponse)
def replay_page(request: Request, job_id: str):
    return _render(request, "replay.html", job=job_id)


def _room(request: Request, room_id: str):
    try:
        return request.app.state.rooms.get(room_id)
    except KeyError:
        raise HTTPException(404, "no such room") from None
