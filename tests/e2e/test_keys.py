"""Keys and scopes over HTTP: mint (shown once), list, revoke, rotate, scope denial."""

import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from pymongo.asynchronous.database import AsyncDatabase

from dossier.devstack.stack import LocalStack
from dossier.runtime.collections import AUDIT_TRAIL
from tests.e2e.conftest import create_partner
from tests.e2e.helpers import analysis_body

ALL = ["analyses:read", "analyses:write", "webhooks:manage", "usage:read", "keys:manage"]


def _name() -> str:
    return f"key {secrets.token_hex(4)}"


async def mint(client: httpx.AsyncClient, scopes: list[str], **extra: Any) -> httpx.Response:
    return await client.post("/api/v1/keys", json={"name": _name(), "scopes": scopes, **extra})


def as_key(gateway_url: str, raw: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=gateway_url, headers={"X-API-Key": raw}, timeout=30)


@pytest_asyncio.fixture(loop_scope="session")
async def fresh(stack: LocalStack, gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A partner of its own, for tests that revoke its keys."""
    partner = create_partner(stack, f"Keys {secrets.token_hex(3)}")
    async with as_key(gateway_url, partner["api_key"]) as client:
        yield client


async def test_created_key_is_returned_once_with_its_metadata(api: httpx.AsyncClient) -> None:
    response = await mint(api, ["analyses:read", "analyses:write"])

    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith(body["prefix"] + "_")
    assert body["prefix"].startswith("ats_live_")
    assert body["id"].startswith("key_")
    assert body["scopes"] == ["analyses:read", "analyses:write"]
    assert body["environment"] == "live"
    assert body["created_at"].endswith("Z")
    assert body["revoked_at"] is None


async def test_list_shows_prefixes_never_secrets(api: httpx.AsyncClient) -> None:
    created = (await mint(api, ["analyses:read"])).json()

    listing = await api.get("/api/v1/keys")

    assert listing.status_code == 200
    assert created["key"] not in listing.text
    assert "hash" not in listing.text
    listed = {k["id"]: k for k in listing.json()["data"]}
    assert set(listed[created["id"]]) == {
        "id",
        "prefix",
        "name",
        "scopes",
        "environment",
        "created_at",
        "last_used_at",
        "revoked_at",
    }
    assert listed[created["id"]]["prefix"] == created["prefix"]


async def test_list_records_when_a_key_was_last_used(
    api: httpx.AsyncClient, gateway_url: str
) -> None:
    created = (await mint(api, ["analyses:read"])).json()
    async with as_key(gateway_url, created["key"]) as client:
        await client.get("/api/v1/analyses/an_missing")

    listed = {k["id"]: k for k in (await api.get("/api/v1/keys")).json()["data"]}

    assert listed[created["id"]]["last_used_at"] is not None


async def test_key_without_keys_manage_is_403(api: httpx.AsyncClient, gateway_url: str) -> None:
    reader = (await mint(api, ["analyses:read"])).json()
    async with as_key(gateway_url, reader["key"]) as client:
        listing = await client.get("/api/v1/keys")
        minting = await mint(client, ["analyses:read"])

    for response in (listing, minting):
        assert response.status_code == 403
        assert response.json()["type"].endswith("/insufficient-scope")


async def test_asking_for_scopes_beyond_the_callers_is_403(
    api: httpx.AsyncClient, gateway_url: str
) -> None:
    manager = (await mint(api, ["keys:manage", "analyses:read"])).json()
    async with as_key(gateway_url, manager["key"]) as client:
        within = await mint(client, ["analyses:read"])
        beyond = await mint(client, ["analyses:read", "analyses:write"])

    assert within.status_code == 201
    assert beyond.status_code == 403
    assert beyond.json()["type"].endswith("/insufficient-scope")
    assert "analyses:write" in beyond.json()["detail"]


async def test_unknown_or_missing_scopes_are_422(api: httpx.AsyncClient) -> None:
    unknown = await mint(api, ["analyses:read", "analyses:delete"])
    empty = await mint(api, [])

    for response in (unknown, empty):
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"].startswith("scopes")


async def test_read_only_key_cannot_create_analyses(
    api: httpx.AsyncClient, gateway_url: str
) -> None:
    reader = (await mint(api, ["analyses:read"])).json()
    async with as_key(gateway_url, reader["key"]) as client:
        response = await client.post("/api/v1/analyses", json=analysis_body())

    assert response.status_code == 403
    assert response.json()["type"].endswith("/insufficient-scope")


async def test_revoked_key_is_401_and_revoking_again_returns_it(
    api: httpx.AsyncClient, gateway_url: str
) -> None:
    created = (await mint(api, ["analyses:read"])).json()
    async with as_key(gateway_url, created["key"]) as client:
        before = await client.get("/api/v1/analyses/an_missing")
        first = await api.delete(f"/api/v1/keys/{created['id']}")
        second = await api.delete(f"/api/v1/keys/{created['id']}")
        after = await client.get("/api/v1/analyses/an_missing")

    assert before.status_code == 404
    assert first.status_code == 200
    assert first.json()["revoked_at"] is not None
    assert second.status_code == 200
    assert second.json()["revoked_at"] == first.json()["revoked_at"]
    assert after.status_code == 401


async def test_revoked_keys_stay_listed_for_the_record(api: httpx.AsyncClient) -> None:
    created = (await mint(api, ["analyses:read"])).json()
    await api.delete(f"/api/v1/keys/{created['id']}")

    listed = {k["id"]: k for k in (await api.get("/api/v1/keys")).json()["data"]}

    assert listed[created["id"]]["revoked_at"] is not None


async def test_another_partners_key_or_an_unknown_id_is_404(
    api: httpx.AsyncClient, gateway_url: str, other_partner: dict[str, str]
) -> None:
    created = (await mint(api, ["analyses:read"])).json()
    async with as_key(gateway_url, other_partner["api_key"]) as other:
        foreign = await other.delete(f"/api/v1/keys/{created['id']}")
        unknown = await other.delete("/api/v1/keys/key_000000000000")
        listing = (await other.get("/api/v1/keys")).json()

    assert foreign.status_code == 404
    assert unknown.status_code == 404
    assert created["id"] not in {k["id"] for k in listing["data"]}
    async with as_key(gateway_url, created["key"]) as client:
        assert (await client.get("/api/v1/analyses/an_missing")).status_code == 404


async def test_rotation_keeps_both_keys_working_until_the_old_one_is_revoked(
    fresh: httpx.AsyncClient, gateway_url: str
) -> None:
    old_listing = await fresh.get("/api/v1/keys")
    old = next(k for k in old_listing.json()["data"] if k["prefix"].startswith("ats_live_"))
    new = (await mint(fresh, ALL)).json()

    async with as_key(gateway_url, new["key"]) as rotated:
        both = [
            (await fresh.post("/api/v1/analyses", json=analysis_body())).status_code,
            (await rotated.post("/api/v1/analyses", json=analysis_body())).status_code,
        ]
        revoked = await rotated.delete(f"/api/v1/keys/{old['id']}")
        old_after = await fresh.get("/api/v1/keys")
        new_after = await rotated.post("/api/v1/analyses", json=analysis_body())

    assert both == [202, 202]
    assert revoked.status_code == 200
    assert old_after.status_code == 401
    assert new_after.status_code == 202


async def test_test_key_mints_only_test_keys(
    api: httpx.AsyncClient, gateway_url: str, partner: dict[str, str]
) -> None:
    async with as_key(gateway_url, partner["test_api_key"]) as sandbox:
        live = await mint(sandbox, ["analyses:read"], environment="live")
        test = await mint(sandbox, ["analyses:read"], environment="test")

    assert live.status_code == 403
    assert test.status_code == 201
    assert test.json()["key"].startswith("ats_test_")
    assert test.json()["environment"] == "test"


async def test_test_key_neither_lists_nor_revokes_live_keys(
    api: httpx.AsyncClient, gateway_url: str, partner: dict[str, str]
) -> None:
    live = (await mint(api, ["analyses:read"])).json()
    async with as_key(gateway_url, partner["test_api_key"]) as sandbox:
        listing = (await sandbox.get("/api/v1/keys")).json()["data"]
        revoke = await sandbox.delete(f"/api/v1/keys/{live['id']}")

    assert {k["environment"] for k in listing} == {"test"}
    assert revoke.status_code == 404


async def test_creation_and_revocation_are_audited_without_secrets(
    api: httpx.AsyncClient, partner: dict[str, str], db: AsyncDatabase[dict[str, Any]]
) -> None:
    created = (await mint(api, ["analyses:read"])).json()
    await api.delete(f"/api/v1/keys/{created['id']}")

    entries = [
        entry
        async for entry in db[AUDIT_TRAIL].find(
            {"partner_id": partner["partner_id"], "target": created["id"]}
        )
    ]

    assert sorted(e["action"] for e in entries) == ["key.created", "key.revoked"]
    for entry in entries:
        assert entry["details"] == {
            "prefix": created["prefix"],
            "scopes": ["analyses:read"],
            "environment": "live",
        }
        assert created["key"] not in str(entry)
