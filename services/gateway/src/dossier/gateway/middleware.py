"""Request id, body-size limit, access metrics — around every request."""

import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

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
    install_idempotency(app)  # added first, so it runs inside the request-id middleware

    @app.middleware("http")
    async def _around(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else f"req_{secrets.token_hex(8)}"
        request.state.request_id = request_id
        started = time.perf_counter()
        with log_context(request_id=request_id):
            length = request.headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
                response: Response = problem_response(
                    request,
                    ProblemError(
                        413,
                        "payload-too-large",
                        "Payload too large",
                        f"Request bodies are limited to {MAX_BODY_BYTES} bytes.",
                    ),
                )
            else:
                response = await call_next(request)
            elapsed = time.perf_counter() - started
            route = _route_of(request)
            response.headers["X-Request-ID"] = request_id
            rate_limit: Decision | None = getattr(request.state, "rate_limit", None)
            if rate_limit is not None:
                response.headers.update(rate_limit.headers())
            metrics.HTTP_REQUESTS.labels(route, request.method, str(response.status_code)).inc()
            metrics.HTTP_DURATION.labels(route, request.method).observe(elapsed)
            if route not in ("/healthz", "/readyz", "/metrics"):
                log.info(
                    "%s %s %d",
                    request.method,
                    route,
                    response.status_code,
                    extra={"duration_ms": round(elapsed * 1000, 1), "status": response.status_code},
                )
        return response
