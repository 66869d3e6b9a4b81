"""Webhooks over HTTP: registration, signed deliveries to a loopback receiver, retries after
500s, every attempt listed, SSRF refusal, partner and environment isolation, auto-disable."""

import asyncio
import base64
import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pymongo.asynchronous.database import AsyncDatabase

from dossier.devstack.stack import LocalStack
from dossier.webhooks.domain.signature import verify_signature
from tests.e2e.conftest import Providers, create_partner, eventually
from tests.e2e.helpers import analysis_body, wait_terminal

COMPLETED, FAILED, CANCELED = "analysis.completed", "analysis.failed", "analysis.canceled"


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    """A partner's endpoint on loopback: records every request, answers as planned per event."""

    port: int = 0
    received: list[Delivery] = field(default_factory=list)
    failures_per_event: dict[str, int] = field(default_factory=dict)
    _answered: dict[tuple[str, str], int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def fail_first(self, path: str, times: int) -> None:
        """Answer 500 to the first `times` attempts of each event on `path`, then 200."""
        self.failures_per_event[path] = times

    def to(self, path: str, analysis_id: str | None = None) -> list[Delivery]:
        return [
            d
            for d in self.received
            if d.path == path
            and (analysis_id is None or d.event["data"]["analysis"]["id"] == analysis_id)
        ]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = (await reader.readline()).decode()
            headers: dict[str, str] = {}
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            path = request_line.split()[1]
            self.received.append(Delivery(path, headers, body))
            key = (path, headers.get("x-dossier-event-id", ""))
            self._answered[key] = self._answered.get(key, 0) + 1
            failing = self._answered[key] <= self.failures_per_event.get(path, 0)
            status = "500 Internal Server Error" if failing else "200 OK"
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".encode()
            )
            await writer.drain()
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def listening() -> AsyncIterator[Receiver]:
    """A `Receiver` serving on a free loopback port until the block ends."""
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    try:
        yield receiver
    finally:
        server.close()
        await server.wait_closed()


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def receiver() -> AsyncIterator[Receiver]:
    async with listening() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def hooks_partner(stack: LocalStack) -> dict[str, str]:
    """A partner of its own: its webhooks receive only this file's analyses."""
    return create_partner(stack, f"Webhooks {secrets.token_hex(3)}")


@pytest_asyncio.fixture(loop_scope="session")
async def hooks(
    gateway_url: str, hooks_partner: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": hooks_partner["api_key"]}, timeout=30
    ) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def sandbox(
    gateway_url: str, hooks_partner: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": hooks_partner["test_api_key"]}, timeout=30
    ) as client:
        yield client


def _path() -> str:
    return f"/hook/{secrets.token_hex(6)}"


async def register(
    client: httpx.AsyncClient, url: str, events: list[str] | None = None
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/webhooks", json={"url": url, "events": events or [COMPLETED]}
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def run_analysis(client: httpx.AsyncClient) -> dict[str, Any]:
    created = (await client.post("/api/v1/analyses", json=analysis_body())).json()
    return await wait_terminal(client, created["id"])


async def received(
    receiver: Receiver, path: str, analysis_id: str, count: int = 1, timeout: float = 60
) -> list[Delivery]:
    async def probe() -> list[Delivery] | None:
        got = receiver.to(path, analysis_id)
        return got if len(got) >= count else None

    return await eventually(probe, timeout=timeout)


# registration ------------------------------------------------------------------------------
async def test_registration_returns_id_and_secret_once(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    response = await hooks.post(
        "/api/v1/webhooks", json={"url": receiver.url(_path()), "events": [COMPLETED, FAILED]}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("wh_")
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"), validate=True)) == 32
    assert body["events"] == [COMPLETED, FAILED]
    assert body["enabled"] is True
    assert body["created_at"].endswith("Z")


async def test_secret_is_never_shown_again(hooks: httpx.AsyncClient, receiver: Receiver) -> None:
    created = await register(hooks, receiver.url(_path()))

    one = await hooks.get(f"/api/v1/webhooks/{created['id']}")
    listing = await hooks.get("/api/v1/webhooks")

    assert one.status_code == 200
    assert "secret" not in one.json()
    assert created["secret"] not in one.text
    assert listing.status_code == 200
    assert created["id"] in [w["id"] for w in listing.json()["data"]]
    assert created["secret"] not in listing.text


@pytest.mark.parametrize(
    "url", ["https://10.0.0.5/hook", "http://example.com/hook", "https://localhost/x"]
)
async def test_private_loopback_and_plain_http_targets_are_refused(
    hooks: httpx.AsyncClient, url: str
) -> None:
    response = await hooks.post("/api/v1/webhooks", json={"url": url, "events": [COMPLETED]})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/webhook-url-refused")


@pytest.mark.parametrize("events", [[], ["analysis.started"]])
async def test_events_must_be_known_and_not_empty(
    hooks: httpx.AsyncClient, receiver: Receiver, events: list[str]
) -> None:
    response = await hooks.post(
        "/api/v1/webhooks", json={"url": receiver.url("/x"), "events": events}
    )

    assert response.status_code == 422
    assert response.json()["type"].endswith("/validation-error")


async def test_another_partners_webhook_is_not_found(
    hooks: httpx.AsyncClient, receiver: Receiver, gateway_url: str, other_partner: dict[str, str]
) -> None:
    created = await register(hooks, receiver.url(_path()))

    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": other_partner["api_key"]}, timeout=30
    ) as other:
        one = await other.get(f"/api/v1/webhooks/{created['id']}")
        deliveries = await other.get(f"/api/v1/webhooks/{created['id']}/deliveries")
        delete = await other.delete(f"/api/v1/webhooks/{created['id']}")
        listing = await other.get("/api/v1/webhooks")

    assert (one.status_code, deliveries.status_code, delete.status_code) == (404, 404, 404)
    assert created["id"] not in listing.text
    assert (await hooks.get(f"/api/v1/webhooks/{created['id']}")).status_code == 200


async def test_key_without_webhooks_scope_is_denied(
    hooks: httpx.AsyncClient, gateway_url: str
) -> None:
    minted = await hooks.post(
        "/api/v1/keys", json={"name": "read only", "scopes": ["analyses:read"]}
    )
    assert minted.status_code == 201, minted.text

    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-API-Key": minted.json()["key"]}, timeout=30
    ) as limited:
        response = await limited.post(
            "/api/v1/webhooks", json={"url": "https://example.com/x", "events": [COMPLETED]}
        )
        listing = await limited.get("/api/v1/webhooks")

    assert response.status_code == 403
    assert response.json()["type"].endswith("/insufficient-scope")
    assert listing.status_code == 403


async def test_delete_removes_the_webhook_and_is_audited(
    hooks: httpx.AsyncClient,
    receiver: Receiver,
    db: AsyncDatabase[dict[str, Any]],
    hooks_partner: dict[str, str],
) -> None:
    created = await register(hooks, receiver.url(_path()))

    deleted = await hooks.delete(f"/api/v1/webhooks/{created['id']}")

    assert deleted.status_code == 204
    assert (await hooks.get(f"/api/v1/webhooks/{created['id']}")).status_code == 404
    assert (await hooks.delete(f"/api/v1/webhooks/{created['id']}")).status_code == 404
    actions = {
        e["action"]
        async for e in db.audit_trail.find(
            {"partner_id": hooks_partner["partner_id"], "target": created["id"]}
        )
    }
    assert actions == {"webhook.created", "webhook.deleted"}


async def test_an_environment_holds_at_most_ten_endpoints(
    stack: LocalStack, gateway_url: str, receiver: Receiver
) -> None:
    capped = create_partner(stack, f"Webhook cap {secrets.token_hex(3)}")
    body = {"url": receiver.url(_path()), "events": [COMPLETED]}

    async with (
        httpx.AsyncClient(
            base_url=gateway_url, headers={"X-API-Key": capped["api_key"]}, timeout=30
        ) as live,
        httpx.AsyncClient(
            base_url=gateway_url, headers={"X-API-Key": capped["test_api_key"]}, timeout=30
        ) as test,
    ):
        created = [await register(live, receiver.url(_path())) for _ in range(10)]
        refused = await live.post("/api/v1/webhooks", json=body)
        listing = (await live.get("/api/v1/webhooks")).json()["data"]
        in_test = await test.post("/api/v1/webhooks", json=body)
        deleted = await live.delete(f"/api/v1/webhooks/{created[0]['id']}")
        after_delete = await live.post("/api/v1/webhooks", json=body)

    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"].endswith("/webhook-limit-reached")
    assert "At most 10 webhook endpoints per environment" in problem["detail"]
    assert [w["id"] for w in listing] == [w["id"] for w in created], "the refused one is not kept"
    assert in_test.status_code == 201, "the sandbox has its own ten"
    assert deleted.status_code == 204
    assert after_delete.status_code == 201, "deleting one makes room"


# deliveries --------------------------------------------------------------------------------
async def test_completed_analysis_is_delivered_signed_with_the_resource(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))

    done = await run_analysis(hooks)
    [delivery] = await received(receiver, path, done["id"])

    assert done["status"] == "completed"
    assert verify_signature(
        webhook["secret"], delivery.headers["x-dossier-signature"], delivery.body, now=time.time()
    )
    event = delivery.event
    assert event["id"].startswith("evt_")
    assert event["type"] == COMPLETED
    assert event["occurred_at"].endswith("Z")
    assert delivery.headers["x-dossier-event-id"] == event["id"]
    assert delivery.headers["x-dossier-event-type"] == COMPLETED
    assert delivery.headers["content-type"] == "application/json"
    assert delivery.headers["user-agent"] == "Dossier-Webhooks/1.0"
    analysis = event["data"]["analysis"]
    assert analysis["status"] == "completed"
    assert analysis["report"] == done["report"]
    assert analysis["updated_at"] == done["updated_at"]
    assert analysis["metadata"]["pdf_download_url"].startswith("http")
    assert httpx.get(analysis["metadata"]["report_url"], timeout=10).status_code == 200
    assert set(analysis) == set(done)
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_signature_does_not_verify_with_another_secret(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))

    done = await run_analysis(hooks)
    [delivery] = await received(receiver, path, done["id"])

    assert not verify_signature(
        "whsec_" + "0" * 64, delivery.headers["x-dossier-signature"], delivery.body, now=time.time()
    )
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_retries_after_500s_and_lists_every_attempt(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    path = _path()
    receiver.fail_first(path, 2)
    webhook = await register(hooks, receiver.url(path))

    done = await run_analysis(hooks)
    attempts = await received(receiver, path, done["id"], count=3)

    assert len({a.headers["x-dossier-event-id"] for a in attempts}) == 1, "one event, retried"
    event_id = attempts[0].headers["x-dossier-event-id"]

    async def listed() -> list[dict[str, Any]] | None:
        body = (await hooks.get(f"/api/v1/webhooks/{webhook['id']}/deliveries")).json()
        mine = [a for a in body["data"] if a["event_id"] == event_id]
        return mine if len(mine) == 3 and any(a["result"] == "delivered" for a in mine) else None

    records = sorted(await eventually(listed, timeout=30), key=lambda a: a["attempt"])
    assert [a["attempt"] for a in records] == [1, 2, 3]
    assert [a["status_code"] for a in records] == [500, 500, 200]
    assert [a["result"] for a in records] == ["retrying", "retrying", "delivered"]
    assert records[0]["next_retry_at"] is not None
    assert records[2]["next_retry_at"] is None
    assert all(a["event_type"] == COMPLETED and a["analysis_id"] == done["id"] for a in records)
    assert all(a["duration_ms"] >= 0 and a["at"].endswith("Z") for a in records)
    await asyncio.sleep(2.5)  # the schedule would have retried by now
    assert len(receiver.to(path, done["id"])) == 3, "no attempt after the delivery succeeded"
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_canceled_analysis_delivers_analysis_canceled(
    hooks: httpx.AsyncClient, receiver: Receiver, providers: Providers
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path), [CANCELED])
    providers.control(delay=1.0)
    try:
        created = (await hooks.post("/api/v1/analyses", json=analysis_body())).json()
        canceled = await hooks.delete(f"/api/v1/analyses/{created['id']}")
    finally:
        providers.control(delay=0)
    assert canceled.json()["status"] == "canceled"

    [delivery] = await received(receiver, path, created["id"])

    assert delivery.event["type"] == CANCELED
    assert delivery.headers["x-dossier-event-type"] == CANCELED
    assert delivery.event["data"]["analysis"]["status"] == "canceled"
    assert delivery.event["data"]["analysis"]["report"] is None
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")


async def test_sandbox_events_reach_only_sandbox_webhooks(
    hooks: httpx.AsyncClient,
    sandbox: httpx.AsyncClient,
    receiver: Receiver,
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    live_path, test_path = _path(), _path()
    live = await register(hooks, receiver.url(live_path))
    test = await register(sandbox, receiver.url(test_path))

    assert test["id"] not in (await hooks.get("/api/v1/webhooks")).text
    assert live["id"] not in (await sandbox.get("/api/v1/webhooks")).text
    assert (await hooks.get(f"/api/v1/webhooks/{test['id']}")).status_code == 404

    done = await run_analysis(sandbox)
    await received(receiver, test_path, done["id"])

    # Both deliveries would have been queued by the same bus message.
    assert await db.webhook_deliveries.find_one({"webhook_id": live["id"]}) is None
    assert receiver.to(live_path) == []
    await hooks.delete(f"/api/v1/webhooks/{live['id']}")
    await sandbox.delete(f"/api/v1/webhooks/{test['id']}")


async def test_endpoint_failing_every_attempt_is_disabled(
    hooks: httpx.AsyncClient, receiver: Receiver
) -> None:
    """The e2e stack disables after 4 consecutive failures (DOSSIER_WEBHOOK_DISABLE_AFTER;
    20 by default); the schedule would allow 6 attempts."""
    path = _path()
    receiver.fail_first(path, 1000)
    webhook = await register(hooks, receiver.url(path))

    done = await run_analysis(hooks)

    async def disabled() -> dict[str, Any] | None:
        body: dict[str, Any] = (await hooks.get(f"/api/v1/webhooks/{webhook['id']}")).json()
        return body if body["enabled"] is False else None

    state = await eventually(disabled, timeout=60)
    assert state["disabled_at"] is not None
    assert "4 consecutive" in state["disabled_reason"]
    await asyncio.sleep(2.5)  # a retry would have come by now
    attempts = receiver.to(path, done["id"])
    assert len(attempts) == 4
    listed = (await hooks.get(f"/api/v1/webhooks/{webhook['id']}/deliveries")).json()["data"]
    assert [a["status_code"] for a in listed] == [500, 500, 500, 500]


async def test_delivery_metrics_are_exported(
    hooks: httpx.AsyncClient, receiver: Receiver, stack: LocalStack
) -> None:
    path = _path()
    webhook = await register(hooks, receiver.url(path))
    done = await run_analysis(hooks)
    await received(receiver, path, done["id"])

    async def scraped() -> str | None:
        port = stack.config.ports["webhooks"]
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        ok = 'dossier_webhook_deliveries_total{result="delivered"}' in text
        return text if ok and "dossier_webhook_delivery_duration_seconds_count" in text else None

    await eventually(scraped, timeout=15)
    await hooks.delete(f"/api/v1/webhooks/{webhook['id']}")
