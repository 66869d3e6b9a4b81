"""Request id, body-size limit, access metrics — around every request."""

import logging
import re
import secrets
import time

from fastapi import FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dossier.gateway.idempotency.middleware import install_idempotency
from dossier.gateway.problems import ProblemError, problem_response
from dossier.gateway.ratelimit.limiter import Decision
from dossier.runtime import metrics
from dossier.runtime.logging import log_context

log = logging.getLogger("dossier.gateway.access")

#: Largest request body accepted (the CV limit is 100,000 characters; this leaves room for UTF-8).
MAX_BODY_BYTES = 1_048_576
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _route_of(request: Request) -> str:
    """The route template (`/api/v1/analyses/{analysis_id}`), set by routing: bounded labels."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "unmatched"))


def install_middleware(app: FastAPI) -> None:
    install_idempotency(app)  # added first, so it runs inside the access middleware
    app.add_middleware(AccessMiddleware)


class AccessMiddleware:
    """Request id, the Content-Length limit, rate-limit headers, metrics and the access log.

    Plain ASGI rather than `@app.middleware("http")`: that wrapper runs every request
    in a second task and re-streams its response, a cost each poll would pay.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else f"req_{secrets.token_hex(8)}"
        request.state.request_id = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                rate_limit: Decision | None = getattr(request.state, "rate_limit", None)
                if rate_limit is not None:
                    headers.update(rate_limit.headers())
            await send(message)

        with log_context(request_id=request_id):
            try:
                length = request.headers.get("content-length")
                if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
                    response = problem_response(
                        request,
                        ProblemError(
                            413,
                            "payload-too-large",
                            "Payload too large",
                            f"Request bodies are limited to {MAX_BODY_BYTES} bytes.",
                        ),
                    )
                    await response(scope, receive, send_with_headers)
                else:
                    await self.app(scope, receive, send_with_headers)
            finally:
                self._observe(request, status, time.perf_counter() - started)

    @staticmethod
    def _observe(request: Request, status: int, elapsed: float) -> None:
        route = _route_of(request)
        metrics.HTTP_REQUESTS.labels(route, request.method, str(status)).inc()
        metrics.HTTP_DURATION.labels(route, request.method).observe(elapsed)
        if route not in ("/healthz", "/readyz", "/metrics"):
            log.info(
                "%s %s %d",
                request.method,
                route,
                status,
                extra={"duration_ms": round(elapsed * 1000, 1), "status": status},
            )
