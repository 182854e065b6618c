"""The planner's workbench under ``/api``: a scenario's earlier versions (list, read, restore)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel

from ..errors import ScenarioError
from .api import Saved, _bad, strict
from .checks import parse_scenario

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
