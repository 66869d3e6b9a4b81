"""A replayed answer is authorised like a fresh request: the replaying key needs the
operation's scope, and only the partner's keys of the same environment share records."""

import secrets
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import create_partner
from tests.e2e.helpers import analysis_body


@pytest_asyncio.fixture(loop_scope="session")
async def owner(stack: LocalStack) -> AsyncIterator[tuple[dict[str, str], httpx.AsyncClient]]:
    partner = create_partner(stack, f"Replay scopes {secrets.token_hex(3)}")
    async with httpx.AsyncClient(
        base_url=stack.config.gateway_url, headers={"X-API-Key": partner["api_key"]}, timeout=30
    ) as client:
        yield partner, client


async def minted(client: httpx.AsyncClient, scopes: list[str], environment: str = "live") -> str:
    response = await client.post(
        "/api/v1/keys",
        json={
            "name": f"replay-{secrets.token_hex(3)}",
            "scopes": scopes,
            "environment": environment,
        },
    )
    assert response.status_code == 201, response.text
    key: str = response.json()["key"]
    return key


async def test_a_key_without_the_scope_gets_403_not_the_stored_response(
    owner: tuple[dict[str, str], httpx.AsyncClient],
) -> None:
    _, client = owner
    read_only = await minted(client, ["analyses:read"])
    body, idempotency = analysis_body(cv=None), {"Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/api/v1/analyses", json=body, headers=idempotency)

    replay = await client.post(
        "/api/v1/analyses", json=body, headers={**idempotency, "X-API-Key": read_only}
    )

    assert first.status_code == 202, first.text
    assert replay.status_code == 403, replay.text
    assert replay.headers["content-type"].startswith("application/problem+json")
    assert "Idempotent-Replayed" not in replay.headers
    assert first.json()["id"] not in replay.text
    await client.delete(f"/api/v1/analyses/{first.json()['id']}")


async def test_a_key_with_the_scope_still_gets_the_replay(
    owner: tuple[dict[str, str], httpx.AsyncClient],
) -> None:
    _, client = owner
    writer = await minted(client, ["analyses:write"])
    body, idempotency = analysis_body(cv=None), {"Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/api/v1/analyses", json=body, headers=idempotency)

    replay = await client.post(
        "/api/v1/analyses", json=body, headers={**idempotency, "X-API-Key": writer}
    )

    assert (first.status_code, replay.status_code) == (202, 202)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]
    await client.delete(f"/api/v1/analyses/{first.json()['id']}")


async def test_a_sandbox_key_never_replays_a_live_answer(
    owner: tuple[dict[str, str], httpx.AsyncClient],
) -> None:
    partner, client = owner
    body, idempotency = analysis_body(cv=None), {"Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/api/v1/analyses", json=body, headers=idempotency)

    sandbox = await client.post(
        "/api/v1/analyses",
        json=body,
        headers={**idempotency, "X-API-Key": partner["test_api_key"]},
    )

    assert sandbox.status_code == 202, sandbox.text
    assert "Idempotent-Replayed" not in sandbox.headers
    assert sandbox.json()["id"] != first.json()["id"]
    await client.delete(f"/api/v1/analyses/{first.json()['id']}")
    await client.delete(
        f"/api/v1/analyses/{sandbox.json()['id']}",
        headers={"X-API-Key": partner["test_api_key"]},
    )
