"""`Dossier` and `AsyncDossier`: one API key, one base URL, the resources."""

from __future__ import annotations

import os
from types import TracebackType

import httpx

from dossier_client import async_resources as ar
from dossier_client import resources as r
from dossier_client._retry import RetryPolicy
from dossier_client._transport import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    AsyncTransport,
    SyncTransport,
)


def _settings(api_key: str | None, base_url: str | None) -> tuple[str, str]:
    key = api_key or os.environ.get("DOSSIER_API_KEY")
    if not key:
        msg = "pass api_key= or set DOSSIER_API_KEY"
        raise ValueError(msg)
    url = base_url or os.environ.get("DOSSIER_BASE_URL") or DEFAULT_BASE_URL
    return key, url.rstrip("/")


class Dossier:
    """The Dossier API, synchronously.

    `max_retries`: how often a request is retried on 429, 5xx and connection errors
    (only requests that cannot take effect twice: GET, DELETE, or with an
    `Idempotency-Key`), waiting `Retry-After` or an exponential backoff with jitter.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        http_client: httpx.Client | None = None,
    ) -> None:
        key, url = _settings(api_key, base_url)
        self.base_url = url
        self._transport = SyncTransport(
            key,
            url,
            timeout=timeout,
            policy=RetryPolicy(max_retries=max_retries),
            http_client=http_client,
        )
        self.analyses = r.Analyses(self._transport)
        self.reports = r.Reports(self._transport)
        self.me = r.MeResource(self._transport)
        self.keys = r.Keys(self._transport)
        self.webhooks = r.Webhooks(self._transport)
        self.usage = r.Usage(self._transport)
        self.audit = r.Audit(self._transport)
        self.candidates = r.Candidates(self._transport)
        self.exports = r.Exports(self._transport)
        self.widget_sessions = r.WidgetSessions(self._transport)

    def close(self) -> None:
        """Close the connection pool (unless you passed your own `http_client`)."""
        self._transport.close()

    def __enter__(self) -> Dossier:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncDossier:
    """The Dossier API for asyncio: the same resources, every call awaited."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        key, url = _settings(api_key, base_url)
        self.base_url = url
        self._transport = AsyncTransport(
            key,
            url,
            timeout=timeout,
            policy=RetryPolicy(max_retries=max_retries),
            http_client=http_client,
        )
        self.analyses = ar.Analyses(self._transport)
        self.reports = ar.Reports(self._transport)
        self.me = ar.MeResource(self._transport)
        self.keys = ar.Keys(self._transport)
        self.webhooks = ar.Webhooks(self._transport)
        self.usage = ar.Usage(self._transport)
        self.audit = ar.Audit(self._transport)
        self.candidates = ar.Candidates(self._transport)
        self.exports = ar.Exports(self._transport)
        self.widget_sessions = ar.WidgetSessions(self._transport)

    async def close(self) -> None:
        await self._transport.close()

    async def __aenter__(self) -> AsyncDossier:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
