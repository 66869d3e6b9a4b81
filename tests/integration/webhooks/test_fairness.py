"""The delivery loop with slow endpoints, against a real MongoDB-protocol server and loopback
endpoints: attempts run side by side, so a slow endpoint holds only its own slots, a partner
never takes more than its share, and everyone else's deliveries keep flowing."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio

from dossier.contracts.timestamps import utcnow
from dossier.contracts.webhooks import WebhookEventType
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.ssrf import Allowlist
from dossier.runtime.webhook_registry import WebhookRegistry, endpoint_entry
from dossier.webhooks.adapters.sender import WebhookSender
from dossier.webhooks.adapters.store import WebhookStore
from dossier.webhooks.dispatcher import Dispatcher, PdfLinks
from dossier.webhooks.domain.schedule import RetrySchedule
from dossier.webhooks.handlers import fan_out

pytestmark = pytest.mark.integration

CANCELED = WebhookEventType.ANALYSIS_CANCELED


class Endpoints:
    """`/slow/…` holds the request open (trickling header bytes) until `release`; anything
    else answers 200 at once. Counts requests per path and those still open."""

    def __init__(self) -> None:
        self.port = 0
        self.hits: dict[str, int] = {}
        self.open: dict[str, int] = {}
        self.release = asyncio.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        path = (await reader.readline()).decode().split()[1]
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        await reader.readexactly(length)
        self.hits[path] = self.hits.get(path, 0) + 1
        self.open[path] = self.open.get(path, 0) + 1
        try:
            if path.startswith("/slow/"):
                writer.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while not self.release.is_set():
                    writer.write(b"z")
                    await writer.drain()
                    await asyncio.sleep(0.5)
                writer.write(b"\r\nContent-Length: 0\r\n\r\n")
            else:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
        except ConnectionError:
            pass
        finally:
            self.open[path] -= 1
            writer.close()


@pytest_asyncio.fixture(loop_scope="session")
async def endpoints() -> AsyncIterator[Endpoints]:
    endpoints = Endpoints()
    server = await asyncio.start_server(endpoints.handle, "127.0.0.1", 0)
    endpoints.port = server.sockets[0].getsockname()[1]
    yield endpoints
    endpoints.release.set()
    server.close()


async def _webhook(db: Any, partner: str, webhook_id: str, url: str) -> None:
    webhook = {
        "_id": webhook_id,
        "partner_id": partner,
        "environment": "live",
        "url": url,
        "events": [CANCELED.value],
        "secret": "whsec_test",
        "enabled": True,
        "created_at": utcnow() - timedelta(minutes=1),
        "disabled_at": None,
        "disabled_reason": None,
        "deleted_at": None,
    }
    await db.webhooks.insert_one(webhook)
    await WebhookRegistry(db).register(partner, "live", endpoint_entry(webhook))


async def _event(db: Any, partner: str, analysis_id: str) -> None:
    """A canceled analysis of `partner`, fanned out to its endpoints."""
    await db.analyses.insert_one(
        {
            "_id": analysis_id,
            "partner_id": partner,
            "environment": "live",
            "candidate_id": "cand_1",
            "client_id": "client_1",
            "status": "queued",
            "created_at": utcnow() - timedelta(minutes=1),
        }
    )
    await db.analysis_outcomes.insert_one(
        {"_id": analysis_id, "status": "canceled", "decided_at": utcnow()}
    )
    await fan_out(
        CANCELED,
        analysis_id=analysis_id,
        partner_id=partner,
        occurred_at=utcnow(),
        store=WebhookStore(db),
        read_model=AnalysisReadModel(db),
    )


def _dispatcher(db: Any, *, total: int, per_partner: int, per_endpoint: int) -> Dispatcher:
    return Dispatcher(
        store=WebhookStore(db),
        read_model=AnalysisReadModel(db),
        sender=WebhookSender(
            timeout_seconds=30, allowlist=Allowlist.parse("127.0.0.1"), deadline_seconds=60
        ),
        links=PdfLinks("http://gateway", b"k" * 32, 60),
        schedule=RetrySchedule.parse("1"),
        disable_after=20,
        lease=timedelta(seconds=120),
        poll_seconds=0.1,
        max_in_flight=total,
        max_in_flight_per_partner=per_partner,
        max_in_flight_per_endpoint=per_endpoint,
    )


async def _until(condition: Any, timeout: float = 30) -> None:
    async def wait() -> None:
        while not condition():
            await asyncio.sleep(0.05)

    await asyncio.wait_for(wait(), timeout)


async def _finished(db: Any, webhook_id: str) -> dict[str, Any]:
    """The endpoint's one delivery, once it has left the queue."""
    for _ in range(600):
        delivery: dict[str, Any] | None = await db.webhook_deliveries.find_one(
            {"webhook_id": webhook_id}
        )
        if delivery is not None and delivery["status"] != "pending":
            return delivery
        await asyncio.sleep(0.05)
    pytest.fail(f"the delivery to {webhook_id} did not finish")


async def test_a_partner_with_slow_endpoints_takes_only_its_share_of_slots(
    mongo_db: Any, endpoints: Endpoints
) -> None:
    """Three slots, two per partner: the slow partner's three slow endpoints get two; the
    other partner's delivery, queued after them, goes out while both are still held."""
    endpoints.release.clear()
    for n in range(3):
        await _webhook(mongo_db, "ptn_slow", f"wh_slow_{n}", endpoints.url(f"/slow/{n}"))
    await _webhook(mongo_db, "ptn_fast", "wh_fast", endpoints.url("/fast"))
    dispatcher = _dispatcher(mongo_db, total=3, per_partner=2, per_endpoint=2)
    loop = asyncio.create_task(dispatcher.run_forever())
    try:
        await _event(mongo_db, "ptn_slow", "an_slow")
        await _until(lambda: sum(endpoints.open.get(f"/slow/{n}", 0) for n in range(3)) == 2)
        await _event(mongo_db, "ptn_fast", "an_fast")
        await _until(lambda: endpoints.hits.get("/fast", 0) == 1)
        fast = await _finished(mongo_db, "wh_fast")
        slow_open = sum(endpoints.open.get(f"/slow/{n}", 0) for n in range(3))
        slow_hits = sum(endpoints.hits.get(f"/slow/{n}", 0) for n in range(3))
    finally:
        endpoints.release.set()
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)

    assert (slow_open, slow_hits) == (2, 2), (
        f"the third slow one waited for a slot: {endpoints.hits}"
    )
    assert fast["status"] == "delivered"


async def test_a_slow_endpoint_does_not_hold_up_its_partners_other_endpoints(
    mongo_db: Any, endpoints: Endpoints
) -> None:
    """One slot per endpoint: two events for a slow endpoint occupy one slot; the same
    partner's fast endpoint is delivered both events meanwhile."""
    endpoints.release.clear()
    await _webhook(mongo_db, "ptn_1", "wh_slow", endpoints.url("/slow/one"))
    await _webhook(mongo_db, "ptn_1", "wh_fast", endpoints.url("/fast/one"))
    dispatcher = _dispatcher(mongo_db, total=10, per_partner=10, per_endpoint=1)
    loop = asyncio.create_task(dispatcher.run_forever())
    try:
        await _event(mongo_db, "ptn_1", "an_1")
        await _event(mongo_db, "ptn_1", "an_2")
        await _until(lambda: endpoints.hits.get("/fast/one", 0) == 2)
        await asyncio.sleep(0.5)  # a few more polls: the second slow one stays queued
        slow = (endpoints.open.get("/slow/one", 0), endpoints.hits.get("/slow/one", 0))
        endpoints.release.set()
        await _until(lambda: endpoints.hits.get("/slow/one", 0) == 2)
    finally:
        endpoints.release.set()
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)

    assert slow == (1, 1)


async def test_stopping_the_loop_stops_the_attempts_in_flight(
    mongo_db: Any, endpoints: Endpoints
) -> None:
    endpoints.release.clear()
    await _webhook(mongo_db, "ptn_1", "wh_slow", endpoints.url("/slow/stop"))
    dispatcher = _dispatcher(mongo_db, total=2, per_partner=2, per_endpoint=2)
    loop = asyncio.create_task(dispatcher.run_forever())
    await _event(mongo_db, "ptn_1", "an_1")
    await _until(lambda: endpoints.open.get("/slow/stop", 0) == 1)

    loop.cancel()
    await asyncio.gather(loop, return_exceptions=True)

    await _until(lambda: endpoints.open.get("/slow/stop", 0) == 0, timeout=10)
    assert dispatcher.slots.free == 2
    assert await mongo_db.webhook_attempts.count_documents({}) == 0, "left to the lease"
