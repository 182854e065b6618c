"""The web app: the JSON API, the pages and their static files, with the safety limits of
``hallsim serve`` (an access token when not on loopback, bounded request bodies)."""

from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from .. import i18n
from .jobs import Jobs
from .rooms import Rooms
from .storage import Store

STATIC = Path(__file__).parent / "static"
MAX_BODY = 1_000_000


class Guard:
    """ASGI middleware: every request but static files must carry the token (if one is set),
    as ``Authorization: Bearer T`` or ``?token=T``; bodies over ``max_body`` bytes get 413."""

    def __init__(self, app, token: str | None, max_body: int = MAX_BODY):
        self.app, self.token, self.max_body = app, token, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.token and not scope["path"].startswith("/static/") and not self._allowed(scope):
            return await _reply(send, 401, "a valid token is needed: Authorization: Bearer TOKEN "
                                "or ?token=TOKEN")
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _reply(send, 413, f"request bodies are limited to {self.max_body} bytes")
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        try:
            with i18n.language(_language(scope)):
                await self.app(scope, limited, send)
        except _TooLarge:
            await _reply(send, 413, f"request bodies are limited to {self.max_body} bytes")

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


class _TooLarge(Exception):
    pass


async def _reply(send, status: int, message: str) -> None:
    import json

    body = json.dumps({"detail": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(data: str | Path = "hallsim-data", token: str | None = None, max_runs: int = 2,
               workers: int = 2, keep: int = 100, keep_seconds: float = 3600.0,
               seed_data: bool = True) -> FastAPI:
    """The app over the data folder ``data``; ``workers=0`` simulates in the server process."""
    from . import api, pages

    store = Store(data, seed=seed_data)
    jobs = Jobs(store.runs, max_runs=max_runs, workers=workers, keep=keep, keep_seconds=keep_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        jobs.warm()
        yield
        jobs.close()

    # No /docs or /redoc: FastAPI's pages load their scripts from a CDN, and a training
    # room may be offline. The OpenAPI document itself is at /openapi.json.
    app = FastAPI(title="hallsim", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Simulate a service hall's day in the browser: scenarios, runs, "
                  "comparisons and flexible-scheduling exercise rooms.")
    app.state.store, app.state.jobs = store, jobs
    app.state.rooms = Rooms(store, jobs)
    app.state.token = token

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        errors = [{"line": None, "field": ".".join(str(p) for p in e.get("loc", ())[1:]) or None,
                   "message": str(e.get("msg", ""))} for e in exc.errors()]
        return JSONResponse({"errors": errors}, status_code=422)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Guard, token=token)
    return app
