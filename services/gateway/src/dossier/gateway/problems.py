"""One error format for every 4xx and 5xx: RFC 9457 `application/problem+json`.

Each problem has a stable `type` URI partners can switch on, the request id
(also in our logs) and, for validation errors, the fields at fault.
"""

import logging
from typing import Any

from aiokafka.errors import KafkaError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException as StarletteHTTPException

from dossier.contracts.api import FieldError, Problem

log = logging.getLogger(__name__)

PROBLEM_BASE = "https://dossier.dev/problems/"
PROBLEM_JSON = "application/problem+json"


class ProblemError(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.errors, self.headers = errors, headers


def not_found(what: str = "analysis") -> ProblemError:
    return ProblemError(404, "not-found", "Not found", f"No {what} with this id for your key.")


def problem_response(request: Request, problem: ProblemError) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    body = Problem(
        type=PROBLEM_BASE + problem.slug,
        title=problem.title,
        status=problem.status,
        detail=problem.detail,
        instance=request.url.path,
        request_id=request_id,
        errors=problem.errors,
    )
    # Set here too: a 500 is answered outside the request-id middleware.
    headers = {**({"X-Request-ID": request_id} if request_id else {}), **(problem.headers or {})}
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _validation_problem(exc: RequestValidationError) -> ProblemError:
    errors = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            return ProblemError(
                400, "malformed-json", "Malformed JSON", "The request body is not valid JSON."
            )
        message = str(err.get("msg", "invalid"))
        if err.get("type") == "enum" and "expected" in err.get("ctx", {}):
            message = f"must be one of {err['ctx']['expected']}"
        errors.append(FieldError(field=_field_path(err["loc"]), message=message, type=err["type"]))
    fields = ", ".join(e.field for e in errors)
    return ProblemError(
        422, "validation-error", "Invalid request", f"Invalid fields: {fields}.", errors=errors
    )


#: How long a partner should wait before retrying when a backing server is away: about
#: what a restarted FerretDB or Kafka broker needs to answer again.
UNAVAILABLE_RETRY_AFTER_SECONDS = 5

#: The store is away: no server answered within the client's server-selection timeout
#: (`ServerSelectionTimeoutError`), or a connection broke mid-command (`AutoReconnect`,
#: `NetworkTimeout` — both are `ConnectionFailure`s).
STORE_UNAVAILABLE = (ConnectionFailure,)


def unavailable_problem(exc: BaseException) -> ProblemError | None:
    """A 503 for an error that means "a backing server is away, retry soon", else None.

    The store (MongoDB/FerretDB) or the broker (Kafka) being down is not a bug and not the
    partner's fault: they get `503 application/problem+json` with `Retry-After` at once,
    never a 500 or a hung connection. What was already written stays consistent: a POST
    whose event could not be published is delivered later by the outbox sweeper.
    """
    for kinds, slug, what in _AWAY:
        if isinstance(exc, kinds):
            log.warning("%s unavailable: %s", what, type(exc).__name__)
            return ProblemError(
                503,
                slug,
                "Service unavailable",
                f"Our {what} is not answering right now. Please retry shortly.",
                headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER_SECONDS)},
            )
    return None


#: Which backing server an error says is away, and how a partner is told.
_AWAY: tuple[tuple[tuple[type[BaseException], ...], str, str], ...] = (
    (STORE_UNAVAILABLE, "store-unavailable", "data store"),
    ((KafkaError,), "broker-unavailable", "message broker"),
)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(request, _validation_problem(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        return problem_response(
            request, ProblemError(exc.status_code, slug, str(exc.detail), str(exc.detail))
        )

    @app.exception_handler(ConnectionFailure)
    @app.exception_handler(KafkaError)
    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        problem = unavailable_problem(exc)
        if problem is None:  # pragma: no cover - registered only for those types
            raise exc
        return problem_response(request, problem)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Errors raised in middleware (auth, rate limits) arrive here, outside the
        # per-type handlers: a store or broker outage is still a 503, not a 500.
        if (problem := unavailable_problem(exc)) is not None:
            return problem_response(request, problem)
        log.exception("unhandled error")
        return problem_response(
            request,
            ProblemError(
                500, "internal-error", "Internal error", "Something went wrong on our side."
            ),
        )
