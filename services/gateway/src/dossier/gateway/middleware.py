"""Request id, body-size limit, access metrics — around every request.

The body limit holds on the bytes themselves, not only on `Content-Length`: a
chunked body (no length announced) is counted as it arrives and cut off at the
limit with the same 413, whichever route reads it and before any key is checked.
"""

import logging
import re
import secrets
import time

from fastapi import FastAPI, Request, Response
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dossier.gateway.analyses.fast_poll import FinishedPollFastPath
from dossier.gateway.idempotency.middleware import install_idempotency
from dossier.gateway.problems import ProblemError, problem_response
from dossier.gateway.ratelimit.limiter import Decision
from dossier.runtime import metrics
from dossier.runtime.logging import log_context

log = logging.getLogger("dossier.gateway.access")

#: Largest request body accepted (the CV limit is 100,000 characters; this leaves room for UTF-8).
MAX_BODY_BYTES = 1_048_576
#: Largest body of the routes that take `candidate.cv_file`: an 8 MiB file is 11.2 MB of
#: base64 (11.4 MB with line breaks), plus the rest of the request.
CV_FILE_BODY_BYTES = 12 * 1_048_576
#: (method, path) of the routes allowed `CV_FILE_BODY_BYTES`; every other keeps the 1 MiB.
CV_FILE_ROUTES = frozenset(
    {("POST", "/api/v1/analyses"), ("POST", "/api/partner/v1/background-check")}
)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class PayloadTooLargeError(HTTPException):
    """Raised by the counting `receive` once a body passes `MAX_BODY_BYTES`.

    An `HTTPException`, so FastAPI's body parsing lets it through to the problem
    handlers; the access middleware answers it itself when it escapes them.
    """

    def __init__(self, limit: int = MAX_BODY_BYTES) -> None:
        super().__init__(413, payload_too_large_detail(limit))
        self.limit = limit


def payload_too_large_detail(limit: int) -> str:
    return f"Request bodies are limited to {limit} bytes."


PAYLOAD_TOO_LARGE_DETAIL = payload_too_large_detail(MAX_BODY_BYTES)


def payload_too_large(limit: int = MAX_BODY_BYTES) -> ProblemError:
    return ProblemError(
        413, "payload-too-large", "Payload too large", payload_too_large_detail(limit)
    )


def body_limit(method: str, path: str) -> int:
    """The body limit of a request: 12 MiB where a CV file may come, else 1 MiB."""
    if method == "POST" and (method, path.rstrip("/")) in CV_FILE_ROUTES:
        return CV_FILE_BODY_BYTES
    return MAX_BODY_BYTES


def counting_receive(receive: Receive, limit: int = MAX_BODY_BYTES) -> Receive:
    """`receive`, raising `PayloadTooLargeError` once the body passes `limit` bytes."""
    seen = 0

    async def receive_counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise PayloadTooLargeError(limit)
        return message

    return receive_counted


def _route_of(request: Request) -> str:
    """The route template (`/api/v1/analyses/{analysis_id}`), set by routing: bounded labels."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "unmatched"))


def install_middleware(app: FastAPI) -> None:
    # Added first runs innermost: the fast path, then idempotency, inside the access middleware.
    app.add_middleware(FinishedPollFastPath)
    install_idempotency(app)
    app.add_middleware(AccessMiddleware)

    @app.exception_handler(PayloadTooLargeError)
    async def _too_large(request: Request, exc: PayloadTooLargeError) -> Response:
        return problem_response(request, payload_too_large(exc.limit))


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
        status, started_response = 500, False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status, started_response = message["status"], True
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                rate_limit: Decision | None = getattr(request.state, "rate_limit", None)
                if rate_limit is not None:
                    headers.update(rate_limit.headers())
            await send(message)

        with log_context(request_id=request_id):
            limit = body_limit(scope["method"], scope["path"])
            try:
                length = request.headers.get("content-length")
                if (
                    length is not None
                    and length.isascii()
                    and length.isdigit()
                    and int(length) > limit
                ):
                    raise PayloadTooLargeError(limit)
                await self.app(scope, counting_receive(receive, limit), send_with_headers)
            except PayloadTooLargeError:
                if started_response:  # nothing more can be said
                    raise
                response = problem_response(request, payload_too_large(limit))
                await response(scope, receive, send_with_headers)
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
