"""The index registry applied to the real server: what each kind of server gets."""

from typing import Any

import pytest

from dossier.runtime.indexes import (
    INDEXES,
    IndexSpec,
    apply_for_server,
    apply_indexes,
    is_ferretdb,
    unlisted_indexes,
)

pytestmark = pytest.mark.integration

SPECS = (
    IndexSpec("claims", (("owner", 1),), "one owner per claim", unique=True),
    IndexSpec("jobs", (("due_at", 1),), "a background job's scan"),
    IndexSpec("leases", (("expires_at", 1),), "expiry", expire_after_seconds=60),
)


async def index_names(db: Any, collection: str) -> set[str]:
    return {str(index["name"]) async for index in await db[collection].list_indexes()} - {"_id_"}


async def test_the_server_gets_every_index_on_mongodb_and_only_unique_ones_on_ferretdb(
    mongo_db: Any,
) -> None:
    created = await apply_for_server(mongo_db)

    if await is_ferretdb(mongo_db):
        assert created == [f"{s.collection}.{s.name}" for s in INDEXES if s.unique]
    else:
        assert created == [f"{s.collection}.{s.name}" for s in INDEXES]
    partners = await mongo_db["partners"].index_information()
    assert partners["platform_id_1"]["unique"] is True


async def test_applying_twice_changes_nothing(mongo_db: Any) -> None:
    first = await apply_indexes(mongo_db, secondary=True, specs=SPECS)
    second = await apply_indexes(mongo_db, secondary=True, specs=SPECS)

    assert first == second
    for spec in SPECS:
        assert await index_names(mongo_db, spec.collection) == {spec.name}


async def test_a_ttl_the_server_refuses_becomes_a_plain_index(mongo_db: Any) -> None:
    created = await apply_indexes(mongo_db, secondary=True, specs=SPECS[2:])

    leases = await mongo_db["leases"].index_information()
    if await is_ferretdb(mongo_db):  # FerretDB 1.x answers NotImplemented to expireAfterSeconds
        assert created == ["leases.expires_at_1 (no TTL on this server)"]
        assert "expireAfterSeconds" not in leases["expires_at_1"]
    else:
        assert created == ["leases.expires_at_1"]
        assert leases["expires_at_1"]["expireAfterSeconds"] == 60


async def test_without_secondary_only_unique_indexes_are_created(mongo_db: Any) -> None:
    created = await apply_indexes(mongo_db, secondary=False, specs=SPECS)

    assert created == ["claims.owner_1"]
    assert await index_names(mongo_db, "jobs") == set()


async def test_indexes_outside_the_list_are_named_and_left_alone(mongo_db: Any) -> None:
    await apply_indexes(mongo_db, secondary=True, specs=SPECS)
    await mongo_db["jobs"].create_index([("partner_id", 1), ("at", 1)])

    assert await unlisted_indexes(mongo_db, SPECS) == ["jobs.partner_id_1_at_1"]
    assert "partner_id_1_at_1" in await index_names(mongo_db, "jobs")
