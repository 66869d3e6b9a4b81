"""POST one signed event to one endpoint, through the SSRF guard, pinned to the checked IP.

The URL is checked again right before every attempt (its name may have been
re-pointed at a private address since registration: DNS rebinding), and the
connection goes to the very address that passed the check: the request is sent
to `https://<checked ip>:<port>/…` with `Host: <name>` and TLS SNI and
certificate verification on the name. Nothing resolves the name a second time.

Each attempt has a total deadline: the check, connecting, sending and every read
of the response together (httpx's own timeouts are per operation, so an endpoint
trickling one byte a second would otherwise hold the attempt for as long as it
likes). The response body is read up to a cap, then dropped unread.
Keep-alive is off so a connection opened for one name is never reused for
another name on the same address; proxies from the environment are ignored
(a proxy would resolve the name itself and undo the pinning).
"""

import asyncio
import time
from dataclasses import dataclass

import httpx

from dossier.runtime.ssrf import Allowlist, UrlRefusedError, check_url

USER_AGENT = "Dossier-Webhooks/1.0"


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    error: str | None
    duration_seconds: float
    #: The endpoint's `Retry-After` header as sent, if any (read on 429 and 503).
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WebhookSender:
    def __init__(
        self,
        *,
        timeout_seconds: float,
        allowlist: Allowlist,
        deadline_seconds: float = 10.0,
        max_response_bytes: int = 65_536,
    ) -> None:
        self._allowlist = allowlist
        self._deadline = deadline_seconds
        self._max_response_bytes = max_response_bytes
        self._client = httpx.AsyncClient(
            timeout=min(timeout_seconds, deadline_seconds),
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        """One attempt, over in at most the deadline whatever the endpoint does."""
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._deadline):
                return await self._send(url, body, headers, started)
        except TimeoutError:
            return SendResult(
                None,
                f"timeout: no complete response within the {self._deadline:g} s deadline",
                time.perf_counter() - started,
            )

    async def _send(
        self, url: str, body: bytes, headers: dict[str, str], started: float
    ) -> SendResult:
        try:
            target = await check_url(url, self._allowlist)
        except UrlRefusedError as refused:
            return SendResult(None, f"refused: {refused.reason}", time.perf_counter() - started)
        extensions = {}
        if target.parsed.scheme == "https" and target.parsed.literal is None:
            extensions["sni_hostname"] = target.parsed.host
        request_headers = {
            **headers,
            "Host": target.host_header,
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        }
        try:
            async with self._client.stream(
                "POST",
                target.pinned_url(),
                content=body,
                headers=request_headers,
                extensions=extensions,
            ) as response:
                status = response.status_code
                retry_after = response.headers.get("retry-after")
                await self._drain(response)
        except httpx.TimeoutException:
            return SendResult(None, "timeout", time.perf_counter() - started)
        except httpx.HTTPError as exc:
            return SendResult(None, _describe(exc), time.perf_counter() - started)
        return SendResult(status, None, time.perf_counter() - started, retry_after)

    async def _drain(self, response: httpx.Response) -> None:
        """Read the body up to the cap (nothing keeps it); past the cap, stop reading. The
        status and headers are the answer: a body cut short does not change it."""
        read = 0
        try:
            async for chunk in response.aiter_raw():
                read += len(chunk)
                if read >= self._max_response_bytes:
                    return
        except httpx.HTTPError:
            return


def _describe(exc: httpx.HTTPError) -> str:
    """A short, partner-safe reason (no stack, no internal addresses beyond theirs)."""
    if isinstance(exc, httpx.ConnectError):
        return "connection failed"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "invalid HTTP response"
    return type(exc).__name__
