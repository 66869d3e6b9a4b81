"""Every dependency of every route is a coroutine: FastAPI runs a plain `def` dependency in a
worker thread, a thread hop (and a GIL hand-over) on each request that uses it."""

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant

from dossier.gateway.app import create_app
from dossier.gateway.route_table import api_routes


def calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from calls(sub)


def runs_on_the_loop(call: Any) -> bool:
    method = call if inspect.isfunction(call) else getattr(call, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(method) or inspect.isasyncgenfunction(method)


def test_no_route_depends_on_a_plain_function() -> None:
    app = create_app()
    routes = list(api_routes(app.routes))
    assert len(routes) > 10
    sync = {
        f"{route.path} {sorted(route.methods)}: {getattr(call, '__qualname__', call)}"
        for route in routes
        for call in calls(route.dependant)
        if not runs_on_the_loop(call)
    }
    assert not sync, "\n".join(sorted(sync))
