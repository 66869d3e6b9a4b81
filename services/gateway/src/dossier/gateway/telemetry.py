"""The gateway's server span: one per request, named `<METHOD> <route template>`.

OpenTelemetry's ASGI middleware, installed outermost so the request id, access log and
every handler run inside the span (its trace id is in their log lines). What
`FastAPIInstrumentor` would add is a route lookup that, on every request, flattens the
route tree and runs each route's full `matches()` — 4% of the gateway's CPU per poll
(py-spy, 2026-12-07). `RouteNames` compiles the table once and only tests the path
regexes. The ASGI `http send`/`http receive` spans (two or three more per request) only
time socket writes, at a cost every poll would pay: left out.
"""

import re
from dataclasses import dataclass

from fastapi import FastAPI
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.semconv.attributes.http_attributes import HTTP_ROUTE
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Scope

from dossier.gateway.route_table import api_routes

#: Probes and metrics scrapes get no span.
UNTRACED_URLS = "healthz,readyz,metrics"


@dataclass(frozen=True)
class _Template:
    regex: re.Pattern[str]
    path: str
    methods: frozenset[str] | None  # None: any method (mounts, plain routes)


def _templates(routes: list[BaseRoute]) -> list[_Template]:
    table = [
        _Template(route.path_regex, route.path, frozenset(route.methods or ()))
        for route in api_routes(routes)
    ]
    for route in routes:
        if isinstance(route, Route) and not any(t.path == route.path for t in table):
            methods = frozenset(route.methods) if route.methods else None
            table.append(_Template(route.path_regex, route.path, methods))
        elif isinstance(route, Mount):
            table.append(_Template(re.compile(f"^{re.escape(route.path)}/"), route.path, None))
    return table


class RouteNames:
    """`default_span_details` for the ASGI middleware: span name and `http.route`."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._table: list[_Template] | None = None

    def route(self, method: str, path: str) -> str | None:
        if self._table is None:  # routers are included after the middleware is added
            self._table = _templates(self._app.router.routes)
        for template in self._table:
            if (template.methods is None or method in template.methods) and template.regex.match(
                path
            ):
                return template.path
        return None

    def __call__(self, scope: Scope) -> tuple[str, dict[str, str]]:
        method = scope.get("method", "")
        route = self.route(method, scope.get("path", ""))
        if route is None:
            return method or "HTTP", {}
        return f"{method} {route}", {HTTP_ROUTE: route}


def install_tracing(app: FastAPI) -> None:
    """Call after every other middleware: the last added runs outermost."""
    app.add_middleware(
        OpenTelemetryMiddleware,
        excluded_urls=UNTRACED_URLS,
        default_span_details=RouteNames(app),
        exclude_spans=["receive", "send"],
    )
