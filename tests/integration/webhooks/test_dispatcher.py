"""Fan-out and the delivery loop against a real MongoDB-protocol server and a loopback
endpoint: redelivered bus messages, competing replicas, a worker that died mid-attempt or
after recording it, the queue holding only work in flight, and failure streaks that two
replicas count together."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio

from dossier.contracts.timestamps import utcnow
from dossier.contracts.webhooks import WebhookEventType
from dossier.runtime.read_model import AnalysisReadModel
from dossier.runtime.sequenced_log import entry_id
from dossier.runtime.ssrf import Allowlist
from dossier.runtime.webhook_queue import delivery_id
from dossier.runtime.webhook_registry import WebhookRegistry, endpoint_entry
from dossier.webhooks.adapters.sender import WebhookSender
from dossier.webhooks.adapters.store import LOST, WebhookStore, attempt_id
from dossier.webhooks.dispatcher import Dispatcher, PdfLinks
from dossier.webhooks.domain.events import event_id
from dossier.webhooks.domain.schedule import RetrySchedule
from dossier.webhooks.handlers import fan_out

pytestmark = pytest.mark.integration

CANCELED = WebhookEventType.ANALYSIS_CANCELED


class Endpoint:
    def __init__(self) -> None:
        self.hits: list[bytes] = []
        self.port = 0
        self.status = "200 OK"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        headers = {}
        await reader.readline()
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        self.hits.append(await reader.readexactly(int(headers["content-length"])))
        await asyncio.sleep(0.2)  # a slow endpoint widens any double-send window
        writer.write(
            f"HTTP/1.1 {self.status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        writer.close()


@pytest_asyncio.fixture(loop_scope="session")
async def endpoint() -> AsyncIterator[Endpoint]:
    endpoint = Endpoint()
    server = await asyncio.start_server(endpoint.handle, "127.0.0.1", 0)
    endpoint.port = server.sockets[0].getsockname()[1]
    yield endpoint
    server.close()


async def _seed_analysis(db: Any, analysis_id: str = "an_1") -> None:
    await db.analyses.insert_one(
        {
            "_id": analysis_id,
            "partner_id": "ptn_1",
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


async def _seed(db: Any, endpoint: Endpoint, analyses: int = 1) -> None:
    """`analyses` canceled analyses of ptn_1, and wh_1 registered for their events."""
    for n in range(1, analyses + 1):
        await _seed_analysis(db, f"an_{n}")
    webhook = {
        "_id": "wh_1",
        "partner_id": "ptn_1",
        "environment": "live",
        "url": f"http://127.0.0.1:{endpoint.port}/hook",
        "events": [CANCELED.value],
        "secret": "whsec_test",
        "enabled": True,
        "created_at": utcnow() - timedelta(minutes=1),
        "disabled_at": None,
        "disabled_reason": None,
        "deleted_at": None,
    }
    await db.webhooks.insert_one(webhook)
    await WebhookRegistry(db).register("ptn_1", "live", endpoint_entry(webhook))


def _dispatcher(db: Any, schedule: str = "1", disable_after: int = 20) -> Dispatcher:
    return Dispatcher(
        store=WebhookStore(db),
        read_model=AnalysisReadModel(db),
        sender=WebhookSender(timeout_seconds=5, allowlist=Allowlist.parse("127.0.0.1")),
        links=PdfLinks("http://gateway", b"k" * 32, 60),
        schedule=RetrySchedule.parse(schedule),
        disable_after=disable_after,
        lease=timedelta(seconds=60),
        poll_seconds=0.1,
        max_in_flight=10,
    )


async def _fan_out(db: Any, analysis_id: str = "an_1") -> int:
    return await fan_out(
        CANCELED,
        analysis_id=analysis_id,
        partner_id="ptn_1",
        occurred_at=utcnow(),
        store=WebhookStore(db),
        read_model=AnalysisReadModel(db),
    )


async def _enabled(db: Any) -> bool:
    endpoint = await WebhookRegistry(db).endpoint("ptn_1", "live", "wh_1")
    assert endpoint is not None
    return bool(endpoint["enabled"])


async def _log(db: Any) -> list[dict[str, Any]]:
    """wh_1's attempt log in order (read by key, as the gateway does)."""
    entries = []
    for seq in range(1, 100):
        entry = await db.webhook_attempt_log.find_one({"_id": entry_id("wh_1", seq)})
        if entry is None:
            break
        entries.append(entry)
    return entries


async def test_a_redelivered_message_queues_no_second_delivery(
    mongo_db: Any, endpoint: Endpoint
) -> None:
    await _seed(mongo_db, endpoint)

    first, second = await _fan_out(mongo_db), await _fan_out(mongo_db)

    assert (first, second) == (1, 0)
    assert await mongo_db.webhook_deliveries.count_documents({}) == 1
    assert await mongo_db.webhook_pending.count_documents({}) == 1


async def test_a_redelivered_message_requeues_a_delivery_whose_queue_entry_was_lost(
    mongo_db: Any, endpoint: Endpoint
) -> None:
    """The fan-out stopped between recording the delivery and queueing it."""
    await _seed(mongo_db, endpoint)
    await _fan_out(mongo_db)
    await mongo_db.webhook_pending.delete_many({})

    assert await _fan_out(mongo_db) == 0
    assert await mongo_db.webhook_pending.count_documents({}) == 1


async def test_a_redelivered_message_does_not_requeue_a_finished_delivery(
    mongo_db: Any, endpoint: Endpoint
) -> None:
    await _seed(mongo_db, endpoint)
    await _fan_out(mongo_db)
    await _dispatcher(mongo_db).tick()
    before = len(endpoint.hits)

    await _fan_out(mongo_db)
    await _dispatcher(mongo_db).tick()

    assert await mongo_db.webhook_pending.count_documents({}) == 0
    assert len(endpoint.hits) == before


async def test_only_endpoints_of_the_partner_and_environment_get_a_delivery(
    mongo_db: Any, endpoint: Endpoint
) -> None:
    await _seed(mongo_db, endpoint)
    registry = WebhookRegistry(mongo_db)
    subscribed = {
        "events": [CANCELED.value],
        "enabled": True,
        "created_at": utcnow() - timedelta(minutes=1),
    }
    await registry.register("ptn_1", "test", {**subscribed, "id": "wh_sandbox"})
    await registry.register("ptn_2", "live", {**subscribed, "id": "wh_partner_2"})

    assert await _fan_out(mongo_db) == 1
    delivery = await mongo_db.webhook_deliveries.find_one(
        {"_id": delivery_id(event_id("an_1", CANCELED), "wh_1")}
    )
    assert delivery is not None


async def test_competing_replicas_send_each_attempt_once(mongo_db: Any, endpoint: Endpoint) -> None:
    await _seed(mongo_db, endpoint)
    await _fan_out(mongo_db)
    before = len(endpoint.hits)
    replicas = [_dispatcher(mongo_db) for _ in range(4)]

    await asyncio.gather(*(r.tick() for r in replicas))

    assert len(endpoint.hits) - before == 1
    assert await mongo_db.webhook_attempts.count_documents({}) == 1
    delivery = await mongo_db.webhook_deliveries.find_one({})
    assert delivery["status"] == "delivered"
    assert [e["result"] for e in await _log(mongo_db)] == ["delivered"]


async def test_the_queue_holds_only_deliveries_still_waiting(
    mongo_db: Any, endpoint: Endpoint
) -> None:
    await _seed(mongo_db, endpoint)
    await _fan_out(mongo_db)
    endpoint.status = "500 Internal Server Error"
    try:
        await _dispatcher(mongo_db, schedule="3600").tick()
    finally:
        endpoint.status = "200 OK"

    waiting = await mongo_db.webhook_pending.find_one({})
    assert waiting["attempts"] == 1
    assert waiting["next_attempt_at"] > utcnow() + timedelta(minutes=59)
    assert await _dispatcher(mongo_db).tick() == 0, "not due yet"

    await mongo_db.webhook_pending.update_one(
        {"_id": waiting["_id"]}, {"$set": {"next_attempt_at": utcnow()}}
    )
    await _dispatcher(mongo_db, schedule="3600").tick()

    assert await mongo_db.webhook_pending.count_documents({}) == 0
    delivery = await mongo_db.webhook_deliveries.find_one({})
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 2)


async def test_an_attempt_whose_worker_died_is_recorded_lost_and_retried(
    mongo_db: Any, endpoint: Endpoint
) -> None:
    await _seed(mongo_db, endpoint)
    await _fan_out(mongo_db)
    delivery = await mongo_db.webhook_deliveries.find_one({})
    store = WebhookStore(mongo_db)
    await store.claim(delivery["_id"], 1, timedelta(seconds=-1), "a worker that died")
    dispatcher = _dispatcher(mongo_db, schedule="0")
    before = len(endpoint.hits)

    await dispatcher.tick()  # finds attempt 1 claimed, its lease expired: records it lost
    await dispatcher.tick()  # attempt 2 is sent

    attempts = await mongo_db.webhook_attempts.find({}).sort("attempt", 1).to_list()
    assert [a["attempt"] for a in attempts] == [1, 2]
    assert attempts[0]["error"] == LOST
    assert attempts[1]["result"] == "delivered"
    assert len(endpoint.hits) - before == 1
    assert [(e["attempt"], e["error"]) for e in await _log(mongo_db)] == [(1, LOST), (2, None)]


async def test_an_attempt_recorded_by_a_worker_that_died_before_moving_on_is_not_resent(
    mongo_db: Any, endpoint: Endpoint
) -> None:
    await _seed(mongo_db, endpoint)
    await _fan_out(mongo_db)
    pending = await mongo_db.webhook_pending.find_one({})
    store = WebhookStore(mongo_db)
    await store.claim(pending["_id"], 1, timedelta(seconds=-1), "a worker that died")
    await store.record_attempt(
        {
            "_id": attempt_id(pending["_id"], 1),
            "delivery_id": pending["_id"],
            "webhook_id": "wh_1",
            "attempt": 1,
            "at": utcnow(),
            "result": "delivered",
            "status_code": 200,
            "error": None,
            "next_retry_at": None,
        }
    )
    before = len(endpoint.hits)

    await _dispatcher(mongo_db).tick()

    assert len(endpoint.hits) == before
    assert await mongo_db.webhook_pending.count_documents({}) == 0
    delivery = await mongo_db.webhook_deliveries.find_one({})
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 1)


async def test_failures_recorded_by_two_replicas_at_once_all_count(
    mongo_db: Any, endpoint: Endpoint
) -> None:
    """Six deliveries fail once each (no retries), three sent by each of two replicas at
    once: the streak reaches six only if no failure was lost, and then the endpoint is
    disabled."""
    await _seed(mongo_db, endpoint, analyses=6)
    for n in range(1, 7):
        await _fan_out(mongo_db, f"an_{n}")
    one, two = (_dispatcher(mongo_db, schedule="", disable_after=6) for _ in range(2))
    pending = await mongo_db.webhook_pending.find({}).to_list()
    endpoint.status = "500 Internal Server Error"
    try:
        await asyncio.gather(
            *(one.attempt(d) for d in pending[0::2]), *(two.attempt(d) for d in pending[1::2])
        )
    finally:
        endpoint.status = "200 OK"

    log = await _log(mongo_db)
    assert [e["streak"] for e in log] == [1, 2, 3, 4, 5, 6]
    assert {e["attempt_id"].split(":")[0] for e in log} == {d["event_id"] for d in pending}
    assert await mongo_db.webhook_pending.count_documents({}) == 0
    assert not await _enabled(mongo_db)
    endpoint_now = await WebhookRegistry(mongo_db).endpoint("ptn_1", "live", "wh_1")
    assert endpoint_now is not None
    assert endpoint_now["disabled_reason"] == "6 consecutive failed deliveries"


async def test_a_lost_attempt_does_not_count_toward_disabling(
    mongo_db: Any, endpoint: Endpoint
) -> None:
    await _seed(mongo_db, endpoint)
    await _fan_out(mongo_db)
    pending = await mongo_db.webhook_pending.find_one({})
    dispatcher = _dispatcher(mongo_db, schedule="0,0,0", disable_after=2)
    endpoint.status = "500 Internal Server Error"
    try:
        await dispatcher.tick()  # attempt 1 fails: streak 1
        await WebhookStore(mongo_db).claim(
            pending["_id"], 2, timedelta(seconds=-1), "a worker that died"
        )
        await dispatcher.tick()  # attempt 2 is lost: still 1
        enabled_after_lost = await _enabled(mongo_db)
        await dispatcher.tick()  # attempt 3 fails: 2
    finally:
        endpoint.status = "200 OK"

    assert [e["streak"] for e in await _log(mongo_db)] == [1, 1, 2]
    assert enabled_after_lost
    assert not await _enabled(mongo_db)


async def test_a_disabled_endpoint_gets_no_more_attempts(mongo_db: Any, endpoint: Endpoint) -> None:
    await _seed(mongo_db, endpoint, analyses=2)
    await _fan_out(mongo_db, "an_1")
    await WebhookRegistry(mongo_db).disable("ptn_1", "live", "wh_1", "test", utcnow())
    before = len(endpoint.hits)

    await _dispatcher(mongo_db).tick()

    assert len(endpoint.hits) == before
    assert await mongo_db.webhook_pending.count_documents({}) == 0
    delivery = await mongo_db.webhook_deliveries.find_one({})
    assert delivery["status"] == "abandoned"
    assert await _fan_out(mongo_db, "an_2") == 0, "no delivery is queued for it"
