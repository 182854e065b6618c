"""The web app: the JSON API, the pages and their static files, with the safety limits of
``hallsim serve`` (an access token when not on loopback, bounded request bodies)."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from .. import i18n
from .database import Database
from .hosts import Hosts
from .jobs import Jobs
from .quick import Quick
from .room_debrief import Debriefs
from .rooms import Rooms
from .storage import Store

STATIC = Path(__file__).parent / "static"
MAX_BODY = 1_000_000
MAX_DEPTH = 32      # JSON nesting: the editor's deepest structure is 5 levels


class Guard:
    """ASGI middleware in front of everything: the ``Host`` check (DNS rebinding), the access
    token (if one is set; static files excepted) as ``Authorization: Bearer T`` or
    ``?token=T``, and the body: read whole before the app sees it, at most ``max_body``
    bytes (``uploads``: a file upload's path and its own limit) (413, chunked or not), and
    a JSON body nested at most ``MAX_DEPTH`` deep (422)."""

    def __init__(self, app, token: str | None, hosts: Hosts | None = None, max_body: int = MAX_BODY,
                 uploads: dict[str, int] | None = None):
        if token is not None and not token.strip():
            raise ValueError("'token' must not be empty (None means no token)")
        self.app, self.token, self.hosts, self.max_body = app, token, hosts, max_body
        self.uploads = uploads or {}      # path -> its own body limit (file uploads)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        if self.hosts is not None and not self.hosts.allows(headers.get(b"host", b"")):
            return await _reply(send, 400, "this server does not answer to the host name in the "
                                "request (Host header); open it by the address `hallsim serve` printed")
        if self.token and not scope["path"].startswith("/static/") and not self._allowed(scope):
            return await _reply(send, 401, "a valid token is needed: Authorization: Bearer TOKEN "
                                "or ?token=TOKEN")
        limit = self.uploads.get(scope["path"], self.max_body)
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await _reply(send, 413, f"request bodies are limited to {limit} bytes")
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return      # the client went away before its body was complete
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > limit:
                return await _reply(send, 413, f"request bodies are limited to {limit} bytes")
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and _is_json(headers.get(b"content-type")) and json_depth(body) > MAX_DEPTH:
            return await _reply(send, 422, None, errors=[{
                "line": None, "field": None,
                "message": f"the JSON body is nested deeper than {MAX_DEPTH} levels"}])
        replayed = False

        async def buffered():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()      # after the body: wait for the disconnect

        with i18n.language(_language(scope)):
            await self.app(scope, buffered, send)

    def _allowed(self, scope) -> bool:
        given = ""
        for name, value in scope.get("headers") or []:
            if name == b"authorization" and value.lower().startswith(b"bearer "):
                given = value[7:].decode("latin-1").strip()
        if not given:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = (query.get("token") or [""])[0]
        if not given or not self.token:
            return False
        return secrets.compare_digest(given.encode(), self.token.encode())


def _is_json(content_type: bytes | None) -> bool:
    """FastAPI reads a body as JSON when it says so (``application/json``, ``+json``) or says
    nothing at all."""
    if not content_type:
        return True
    kind = content_type.split(b";")[0].strip().lower()
    return kind == b"application/json" or kind.endswith(b"+json")


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply a JSON text nests arrays and objects, without parsing it (the parser
    would exhaust Python's recursion first): brackets outside strings, counted."""
    brackets = np.frombuffer(_NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", body)), dtype=np.uint8)
    if not len(brackets):
        return 0
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def _language(scope) -> str | None:
    """The request's language: ``?lang=``, else the pages' cookie, else the server's own."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("lang"):
        return i18n.normalise(query["lang"][0])
    for name, value in scope.get("headers") or []:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _sep, val = part.strip().partition("=")
                if key == "hallsim-lang":
                    return i18n.normalise(val)
    return i18n.current()


async def _reply(send, status: int, message: str | None, errors: list | None = None) -> None:
    body = json.dumps({"detail": message} if errors is None else {"errors": errors}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(data: str | Path = "hallsim-data", token: str | None = None, *,
               host: str = "127.0.0.1", allow_hosts: Iterable[str] = (), max_runs: int = 2,
               workers: int = 2, max_queue: int = 20, max_rooms: int = 50, max_teams: int = 60,
               room_days: float = 14.0, keep: int = 100, keep_seconds: float = 86400.0,
               seed_data: bool = True) -> FastAPI:
    """The app over the data folder ``data``, answering to ``host`` (see ``hosts.Hosts``);
    ``workers=0`` simulates in the server process."""
    from . import api, bench_api, fit_api, live_api, pages, room_api

    if token is not None and not token.strip():
        raise ValueError("'token' must not be empty (None means no token)")
    store = Store(data, seed=seed_data)
    db = Database(store.root / "hallsim.db")
    jobs = Jobs(store.runs, db, max_runs=max_runs, workers=workers, max_queue=max_queue, keep=keep,
                keep_seconds=keep_seconds)
    rooms = Rooms(store, jobs, db, max_rooms=max_rooms, max_teams=max_teams, room_days=room_days)
    quick = Quick(workers=min(workers, 1))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        jobs.warm()
        quick.warm()
        yield
        jobs.close()
        quick.close()

    # No /docs or /redoc: FastAPI's pages load their scripts from a CDN, and a training
    # room may be offline. The OpenAPI document itself is at /openapi.json.
    app = FastAPI(title="hallsim", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Simulate a service hall's day in the browser: scenarios, runs, "
                  "comparisons and flexible-scheduling exercise rooms.")
    app.state.store, app.state.jobs, app.state.quick = store, jobs, quick
    app.state.rooms = rooms
    app.state.debriefs = Debriefs(jobs)
    app.state.token = token

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        errors = [{"line": None, "field": ".".join(str(p) for p in e.get("loc", ())[1:]) or None,
                   "message": str(e.get("msg", ""))} for e in exc.errors()]
        return JSONResponse({"errors": errors}, status_code=422)

    app.include_router(api.router)
    app.include_router(bench_api.router)
    app.include_router(live_api.router)
    app.include_router(room_api.router)
    app.include_router(fit_api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Guard, token=token, hosts=Hosts(host, allow_hosts),
                       uploads={"/api/fits": fit_api.MAX_UPLOAD})
    return app
