"""The server span of every request is named by the route FastAPI itself would choose."""

import re

import pytest
from fastapi import FastAPI
from starlette.routing import Match

from dossier.gateway.app import create_app
from dossier.gateway.route_table import api_routes
from dossier.gateway.telemetry import RouteNames


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app()


def _concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "abc_123", template)


def test_every_operation_is_named_by_its_own_template(app: FastAPI) -> None:
    names = RouteNames(app)
    checked = 0
    for route in api_routes(app.router.routes):
        for method in route.methods or ():
            path = _concrete(route.path)
            scope = {"type": "http", "method": method, "path": path, "root_path": ""}
            # The route FastAPI's router would run for this request, first full match.
            chosen = next(
                r.path for r in api_routes(app.router.routes) if r.matches(scope)[0] is Match.FULL
            )
            name, attributes = names(scope)
            assert name == f"{method} {chosen}"
            assert attributes == {"http.route": chosen}
            checked += 1
    assert checked > 30


def test_the_poll_and_unknown_paths(app: FastAPI) -> None:
    names = RouteNames(app)
    poll = {"type": "http", "method": "GET", "path": "/api/v1/analyses/an_1"}
    assert names(poll)[0] == "GET /api/v1/analyses/{analysis_id}"
    events = {"type": "http", "method": "GET", "path": "/api/v1/analyses/an_1/events"}
    assert names(events)[0] == "GET /api/v1/analyses/{analysis_id}/events"
    assert names({"type": "http", "method": "GET", "path": "/nowhere"}) == ("GET", {})
    wrong_method = {"type": "http", "method": "PUT", "path": "/api/v1/analyses/an_1"}
    assert names(wrong_method) == ("PUT", {})
