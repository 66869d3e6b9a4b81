"""The webhook registry against a real MongoDB-protocol server: concurrent changes decided
by unique inserts (none lost, the cap holds), reads by key that a stale hint cannot fool."""

import asyncio
from typing import Any

import pytest

from dossier.contracts.timestamps import utcnow
from dossier.runtime.sequenced_log import entry_id
from dossier.runtime.webhook_registry import (
    MAX_ENDPOINTS,
    EndpointLimitReachedError,
    WebhookRegistry,
)

pytestmark = pytest.mark.integration


def entry(webhook_id: str) -> dict[str, Any]:
    return {
        "id": webhook_id,
        "url": f"https://hooks.example.com/{webhook_id}",
        "events": ["analysis.completed"],
        "created_at": utcnow(),
        "enabled": True,
        "disabled_at": None,
        "disabled_reason": None,
    }


async def test_a_partner_without_endpoints_has_an_empty_list(mongo_db: Any) -> None:
    assert await WebhookRegistry(mongo_db).endpoints("ptn_none", "live") == []


async def test_concurrent_registrations_never_exceed_the_limit(mongo_db: Any) -> None:
    """Fifteen registrations at once, each through its own registry (as from replicas)."""

    async def register(n: int) -> bool:
        try:
            await WebhookRegistry(mongo_db).register("ptn_1", "live", entry(f"wh_{n}"))
        except EndpointLimitReachedError:
            return False
        return True

    accepted = await asyncio.gather(*(register(n) for n in range(15)))

    listed = await WebhookRegistry(mongo_db).endpoints("ptn_1", "live")
    assert sum(accepted) == MAX_ENDPOINTS
    assert sorted(e["id"] for e in listed) == sorted(
        f"wh_{n}" for n, ok in enumerate(accepted) if ok
    )


async def test_environments_have_their_own_lists(mongo_db: Any) -> None:
    registry = WebhookRegistry(mongo_db)
    for n in range(MAX_ENDPOINTS):
        await registry.register("ptn_1", "live", entry(f"wh_live_{n}"))

    await registry.register("ptn_1", "test", entry("wh_test"))

    assert [e["id"] for e in await registry.endpoints("ptn_1", "test")] == ["wh_test"]
    assert await registry.endpoint("ptn_1", "test", "wh_live_0") is None


async def test_racing_deletes_and_a_disable_lose_no_change(mongo_db: Any) -> None:
    registry = WebhookRegistry(mongo_db)
    for n in range(6):
        await registry.register("ptn_1", "live", entry(f"wh_{n}"))

    removed = await asyncio.gather(
        *(WebhookRegistry(mongo_db).remove("ptn_1", "live", f"wh_{n}") for n in (0, 1, 2, 2)),
        WebhookRegistry(mongo_db).disable("ptn_1", "live", "wh_5", "failing", utcnow()),
    )

    listed = {e["id"]: e for e in await registry.endpoints("ptn_1", "live")}
    assert sorted(listed) == ["wh_3", "wh_4", "wh_5"]
    assert listed["wh_5"]["enabled"] is False
    assert listed["wh_4"]["enabled"] is True
    assert sorted(removed[:4]) == [False, True, True, True], "wh_2 is deleted once"
    assert removed[4] is True


async def test_a_stale_head_hint_still_finds_the_latest_version(mongo_db: Any) -> None:
    registry = WebhookRegistry(mongo_db)
    for n in range(4):
        await registry.register("ptn_1", "live", entry(f"wh_{n}"))
    await mongo_db.webhook_registry_heads.update_one({"_id": "ptn_1:live"}, {"$set": {"seq": 1}})

    assert len(await registry.endpoints("ptn_1", "live")) == 4
    await registry.remove("ptn_1", "live", "wh_0")
    assert [e["id"] for e in await registry.endpoints("ptn_1", "live")] == ["wh_1", "wh_2", "wh_3"]


async def test_a_missing_head_hint_still_finds_the_latest_version(mongo_db: Any) -> None:
    registry = WebhookRegistry(mongo_db)
    for n in range(3):
        await registry.register("ptn_1", "live", entry(f"wh_{n}"))
    await mongo_db.webhook_registry_heads.delete_many({})

    assert len(await registry.endpoints("ptn_1", "live")) == 3


async def test_disabling_twice_changes_the_list_once(mongo_db: Any) -> None:
    registry = WebhookRegistry(mongo_db)
    await registry.register("ptn_1", "live", entry("wh_1"))

    first = await registry.disable("ptn_1", "live", "wh_1", "failing", utcnow())
    second = await registry.disable("ptn_1", "live", "wh_1", "failing again", utcnow())

    endpoint = await registry.endpoint("ptn_1", "live", "wh_1")
    assert (first, second) == (True, False)
    assert endpoint is not None
    assert endpoint["disabled_reason"] == "failing"


async def test_the_export_sees_every_endpoint_ever_listed_as_last_listed(mongo_db: Any) -> None:
    registry = WebhookRegistry(mongo_db)
    for n in range(3):
        await registry.register("ptn_1", "live", entry(f"wh_{n}"))
    await registry.disable("ptn_1", "live", "wh_1", "failing", utcnow())
    await registry.remove("ptn_1", "live", "wh_2")

    listed = await registry.ever_listed("ptn_1", "live")

    assert [(e["id"], e["enabled"]) for e in listed] == [
        ("wh_0", True),
        ("wh_1", False),
        ("wh_2", False),
    ]
    assert listed[1]["disabled_reason"] == "failing"
    assert listed[2]["disabled_reason"] is None, "deleted, not disabled"
    assert await registry.ever_listed("ptn_1", "test") == []


async def test_each_partner_has_its_own_limit(mongo_db: Any) -> None:
    """A partner with a full list neither shrinks another's room nor gets past its own cap
    through another partner's list."""
    registry = WebhookRegistry(mongo_db)
    for n in range(MAX_ENDPOINTS):
        await registry.register("ptn_full", "live", entry(f"wh_full_{n}"))

    with pytest.raises(EndpointLimitReachedError):
        await registry.register("ptn_full", "live", entry("wh_full_extra"))
    for n in range(MAX_ENDPOINTS):
        await registry.register("ptn_other", "live", entry(f"wh_other_{n}"))

    assert len(await registry.endpoints("ptn_full", "live")) == MAX_ENDPOINTS
    assert len(await registry.endpoints("ptn_other", "live")) == MAX_ENDPOINTS
    assert await registry.endpoint("ptn_other", "live", "wh_full_0") is None


async def test_a_disable_records_its_reason_on_the_entry_and_the_version(mongo_db: Any) -> None:
    registry = WebhookRegistry(mongo_db)
    await registry.register("ptn_1", "live", entry("wh_1"))
    when = utcnow()

    await registry.disable("ptn_1", "live", "wh_1", "the endpoint answered 410 Gone", when)

    endpoint = await registry.endpoint("ptn_1", "live", "wh_1")
    version = await mongo_db.webhook_registry.find_one({"_id": entry_id("ptn_1:live", 2)})
    assert endpoint is not None
    assert (endpoint["enabled"], endpoint["disabled_reason"]) == (
        False,
        "the endpoint answered 410 Gone",
    )
    assert endpoint["disabled_at"] is not None
    assert version is not None
    assert (version["change"], version["reason"]) == ("disabled", "the endpoint answered 410 Gone")
