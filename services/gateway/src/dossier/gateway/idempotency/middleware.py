"""`Idempotency-Key` on any POST under `/api/v1`: one execution per key, replayed answers.

- same partner, key, method, path and body → the first response again (status,
  body, `Location`, `Retry-After`) with `Idempotent-Replayed: true`;
- same key, another body or route → `409 idempotency-key-reused`;
- same key while the first request runs → wait up to
  `DOSSIER_IDEMPOTENCY_WAIT_SECONDS`, then replay, or `409 idempotency-key-in-progress`;
- a 5xx is not kept, nor a refusal before the operation ran (401, 403, 429): the
  client may retry with the same key;
- a response holding a secret shown once (a new API key, a webhook signing secret)
  is never stored: its replay is `409 secret-not-replayable`, naming what was created.

The key belongs to the partner, so the middleware authenticates the caller itself
(only when the header is there) and admits it through the rate limiter: replays
count like any request. Without a valid API key it steps aside and the endpoint
answers 401. A replay is authorised like a fresh request: the record is the
partner's and environment's (`record_id`), and the replaying key must hold the
scopes the operation needs (`scopes.required_scopes`), else 403 — never the
stored answer.
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import FastAPI, Request, Response
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from dossier.contracts.timestamps import utcnow
from dossier.gateway.auth.keys import V1_KIND
from dossier.gateway.auth.presented import V1_HEADER, presented_key
from dossier.gateway.context import GatewayContext
from dossier.gateway.dependencies import insufficient_scope
from dossier.gateway.idempotency.repository import (
    IdempotencyRepository,
    StoredResponse,
    is_stale,
    stored_response,
)
from dossier.gateway.idempotency.rules import (
    MAX_KEY_LENGTH,
    REPLAYED_HEADERS,
    fingerprint,
    holds_secret,
    record_id,
    valid_idempotency_key,
)
from dossier.gateway.idempotency.scopes import required_scopes
from dossier.gateway.problems import ProblemError, problem_response
from dossier.gateway.ratelimit.service import admit_request

HEADER = "Idempotency-Key"
_HEADER_BYTES = HEADER.lower().encode()
_POLL_SECONDS = 0.05
_MAX_ROUNDS = 4
#: Refusals before the operation ran (auth, scope, rate): another key may rightly succeed.
_NOT_KEPT = frozenset({401, 403, 429})

CallNext = Callable[[Request], Awaitable[Response]]


def _invalid_key() -> ProblemError:
    return ProblemError(
        400,
        "invalid-idempotency-key",
        "Invalid Idempotency-Key",
        f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters (a UUID is ideal).",
    )


def _reused() -> ProblemError:
    return ProblemError(
        409,
        "idempotency-key-reused",
        "Idempotency-Key reused",
        f"This {HEADER} was already used for a different request (another body or route). "
        "Use a new key for a new request.",
    )


def _in_progress() -> ProblemError:
    return ProblemError(
        409,
        "idempotency-key-in-progress",
        "Request in progress",
        f"The first request with this {HEADER} is still running; retry in a moment.",
        headers={"Retry-After": "1"},
    )


def _secret_not_replayable(path: str, stored: StoredResponse) -> ProblemError:
    created = f" and created {stored.resource_id}" if stored.resource_id else ""
    return ProblemError(
        409,
        "secret-not-replayable",
        "Response not replayable",
        f"The first request with this {HEADER} succeeded ({stored.status}){created}. Its "
        "response held a secret that is shown only once and never stored, so it cannot be "
        f"replayed: find the resource by its id with GET {path}, or revoke it and send a new "
        f"{HEADER} to create another.",
    )


def _replay(stored: StoredResponse) -> Response:
    headers = {**stored.headers, "Idempotent-Replayed": "true"}
    if stored.content_type:
        headers["Content-Type"] = stored.content_type
    return Response(content=stored.body, status_code=stored.status, headers=headers)


def _to_store(status: int, content: bytes, response: Response) -> StoredResponse:
    content_type = response.headers.get("content-type")
    headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
    try:
        parsed: object = json.loads(content) if content else None
    except ValueError:
        parsed = None
    if holds_secret(parsed):
        resource = parsed.get("id") if isinstance(parsed, dict) else None
        return StoredResponse(status, None, content_type, headers, resource_id=resource)
    return StoredResponse(status, content, content_type, headers)


async def _execute_once(
    request: Request, call_next: CallNext, records: IdempotencyRepository, owned: str
) -> Response:
    """Run the request this record belongs to, and keep its answer (unless not kept)."""
    try:
        response = await call_next(request)
    except BaseException:
        await records.release(owned)
        raise
    if response.status_code >= 500 or response.status_code in _NOT_KEPT:
        await records.release(owned)
        return response
    chunks = [chunk async for chunk in response.body_iterator]  # type: ignore[attr-defined]
    content = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
    await records.complete(owned, _to_store(response.status_code, content, response))
    return Response(content=content, status_code=response.status_code, headers=response.headers)


async def _idempotent(
    request: Request, call_next: CallNext, ctx: GatewayContext, raw_key: str
) -> Response:
    presented = presented_key(request.headers, V1_HEADER)  # 400 for two different keys
    key = await ctx.partners.authenticate(presented, kind=V1_KIND) if presented else None
    if key is None:
        return await call_next(request)  # the endpoint answers 401
    await admit_request(request, key)
    missing = sorted(required_scopes(request.app, request.scope) - set(key.scopes))
    if missing:
        raise insufficient_scope(missing)  # as the endpoint would answer, replay or not
    if not valid_idempotency_key(raw_key):
        raise _invalid_key()
    body = await request.body()
    records = IdempotencyRepository(ctx.db)
    rid = record_id(key.partner.id, key.environment, raw_key)
    printed = fingerprint(request.method, request.url.path, body)
    ttl = timedelta(seconds=ctx.settings.idempotency_ttl_seconds)
    deadline = time.monotonic() + ctx.settings.idempotency_wait_seconds
    for _ in range(_MAX_ROUNDS):
        record = await records.begin(
            rid, fingerprint=printed, method=request.method, path=request.url.path, ttl=ttl
        )
        if record is None:
            return await _execute_once(request, call_next, records, rid)
        while (
            record is not None and record["state"] == "pending" and not is_stale(record, utcnow())
        ):
            if record["fingerprint"] != printed:
                raise _reused()
            if time.monotonic() > deadline:
                raise _in_progress()
            await asyncio.sleep(_POLL_SECONDS)
            record = await records.get(rid)
        if record is None:
            continue  # the first request failed (5xx) and gave the key back
        if is_stale(record, utcnow()):
            await records.remove_stale(record)
            continue
        if record["fingerprint"] != printed:
            raise _reused()
        stored = stored_response(record)
        if stored.body is None:
            raise _secret_not_replayable(record["path"], stored)
        return _replay(stored)
    raise _in_progress()


async def _idempotency(request: Request, call_next: CallNext) -> Response:
    raw_key = request.headers.get(HEADER)
    if raw_key is None:
        return await call_next(request)
    try:
        return await _idempotent(request, call_next, request.app.state.ctx, raw_key)
    except ProblemError as problem:
        return problem_response(request, problem)


class IdempotencyGate:
    """Only `POST /api/v1/…` with an `Idempotency-Key` takes the idempotency path (which
    buffers the response to keep it); every other request goes straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.idempotent = BaseHTTPMiddleware(app, dispatch=_idempotency)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].startswith("/api/v1/")
            and any(name == _HEADER_BYTES for name, _ in scope["headers"])
        ):
            await self.idempotent(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def install_idempotency(app: FastAPI) -> None:
    app.add_middleware(IdempotencyGate)
