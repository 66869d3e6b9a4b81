"""Each endpoint's attempt log against a real MongoDB-protocol server: appended by several
dispatchers at once without losing a failure from the streak, listed newest first by key."""

import asyncio
from typing import Any

import pytest

from dossier.contracts.timestamps import utcnow
from dossier.gateway.webhooks.repository import WebhookRepository
from dossier.runtime.sequenced_log import entry_id
from dossier.webhooks.adapters.store import WebhookStore, attempt_id
from dossier.webhooks.domain.schedule import streak_after

pytestmark = pytest.mark.integration


def record(delivery: str, attempt: int = 1) -> dict[str, Any]:
    return {
        "_id": attempt_id(delivery, attempt),
        "delivery_id": delivery,
        "webhook_id": "wh_1",
        "partner_id": "ptn_1",
        "event_id": f"evt_{delivery}",
        "event_type": "analysis.completed",
        "analysis_id": f"an_{delivery}",
        "attempt": attempt,
        "at": utcnow(),
        "result": "failed",
        "status_code": 500,
        "error": None,
        "duration_ms": 3,
        "next_retry_at": None,
    }


async def log_failure(store: WebhookStore, delivery: str) -> dict[str, Any]:
    """Record a failed attempt and log it, as the dispatcher does."""
    failed = record(delivery)
    await store.record_attempt(failed)
    return await store.log_attempt(failed, lambda before: streak_after(before, False))


async def erase(db: Any, analysis_id: str) -> None:
    """What erasure does to every collection it has no special rule for."""
    for name in await db.list_collection_names():
        await db[name].delete_many(
            {"$or": [{"analysis_id": {"$in": [analysis_id]}}, {"resource_id": analysis_id}]}
        )


async def test_failures_logged_by_two_dispatchers_at_once_all_count(mongo_db: Any) -> None:
    one, two = WebhookStore(mongo_db), WebhookStore(mongo_db)

    await asyncio.gather(
        *(log_failure(one, f"d{n}") for n in range(0, 20, 2)),
        *(log_failure(two, f"d{n}") for n in range(1, 20, 2)),
    )

    log = [
        await mongo_db.webhook_attempt_log.find_one({"_id": entry_id("wh_1", seq)})
        for seq in range(1, 21)
    ]
    assert [e["streak"] for e in log] == list(range(1, 21))
    listed = await WebhookRepository(mongo_db).attempts("wh_1", 100)
    assert sorted(e["delivery_id"] for e in listed) == sorted(f"d{n}" for n in range(20))


async def test_a_success_resets_the_streak_in_the_log(mongo_db: Any) -> None:
    store = WebhookStore(mongo_db)
    await log_failure(store, "d1")
    await store.log_attempt(record("d2"), lambda before: streak_after(before, True))

    entry = await log_failure(store, "d3")

    assert entry["streak"] == 1


async def test_listing_reads_the_newest_attempts_first(mongo_db: Any) -> None:
    store = WebhookStore(mongo_db)
    for n in range(7):
        await log_failure(store, f"d{n}")

    listed = await WebhookRepository(mongo_db).attempts("wh_1", 3)

    assert [e["delivery_id"] for e in listed] == ["d6", "d5", "d4"]


async def test_listing_skips_an_attempt_erased_with_its_analysis(mongo_db: Any) -> None:
    store = WebhookStore(mongo_db)
    for n in range(4):
        await log_failure(store, f"d{n}")

    await erase(mongo_db, "an_d2")
    listed = await WebhookRepository(mongo_db).attempts("wh_1", 100)

    assert [e["delivery_id"] for e in listed] == ["d3", "d1", "d0"]


async def test_erasing_an_analysis_leaves_the_streak_whole(mongo_db: Any) -> None:
    for n in range(4):
        await log_failure(WebhookStore(mongo_db), f"d{n}")

    await erase(mongo_db, "an_d3")
    entry = await log_failure(WebhookStore(mongo_db), "d4")  # a dispatcher just started

    assert (entry["seq"], entry["streak"]) == (5, 5)
    logged = await mongo_db.webhook_attempt_log.find({}).to_list()
    assert not [e for e in logged if "an_d3" in str(e)], "the log names no analysis"


async def test_listing_finds_the_last_attempt_of_a_long_log(mongo_db: Any) -> None:
    """Written by another process: the listing's search starts from nothing."""
    for seq in range(1, 301):
        attempt = record(f"d{seq}")
        await mongo_db.webhook_attempts.insert_one(attempt)
        await mongo_db.webhook_attempt_log.insert_one(
            {"_id": entry_id("wh_1", seq), "seq": seq, "attempt_id": attempt["_id"]}
        )

    listed = await WebhookRepository(mongo_db).attempts("wh_1", 2)

    assert [e["delivery_id"] for e in listed] == ["d300", "d299"]


async def test_an_endpoint_without_attempts_lists_none(mongo_db: Any) -> None:
    assert await WebhookRepository(mongo_db).attempts("wh_none", 100) == []
