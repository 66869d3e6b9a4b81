"""Every route has an explicit, camelCase, unique `operationId`: generated clients keep their
method names across releases (FastAPI's default, derived from the function name and path,
would change with a refactor)."""

import re
from typing import Any

import pytest
from fastapi import FastAPI, routing
from fastapi.routing import APIRoute

from dossier.gateway.app import create_app

CAMEL_CASE = re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$")
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app()


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every operation of the app, through its included routers (FastAPI's own docs pages,
    plain Starlette routes, are not operations)."""
    found = [
        context.route
        for context in routing.iter_route_contexts(app.routes)
        if isinstance(context.route, APIRoute)
    ]
    assert len(found) >= 25, "the route table was not read"
    return found


def test_every_route_names_its_operation_id_explicitly(app: FastAPI) -> None:
    missing = [f"{sorted(r.methods)} {r.path}" for r in api_routes(app) if not r.operation_id]

    assert missing == []


def test_operation_ids_are_camel_case(app: FastAPI) -> None:
    bad = [r.operation_id for r in api_routes(app) if not CAMEL_CASE.match(r.operation_id or "")]

    assert bad == []


def test_operation_ids_are_unique(app: FastAPI) -> None:
    ids = [r.operation_id for r in api_routes(app)]

    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_the_document_uses_exactly_the_declared_ids(app: FastAPI) -> None:
    spec: dict[str, Any] = app.openapi()
    documented = {
        (method.upper(), path): op["operationId"]
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }
    declared = {
        (method, r.path): r.operation_id
        for r in api_routes(app)
        if r.include_in_schema
        for method in r.methods
        if method != "HEAD"
    }

    assert documented == declared


def test_the_core_operations_have_their_promised_names(app: FastAPI) -> None:
    """Names the guides and the changelog promise (seed 004's client examples use them)."""
    spec: dict[str, Any] = app.openapi()
    paths = spec["paths"]

    assert paths["/api/v1/analyses"]["post"]["operationId"] == "createAnalysis"
    assert paths["/api/v1/analyses/{analysis_id}"]["get"]["operationId"] == "getAnalysis"
    assert paths["/api/v1/analyses/{analysis_id}"]["delete"]["operationId"] == "cancelAnalysis"
    events = paths["/api/v1/analyses/{analysis_id}/events"]["get"]
    assert events["operationId"] == "streamAnalysisEvents"
    assert paths["/api/v1/me"]["get"]["operationId"] == "getMe"
