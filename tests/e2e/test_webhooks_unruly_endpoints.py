"""Webhook endpoints that misbehave, against the running webhooks service: one that trickles
its response headers a byte at a time (slow loris), one that answers `410 Gone`, ones that
answer 429/503 with `Retry-After`. A slow endpoint holds only its own attempt, and only up
to the attempt deadline (10 s, the default); everyone else's deliveries keep flowing."""

import asyncio
import email.utils
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import Providers, create_partner, eventually
from tests.e2e.helpers import analysis_body

CANCELED = "analysis.canceled"
#: The webhooks service's default `DOSSIER_WEBHOOK_ATTEMPT_DEADLINE_SECONDS`.
DEADLINE_SECONDS = 10.0
#: How long the slow loris keeps trickling if nobody hangs up: far past the deadline.
TRICKLE_FOR_SECONDS = 45.0


@dataclass
class Hit:
    path: str
    event_id: str
    opened: float
    closed: float | None = None


@dataclass
class Endpoints:
    """Loopback endpoints that behave by path: `/slow/…` trickles a header byte every two
    seconds, `/gone/…` answers 410, `/throttled/…` answers `answers[path]` (status and
    Retry-After), anything else answers 200 at once."""

    port: int = 0
    hits: list[Hit] = field(default_factory=list)
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def to(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            path = (await reader.readline()).decode().split()[1]
            headers: dict[str, str] = {}
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            await reader.readexactly(int(headers.get("content-length", "0")))
            hit = Hit(path, headers.get("x-dossier-event-id", ""), time.monotonic())
            self.hits.append(hit)
            try:
                if path.startswith("/slow/"):
                    await self._trickle(reader, writer)
                else:
                    status, extra = self.answers.get(path, ("200 OK", ""))
                    if path.startswith("/gone/"):
                        status = "410 Gone"
                    writer.write(
                        f"HTTP/1.1 {status}\r\n{extra}Content-Length: 2\r\n"
                        "Connection: close\r\n\r\nok".encode()
                    )
                    await writer.drain()
            finally:
                hit.closed = time.monotonic()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    @staticmethod
    async def _trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """A status line and then one endless header, a byte every 2 s, until the client hangs
        up or `TRICKLE_FOR_SECONDS` pass. Every read the client makes gets a byte in time."""
        ends = time.monotonic() + TRICKLE_FOR_SECONDS
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 1000:
            writer.write(bytes([byte]))
            await writer.drain()
            if time.monotonic() > ends:
                return
            try:
                if await asyncio.wait_for(reader.read(1), timeout=2.0) == b"":
                    return  # the client hung up
            except TimeoutError:
                continue


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def endpoints() -> AsyncIterator[Endpoints]:
    endpoints = Endpoints()
    server = await asyncio.start_server(endpoints.handle, "127.0.0.1", 0)
    endpoints.port = server.sockets[0].getsockname()[1]
    yield endpoints
    server.close()


@pytest.fixture(scope="module")
def slow_partner(stack: LocalStack) -> dict[str, str]:
    return create_partner(stack, f"Slow endpoints {secrets.token_hex(3)}")


@pytest.fixture(scope="module")
def fast_partner(stack: LocalStack) -> dict[str, str]:
    return create_partner(stack, f"Fast endpoints {secrets.token_hex(3)}")


def _client(gateway_url: str, partner: dict[str, str]) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": partner["api_key"]}, timeout=30
    )


def _path(kind: str) -> str:
    return f"/{kind}/{secrets.token_hex(6)}"


@contextmanager
def slow_providers(providers: Providers) -> Iterator[None]:
    """Sources answer slowly, so an analysis is still running when it is canceled."""
    providers.control(delay=1.0)
    try:
        yield
    finally:
        providers.control(delay=0)


async def register(client: httpx.AsyncClient, url: str) -> dict[str, Any]:
    response = await client.post("/api/v1/webhooks", json={"url": url, "events": [CANCELED]})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def cancel_one(client: httpx.AsyncClient) -> str:
    """An analysis canceled right away: its `analysis.canceled` event follows at once."""
    created = (await client.post("/api/v1/analyses", json=analysis_body())).json()
    canceled = await client.delete(f"/api/v1/analyses/{created['id']}")
    assert canceled.json()["status"] == "canceled", canceled.text
    return str(created["id"])


async def hits(endpoints: Endpoints, path: str, count: int = 1, timeout: float = 60) -> list[Hit]:
    async def probe() -> list[Hit] | None:
        got = endpoints.to(path)
        return got if len(got) >= count else None

    return await eventually(probe, timeout=timeout)


async def attempts(client: httpx.AsyncClient, webhook_id: str, count: int) -> list[dict[str, Any]]:
    """The endpoint's first `count` recorded attempts, oldest first."""

    async def listed() -> list[dict[str, Any]] | None:
        body = (await client.get(f"/api/v1/webhooks/{webhook_id}/deliveries")).json()
        data: list[dict[str, Any]] = body["data"]
        return data if len(data) >= count else None

    return sorted(await eventually(listed, timeout=60), key=lambda a: a["at"])[:count]


async def test_a_slow_endpoint_does_not_hold_up_another_partners_delivery(
    gateway_url: str,
    slow_partner: dict[str, str],
    fast_partner: dict[str, str],
    endpoints: Endpoints,
    providers: Providers,
) -> None:
    slow_path, fast_path = _path("slow"), _path("fast")
    async with (
        _client(gateway_url, slow_partner) as slow,
        _client(gateway_url, fast_partner) as fast,
    ):
        slow_hook = await register(slow, endpoints.url(slow_path))
        fast_hook = await register(fast, endpoints.url(fast_path))
        with slow_providers(providers):
            await cancel_one(slow)
            [first_slow] = await hits(endpoints, slow_path)
            await cancel_one(fast)
        [delivered] = await hits(endpoints, fast_path)
        slow_attempt_over_on_arrival = first_slow.closed is not None

        await slow.delete(f"/api/v1/webhooks/{slow_hook['id']}")
        await fast.delete(f"/api/v1/webhooks/{fast_hook['id']}")

    assert delivered.opened > first_slow.opened
    assert not slow_attempt_over_on_arrival, (
        "the fast partner's event waited for the slow endpoint's attempt to end"
    )


async def test_an_attempt_to_a_slow_endpoint_is_cut_at_the_deadline(
    gateway_url: str, slow_partner: dict[str, str], endpoints: Endpoints, providers: Providers
) -> None:
    path = _path("slow")
    async with _client(gateway_url, slow_partner) as slow:
        hook = await register(slow, endpoints.url(path))
        with slow_providers(providers):
            await cancel_one(slow)
        [first] = await attempts(slow, hook["id"], 1)
        await slow.delete(f"/api/v1/webhooks/{hook['id']}")

    assert first["status_code"] is None
    assert first["error"].startswith("timeout"), first["error"]
    assert "deadline" in first["error"]
    # Cut at the deadline: not before it, and long before the endpoint would have stopped.
    assert DEADLINE_SECONDS * 1000 - 100 <= first["duration_ms"] < TRICKLE_FOR_SECONDS * 1000 / 2
    hit = endpoints.to(path)[0]
    assert hit.closed is not None
    assert hit.closed - hit.opened < TRICKLE_FOR_SECONDS / 2, "the connection was hung up"


async def test_410_gone_disables_the_endpoint_and_nothing_more_is_sent(
    gateway_url: str,
    fast_partner: dict[str, str],
    endpoints: Endpoints,
    providers: Providers,
    stack: LocalStack,
) -> None:
    gone_path, witness_path = _path("gone"), _path("ok")
    async with _client(gateway_url, fast_partner) as client:
        gone = await register(client, endpoints.url(gone_path))
        witness = await register(client, endpoints.url(witness_path))
        with slow_providers(providers):
            await cancel_one(client)
        await hits(endpoints, gone_path)

        async def disabled() -> dict[str, Any] | None:
            body: dict[str, Any] = (await client.get(f"/api/v1/webhooks/{gone['id']}")).json()
            return body if body["enabled"] is False else None

        state = await eventually(disabled, timeout=30)
        with slow_providers(providers):
            await cancel_one(client)  # a second event: only the witness subscribes now
        await hits(endpoints, witness_path, count=2)
        await asyncio.sleep(2.5)  # the retry schedule (1 s) would have retried by now
        [attempt] = await attempts(client, gone["id"], 1)
        await client.delete(f"/api/v1/webhooks/{gone['id']}")
        await client.delete(f"/api/v1/webhooks/{witness['id']}")

    assert "410 Gone" in state["disabled_reason"]
    assert state["disabled_at"] is not None
    assert len(endpoints.to(gone_path)) == 1, "no retry and no later event"
    assert (attempt["status_code"], attempt["result"]) == (410, "failed")
    assert attempt["next_retry_at"] is None
    log = (stack.config.logs / "webhooks.log").read_text()
    assert gone["id"] in log
    assert "410 Gone" in log


@pytest.mark.parametrize("status", ["429 Too Many Requests", "503 Service Unavailable"])
async def test_retry_after_seconds_sets_the_next_attempt(
    gateway_url: str,
    fast_partner: dict[str, str],
    endpoints: Endpoints,
    providers: Providers,
    status: str,
) -> None:
    path = _path("throttled")
    endpoints.answers[path] = (status, "Retry-After: 120\r\n")
    async with _client(gateway_url, fast_partner) as client:
        hook = await register(client, endpoints.url(path))
        with slow_providers(providers):
            await cancel_one(client)
        [first] = await attempts(client, hook["id"], 1)
        await asyncio.sleep(2.5)  # the standard schedule (1 s) would have retried by now
        await client.delete(f"/api/v1/webhooks/{hook['id']}")

    at, next_at = (
        datetime.fromisoformat(first["at"]),
        datetime.fromisoformat(first["next_retry_at"]),
    )
    assert first["result"] == "retrying"
    assert next_at >= at + timedelta(seconds=120)
    assert len(endpoints.to(path)) == 1


async def test_retry_after_as_an_http_date_sets_the_next_attempt(
    gateway_url: str, fast_partner: dict[str, str], endpoints: Endpoints, providers: Providers
) -> None:
    path = _path("throttled")
    not_before = (datetime.now(UTC) + timedelta(seconds=300)).replace(microsecond=0)
    endpoints.answers[path] = (
        "503 Service Unavailable",
        f"Retry-After: {email.utils.format_datetime(not_before, usegmt=True)}\r\n",
    )
    async with _client(gateway_url, fast_partner) as client:
        hook = await register(client, endpoints.url(path))
        with slow_providers(providers):
            await cancel_one(client)
        [first] = await attempts(client, hook["id"], 1)
        await client.delete(f"/api/v1/webhooks/{hook['id']}")

    assert first["result"] == "retrying"
    assert datetime.fromisoformat(first["next_retry_at"]) >= not_before
