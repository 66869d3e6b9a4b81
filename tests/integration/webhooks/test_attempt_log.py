"""Each endpoint's attempt log against a real MongoDB-protocol server: appended by several
dispatchers at once without losing a failure from the streak, listed newest first by key."""

import asyncio
from typing import Any

import pytest

from dossier.contracts.timestamps import utcnow
from dossier.gateway.webhooks.repository import WebhookRepository
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
    return await store.log_attempt(record(delivery), lambda before: streak_after(before, False))


async def hint_reaches(db: Any, seq: int, timeout: float = 5) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while (head := await db.webhook_attempt_log_heads.find_one({"_id": "wh_1"})) is None or int(
        head["seq"]
    ) < seq:
        assert asyncio.get_running_loop().time() < deadline, "the head hint never caught up"
        await asyncio.sleep(0.01)


async def test_failures_logged_by_two_dispatchers_at_once_all_count(mongo_db: Any) -> None:
    one, two = WebhookStore(mongo_db), WebhookStore(mongo_db)

    await asyncio.gather(
        *(log_failure(one, f"d{n}") for n in range(0, 20, 2)),
        *(log_failure(two, f"d{n}") for n in range(1, 20, 2)),
    )

    listed = await WebhookRepository(mongo_db).attempts("wh_1", 100)
    assert [e["streak"] for e in listed] == list(range(20, 0, -1))
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
    await mongo_db.webhook_attempt_log.delete_many({"analysis_id": "an_d2"})

    listed = await WebhookRepository(mongo_db).attempts("wh_1", 100)

    assert [e["delivery_id"] for e in listed] == ["d3", "d1", "d0"]


async def test_listing_finds_attempts_its_head_hint_has_not_caught_up_with(
    mongo_db: Any,
) -> None:
    store = WebhookStore(mongo_db)
    for n in range(5):
        await log_failure(store, f"d{n}")
    await hint_reaches(mongo_db, 5)  # written off the append's path; let it land first
    await mongo_db.webhook_attempt_log_heads.update_one({"_id": "wh_1"}, {"$set": {"seq": 2}})

    listed = await WebhookRepository(mongo_db).attempts("wh_1", 2)

    assert [e["delivery_id"] for e in listed] == ["d4", "d3"]


async def test_an_endpoint_without_attempts_lists_none(mongo_db: Any) -> None:
    assert await WebhookRepository(mongo_db).attempts("wh_none", 100) == []
