"""The app's operations, through the routers it includes (FastAPI wraps included routers)."""

from collections.abc import Iterable, Iterator

from fastapi.routing import APIRoute
from starlette.routing import BaseRoute


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)


def find_route(routes: Iterable[BaseRoute], path: str, method: str) -> APIRoute | None:
    """The operation serving `method path`."""
    return next(
        (r for r in api_routes(routes) if r.path == path and method in (r.methods or ())), None
    )
