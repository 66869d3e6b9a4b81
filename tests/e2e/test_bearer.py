"""`Authorization: Bearer <key>` works wherever `X-API-Key` (v1) and `X-Partner-Key` (legacy) do.

Every route kind is driven with the key as a Bearer token only: create, poll (also the
finished-poll fast path that answers before routing), the event stream and its key
re-check, an idempotent POST, the legacy API. Two different keys in one request are a
400; a Bearer credential we cannot use is a 401 that says how to send one.
"""

import asyncio
import secrets
import uuid

import httpx
import pytest

from tests.e2e.conftest import Providers
from tests.e2e.helpers import TERMINAL, analysis_body, wait_terminal
from tests.e2e.test_keys import mint
from tests.e2e.test_legacy import LEGACY, legacy_body
from tests.e2e.test_live_progress import create, read_stream

ME = "/api/v1/me"


def bearer(gateway_url: str, raw: str, scheme: str = "Bearer") -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=gateway_url, headers={"Authorization": f"{scheme} {raw}"}, timeout=60
    )


async def test_bearer_creates_polls_and_gets_the_finished_analysis_from_the_fast_path(
    gateway_url: str, partner: dict[str, str]
) -> None:
    async with bearer(gateway_url, partner["api_key"]) as client:
        created = await client.post("/api/v1/analyses", json=analysis_body(cv=None))
        assert created.status_code == 202, created.text
        analysis_id = created.json()["id"]
        done = await wait_terminal(client, analysis_id)
        # The first poll after completion keeps the rendering; the next ones are answered
        # by the fast path before routing — with the same key check.
        polls = [await client.get(f"/api/v1/analyses/{analysis_id}") for _ in range(3)]
        etag = polls[-1].headers["ETag"]
        unchanged = await client.get(
            f"/api/v1/analyses/{analysis_id}", headers={"If-None-Match": etag}
        )

    assert done["status"] == "completed"
    assert [p.status_code for p in polls] == [200, 200, 200]
    assert all(p.json()["id"] == analysis_id for p in polls)
    assert all("X-RateLimit-Remaining" in p.headers for p in polls)  # admitted as any request
    assert unchanged.status_code == 304


async def test_the_scheme_name_is_case_insensitive(
    gateway_url: str, partner: dict[str, str]
) -> None:
    for scheme in ("bearer", "BEARER", "BeArEr"):
        async with bearer(gateway_url, partner["api_key"], scheme) as client:
            response = await client.get(ME)
        assert response.status_code == 200, (scheme, response.text)


async def test_bearer_follows_an_event_stream_to_its_end(
    gateway_url: str, partner: dict[str, str], providers: Providers
) -> None:
    """The stream re-checks its key every few seconds; with a Bearer key it must find the
    same key, not end as if revoked."""
    providers.control(delay=1.0)  # the analysis outlives several key re-checks
    try:
        async with bearer(gateway_url, partner["api_key"]) as client:
            analysis_id = await create(client)
            stream = await read_stream(client, analysis_id, timeout=120)
    finally:
        providers.control(delay=0)

    assert stream.status == 200
    assert stream.events[-1].event == "completed", [m.event for m in stream.events]


async def test_revoking_a_bearer_key_ends_its_stream_and_its_requests(
    api: httpx.AsyncClient, gateway_url: str, providers: Providers
) -> None:
    created = (await mint(api, ["analyses:read", "analyses:write"])).json()
    providers.control(delay=3.0)
    try:
        async with bearer(gateway_url, created["key"]) as client:
            analysis_id = await create(client)
            before = await client.get(f"/api/v1/analyses/{analysis_id}")
            stream = asyncio.create_task(read_stream(client, analysis_id, timeout=60))
            await asyncio.sleep(1.0)
            revoked = await api.delete(f"/api/v1/keys/{created['id']}")
            ended = await stream
            after = await client.get(f"/api/v1/analyses/{analysis_id}")
        await api.delete(f"/api/v1/analyses/{analysis_id}")
    finally:
        providers.control(delay=0)

    assert before.status_code == 200
    assert revoked.status_code == 200
    assert ended.status == 200
    assert ended.closed_by_server
    assert not {m.event for m in ended.events} & TERMINAL, "ended by the revocation"
    assert after.status_code == 401
    assert after.json()["type"].endswith("/unauthorized")


async def test_an_idempotent_post_with_a_bearer_key_is_replayed(
    gateway_url: str, partner: dict[str, str]
) -> None:
    body, key = analysis_body(cv=None), str(uuid.uuid4())
    async with bearer(gateway_url, partner["api_key"]) as client:
        first = await client.post("/api/v1/analyses", json=body, headers={"Idempotency-Key": key})
        second = await client.post("/api/v1/analyses", json=body, headers={"Idempotency-Key": key})
        other = await client.post(
            "/api/v1/analyses", json=analysis_body(cv=None), headers={"Idempotency-Key": key}
        )

    assert first.status_code == 202, first.text
    assert second.status_code == 202
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.json() == first.json()
    assert other.status_code == 409  # the record is the Bearer key's partner's


async def test_legacy_api_takes_a_bearer_partner_key(
    gateway_url: str, partner: dict[str, str]
) -> None:
    body = legacy_body(partner["platform_id"])
    async with bearer(gateway_url, partner["partner_key"]) as client:
        created = await client.post(LEGACY, json=body)
        fetched = await client.get(f"{LEGACY}/{created.json()['report_id']}")
        v1_as_legacy = await client.post(
            LEGACY, json=body, headers={"Authorization": f"Bearer {partner['api_key']}"}
        )

    assert created.status_code == 200, created.text
    assert created.json()["status"] in {"generated", "generating"}
    assert fetched.status_code == 200
    assert v1_as_legacy.status_code == 401  # a v1 key is not a partner key, however sent


async def test_a_v1_bearer_key_still_needs_its_scope(
    api: httpx.AsyncClient, gateway_url: str
) -> None:
    read_only = (await mint(api, ["analyses:read"])).json()["key"]
    async with bearer(gateway_url, read_only) as client:
        refused = await client.post("/api/v1/analyses", json=analysis_body(cv=None))

    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/insufficient-scope")


@pytest.mark.parametrize("idempotent", [False, True], ids=["plain", "idempotency-key"])
async def test_two_different_keys_are_a_400_and_change_nothing(
    api: httpx.AsyncClient, gateway_url: str, partner: dict[str, str], idempotent: bool
) -> None:
    second_key = (await mint(api, ["analyses:read", "analyses:write"])).json()["key"]
    body = analysis_body(cv=None)
    headers = {"X-API-Key": partner["api_key"], "Authorization": f"Bearer {second_key}"}
    if idempotent:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    async with httpx.AsyncClient(base_url=gateway_url, timeout=60) as client:
        conflicting = await client.post("/api/v1/analyses", json=body, headers=headers)
        same_twice = await client.get(
            ME, headers={"X-API-Key": second_key, "Authorization": f"Bearer {second_key}"}
        )
    fresh = await api.post("/api/v1/analyses", json=body)

    assert conflicting.status_code == 400
    assert conflicting.headers["content-type"].startswith("application/problem+json")
    assert conflicting.json()["type"].endswith("/conflicting-credentials")
    assert same_twice.status_code == 200
    assert fresh.status_code == 202, "the refused request created nothing to reuse"


async def test_two_different_legacy_keys_are_a_400(
    gateway_url: str, partner: dict[str, str], other_partner: dict[str, str]
) -> None:
    headers = {
        "X-Partner-Key": partner["partner_key"],
        "Authorization": f"Bearer {other_partner['partner_key']}",
    }
    async with httpx.AsyncClient(base_url=gateway_url, headers=headers, timeout=60) as client:
        response = await client.post(LEGACY, json=legacy_body(partner["platform_id"]))

    assert response.status_code == 400
    assert response.json()["type"].endswith("/conflicting-credentials")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Basic dXNlcjpwYXNz", "Token abc", "Bearer a b"],
)
async def test_an_unusable_authorization_header_is_401_naming_bearer(
    gateway_url: str, partner: dict[str, str], authorization: str
) -> None:
    """Even beside a valid X-API-Key: a credential we cannot use is never silently ignored."""
    async with httpx.AsyncClient(base_url=gateway_url, timeout=60) as client:
        alone = await client.get(ME, headers={"Authorization": authorization})
        beside = await client.get(
            "/api/v1/keys",
            headers={"Authorization": authorization, "X-API-Key": partner["api_key"]},
        )

    for response in (alone, beside):
        assert response.status_code == 401, (authorization, response.text)
        assert response.json()["type"].endswith("/unauthorized")
        assert "Bearer" in response.headers["WWW-Authenticate"]


async def test_a_garbage_or_unknown_bearer_token_is_401(gateway_url: str) -> None:
    unknown = f"ats_live_{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"
    for token in ("garbage", unknown, "ats_live_", "pk_live_x"):
        async with bearer(gateway_url, token) as client:
            response = await client.get("/api/v1/keys")
        assert response.status_code == 401, token
        assert 'Bearer realm="dossier"' in response.headers["WWW-Authenticate"]
        assert "Authorization: Bearer" in response.json()["detail"]
