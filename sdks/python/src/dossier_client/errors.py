"""Typed errors: one class per kind of failure, carrying the problem+json fields.

Every error the API answers with is RFC 9457 problem details (`type`, `title`,
`status`, `detail`, `errors` on 422) and an `X-Request-ID` header; both reach the
exception, so a partner can switch on `type` and quote `request_id` to support.
"""

from __future__ import annotations

import builtins
import json
from typing import Any

import httpx


class DossierError(Exception):
    """Base of every error this SDK raises."""


class APIConnectionError(DossierError):
    """The API could not be reached (after the configured retries)."""


class WaitTimeoutError(DossierError, builtins.TimeoutError):
    """`analyses.wait` gave up: the analysis was not terminal within `timeout` seconds."""

    def __init__(self, analysis_id: str, timeout: float, last_status: str | None) -> None:
        super().__init__(
            f"analysis {analysis_id} not finished after {timeout:g}s (last status: {last_status})"
        )
        self.analysis_id = analysis_id
        self.timeout = timeout
        self.last_status = last_status


class WebhookVerificationError(DossierError):
    """A webhook delivery's signature is missing, wrong or too old."""


class APIError(DossierError):
    """The API answered with an error status. Fields come from its problem+json body."""

    def __init__(
        self,
        status: int,
        *,
        type: str = "about:blank",
        title: str = "",
        detail: str | None = None,
        instance: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        body: Any = None,
    ) -> None:
        message = f"{status} {title}".strip() + (f": {detail}" if detail else "")
        if request_id:
            message += f" (request_id={request_id})"
        super().__init__(message)
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.instance = instance
        self.errors = errors or []
        self.request_id = request_id
        self.retry_after = retry_after
        self.body = body


class BadRequestError(APIError):
    """400: the request is malformed (e.g. a bad cursor or header)."""


class AuthenticationError(APIError):
    """401: missing, unknown or revoked API key."""


class PaymentRequiredError(APIError):
    """402: the partner's credits are exhausted."""


class PermissionDeniedError(APIError):
    """403: the key lacks the scope, or the action is not allowed."""


class NotFoundError(APIError):
    """404: no such resource for this partner and environment."""


class ConflictError(APIError):
    """409: the resource is not in a state that allows this (or an idempotency clash)."""


class PayloadTooLargeError(APIError):
    """413: the body is too large."""


class ValidationError(APIError):
    """422: the body or parameters are invalid; `errors` lists the fields at fault."""


class RateLimitError(APIError):
    """429: too many requests; `retry_after` says when to try again."""


class ServerError(APIError):
    """5xx: the API failed or is unavailable."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: ValidationError,
    429: RateLimitError,
}


def retry_after_seconds(response: httpx.Response) -> float | None:
    """`Retry-After` in seconds (only the delta-seconds form, which the gateway sends)."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def error_from_response(response: httpx.Response) -> APIError:
    """The typed error for an error response (its body must have been read)."""
    try:
        body: Any = json.loads(response.content) if response.content else None
    except ValueError:
        body = response.text
    problem: dict[str, Any] = body if isinstance(body, dict) else {}
    status = response.status_code
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    return kind(
        status,
        type=str(problem.get("type", "about:blank")),
        title=str(problem.get("title", response.reason_phrase)),
        detail=problem.get("detail") if problem else (body or None),
        instance=problem.get("instance"),
        errors=problem.get("errors"),
        request_id=response.headers.get("x-request-id") or problem.get("request_id"),
        retry_after=retry_after_seconds(response),
        body=body,
    )
