"""The scopes an operation needs, read from the app's own route table.

A replayed answer must be authorised like a fresh request: the replaying key
needs the scopes of the operation it would have run (`Scoped(...)` on the
endpoint), so a key lacking them gets the same 403 it would get without an
`Idempotency-Key`, never the stored response. The table is built from the routes
once per app, so a new POST endpoint is covered without being listed here.
"""

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from starlette.routing import Match
from starlette.types import Scope


def _scopes_of(dependant: Dependant) -> Iterator[str]:
    yield from dependant.own_oauth_scopes or ()
    for dependency in dependant.dependencies:
        yield from _scopes_of(dependency)


def _table(app: FastAPI) -> list[tuple[Any, frozenset[str]]]:
    table: list[tuple[Any, frozenset[str]]] = getattr(app.state, "route_scopes", None) or []
    if not table:
        for context in routing.iter_route_contexts(app.routes):
            dependant = getattr(context, "dependant", None)
            needed = frozenset(_scopes_of(dependant)) if dependant is not None else frozenset()
            table.append((context.route, needed))
        app.state.route_scopes = table
    return table


def required_scopes(app: FastAPI, scope: Scope) -> frozenset[str]:
    """The scopes of the operation `scope` (method and path) would reach; none if no route
    matches (the request would answer 404 or 405 anyway)."""
    for route, needed in _table(app):
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return needed
    return frozenset()
