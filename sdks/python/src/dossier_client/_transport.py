"""Sending one request: authentication, retries with backoff, typed errors.

`SyncTransport` and `AsyncTransport` are the same loop over `httpx.Client` and
`httpx.AsyncClient`; the decisions (retry or not, how long to wait) are in `_retry`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from dossier_client._retry import (
    RetryPolicy,
    backoff_delay,
    is_retry_safe,
    should_retry_status,
)
from dossier_client.errors import APIConnectionError, error_from_response, retry_after_seconds

DEFAULT_BASE_URL = "http://localhost:8000"
DEFAULT_TIMEOUT = 30.0
USER_AGENT = "dossier-client-python/0.1.0"


@dataclass(frozen=True)
class Call:
    """One API request, before it is sent."""

    method: str
    path: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def query(self) -> dict[str, Any] | None:
        if self.params is None:
            return None
        return {k: v for k, v in self.params.items() if v is not None}


def _headers(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}", "User-Agent": USER_AGENT}


def _ok(response: httpx.Response) -> bool:
    return response.status_code < 400


class SyncTransport:
    def __init__(
        self,
        api_key: str,
        base_url: str,
        *,
        timeout: float,
        policy: RetryPolicy,
        http_client: httpx.Client | None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy
        self.sleep = sleep
        self._owns_client = http_client is None
        self.http = http_client or httpx.Client(timeout=timeout)
        self.http.base_url = httpx.URL(base_url)
        self.http.headers.update(_headers(api_key))

    def close(self) -> None:
        if self._owns_client:
            self.http.close()

    def send(self, call: Call) -> httpx.Response:
        """The response (2xx or 304), or the typed error after the retries allowed."""
        safe = is_retry_safe(call.method, call.headers)
        attempt = 0
        while True:
            try:
                response = self.http.request(
                    call.method,
                    call.path,
                    params=call.query(),
                    json=call.json,
                    headers=dict(call.headers),
                )
            except httpx.TransportError as exc:
                if attempt < self.policy.max_retries and (
                    safe or isinstance(exc, httpx.ConnectError)
                ):
                    self.sleep(backoff_delay(attempt, self.policy))
                    attempt += 1
                    continue
                raise APIConnectionError(f"{call.method} {call.path}: {exc!r}") from exc
            if _ok(response):
                return response
            if (
                safe
                and should_retry_status(response.status_code)
                and attempt < self.policy.max_retries
            ):
                delay = backoff_delay(attempt, self.policy, retry_after_seconds(response))
                self.sleep(delay)
                attempt += 1
                continue
            raise error_from_response(response)

    @contextmanager
    def stream(self, call: Call) -> Iterator[httpx.Response]:
        """An open streaming response (2xx), or the typed error. No retries here: the
        caller resumes streams itself, from the last event it saw."""
        with self.http.stream(
            call.method, call.path, params=call.query(), headers=dict(call.headers)
        ) as response:
            if not _ok(response):
                response.read()
                raise error_from_response(response)
            yield response


class AsyncTransport:
    def __init__(
        self,
        api_key: str,
        base_url: str,
        *,
        timeout: float,
        policy: RetryPolicy,
        http_client: httpx.AsyncClient | None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.policy = policy
        self.sleep = sleep
        self._owns_client = http_client is None
        self.http = http_client or httpx.AsyncClient(timeout=timeout)
        self.http.base_url = httpx.URL(base_url)
        self.http.headers.update(_headers(api_key))

    async def close(self) -> None:
        if self._owns_client:
            await self.http.aclose()

    async def send(self, call: Call) -> httpx.Response:
        """The response (2xx or 304), or the typed error after the retries allowed."""
        safe = is_retry_safe(call.method, call.headers)
        attempt = 0
        while True:
            try:
                response = await self.http.request(
                    call.method,
                    call.path,
                    params=call.query(),
                    json=call.json,
                    headers=dict(call.headers),
                )
            except httpx.TransportError as exc:
                if attempt < self.policy.max_retries and (
                    safe or isinstance(exc, httpx.ConnectError)
                ):
                    await self.sleep(backoff_delay(attempt, self.policy))
                    attempt += 1
                    continue
                raise APIConnectionError(f"{call.method} {call.path}: {exc!r}") from exc
            if _ok(response):
                return response
            if (
                safe
                and should_retry_status(response.status_code)
                and attempt < self.policy.max_retries
            ):
                delay = backoff_delay(attempt, self.policy, retry_after_seconds(response))
                await self.sleep(delay)
                attempt += 1
                continue
            raise error_from_response(response)

    @asynccontextmanager
    async def stream(self, call: Call) -> AsyncIterator[httpx.Response]:
        async with self.http.stream(
            call.method, call.path, params=call.query(), headers=dict(call.headers)
        ) as response:
            if not _ok(response):
                await response.aread()
                raise error_from_response(response)
            yield response
