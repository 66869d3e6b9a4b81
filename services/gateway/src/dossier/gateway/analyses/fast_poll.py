"""Polls of finished analyses, answered before routing: the hot path of a partner integration.

Most polls ask again for an analysis that has finished, and this process usually
holds its rendering (`rendered.py`). Such a poll needs the key checked (401, 429,
403 as always), the owner compared, one keyed read to learn the analysis still
exists, and the kept body or a 304 — the same functions the `GET` operation uses.
What it does not need is FastAPI's routing and dependency solving, about a third
of the gateway's CPU per poll. Everything else — an analysis still running, one
not rendered here yet, a new minute for its PDF link — goes on to the operation,
which remains the one documented in OpenAPI.

The access middleware (request id, rate-limit headers, metrics, access log) and
the tracing middleware wrap this as they wrap every request.
"""

import re

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from dossier.gateway.analyses.endpoints import (
    kept_rendering,
    poll_response,
    rendered_analyses,
)
from dossier.gateway.dependencies import authorize_v1
from dossier.gateway.problems import ProblemError, problem_response
from dossier.gateway.route_table import find_route

POLL_TEMPLATE = "/api/v1/analyses/{analysis_id}"
_POLL_PATH = re.compile(r"^/api/v1/analyses/([^/]{1,64})$")
_SCOPES = ("analyses:read",)


class FinishedPollFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._route: APIRoute | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = (
            _POLL_PATH.match(scope["path"])
            if scope["type"] == "http" and scope["method"] == "GET"
            else None
        )
        if match is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        analysis_id = match.group(1)
        if rendered_analyses(request).get(analysis_id) is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = self._poll_route(request)  # what metrics and logs name the request by
        ctx = request.app.state.ctx
        try:
            key = await authorize_v1(ctx, request, _SCOPES)
            rendered = await kept_rendering(ctx, request, analysis_id, key)
        except ProblemError as problem:
            await problem_response(request, problem)(scope, receive, send)
            return
        if rendered is None:
            await self.app(scope, receive, send)
            return
        response = poll_response(rendered, request.headers.get("if-none-match"))
        await response(scope, receive, send)

    def _poll_route(self, request: Request) -> APIRoute | None:
        if self._route is None:
            self._route = find_route(request.app.router.routes, POLL_TEMPLATE, "GET")
        return self._route
