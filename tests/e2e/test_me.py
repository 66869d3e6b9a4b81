"""`GET /api/v1/me`: the calling key, its partner, plan, rate limits and this month's credits."""

import secrets
from typing import Any

import httpx

from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import E2E_RATE_LIMITS, create_partner, eventually
from tests.e2e.helpers import analysis_body, wait_terminal
from tests.e2e.test_keys import as_key, mint
from tests.e2e.test_poll_cost import gateway_store_commands

ME = "/api/v1/me"
CALLS = 5


def prefix_of(raw: str) -> str:
    return "_".join(raw.split("_")[:3])


async def test_a_live_key_sees_its_partner_plan_limits_and_credits_used(
    stack: LocalStack, gateway_url: str
) -> None:
    partner = create_partner(stack, f"Me {secrets.token_hex(3)}", monthly_credits=7)
    async with as_key(gateway_url, partner["api_key"]) as client:
        before = await client.get(ME)
        created = await client.post("/api/v1/analyses", json=analysis_body(cv=None))
        assert (await wait_terminal(client, created.json()["id"]))["status"] == "completed"

        async def charged() -> dict[str, Any] | None:
            body: dict[str, Any] = (await client.get(ME)).json()
            return body if body["credits"]["used_this_month"] == 1 else None

        after = await eventually(charged)

    assert before.status_code == 200, before.text
    me = before.json()
    assert me["partner_id"] == partner["partner_id"]
    assert me["platform_id"] == partner["platform_id"]
    assert me["environment"] == "live"
    assert me["plan"] == "standard"
    assert me["key"]["prefix"] == prefix_of(partner["api_key"])
    assert me["key"]["id"] == "key_" + prefix_of(partner["api_key"]).rsplit("_", 1)[1]
    assert me["key"]["name"]
    assert partner["api_key"] not in before.text  # never the secret
    assert me["rate_limits"]["per_minute"] == E2E_RATE_LIMITS["standard"]["per_minute"]
    assert me["rate_limits"]["per_hour"] == E2E_RATE_LIMITS["standard"]["per_hour"]
    assert me["credits"]["billed"] is True
    assert me["credits"]["monthly_limit"] == 7
    assert me["credits"]["used_this_month"] == 0
    assert me["credits"]["resets_at"].endswith("T00:00:00.000Z")
    assert after["credits"]["used_this_month"] == 1
    assert after["credits"]["pending"] == 0


async def test_a_test_key_is_never_billed(partner: dict[str, str], gateway_url: str) -> None:
    async with as_key(gateway_url, partner["test_api_key"]) as client:
        created = await client.post("/api/v1/analyses", json=analysis_body(cv=None))
        assert (await wait_terminal(client, created.json()["id"]))["status"] == "completed"
        response = await client.get(ME)

    assert response.status_code == 200
    me = response.json()
    assert me["environment"] == "test"
    assert me["partner_id"] == partner["partner_id"]
    assert me["key"]["prefix"].startswith("ats_test_")
    assert me["credits"] == {
        "billed": False,
        "monthly_limit": None,
        "used_this_month": 0,
        "pending": 0,
        "resets_at": me["credits"]["resets_at"],
    }


async def test_a_key_with_one_narrow_scope_still_sees_itself(
    api: httpx.AsyncClient, gateway_url: str
) -> None:
    minted = (await mint(api, ["usage:read"])).json()
    async with as_key(gateway_url, minted["key"]) as narrow:
        response = await narrow.get(ME)
        refused = await narrow.get("/api/v1/keys")

    assert response.status_code == 200, response.text
    me = response.json()
    assert me["key"]["id"] == minted["id"]
    assert me["key"]["name"] == minted["name"]
    assert me["key"]["scopes"] == ["usage:read"]
    assert refused.status_code == 403  # /me shows the scopes; it grants none


async def test_the_plan_sets_the_rate_limits_shown(stack: LocalStack, gateway_url: str) -> None:
    partner = create_partner(stack, f"Me tiny {secrets.token_hex(3)}", plan="tiny")
    async with as_key(gateway_url, partner["api_key"]) as client:
        response = await client.get(ME)

    assert response.json()["plan"] == "tiny"
    assert response.json()["rate_limits"]["per_minute"] == E2E_RATE_LIMITS["tiny"]["per_minute"]
    assert response.json()["credits"]["monthly_limit"] is None


async def test_without_a_valid_key_me_is_401(api: httpx.AsyncClient, gateway_url: str) -> None:
    minted = (await mint(api, ["analyses:read"])).json()
    await api.delete(f"/api/v1/keys/{minted['id']}")
    async with httpx.AsyncClient(base_url=gateway_url) as anonymous:
        missing = await anonymous.get(ME)
        revoked = await anonymous.get(ME, headers={"X-API-Key": minted["key"]})
        legacy = await anonymous.get(ME, headers={"X-API-Key": "pk_live_000000000000_x"})

    for response in (missing, revoked, legacy):
        assert response.status_code == 401
        assert response.json()["type"].endswith("/unauthorized")


async def test_me_costs_a_few_keyed_reads(stack: LocalStack, gateway_url: str) -> None:
    """Key, key use, partner limit and the journal's head (one round of four keyed reads from
    where this process saw it last): seven keyed reads per call of a live key."""
    partner = create_partner(stack, f"Me cost {secrets.token_hex(3)}", monthly_credits=50)
    async with as_key(gateway_url, partner["api_key"]) as client:
        for _ in range(3):  # a journal a few links long: accepted + charged each
            created = await client.post("/api/v1/analyses", json=analysis_body(cv=None))
            await wait_terminal(client, created.json()["id"])
        await client.get(ME)  # this process now knows where the journal's head is
        before = await gateway_store_commands(stack)
        calls = [await client.get(ME) for _ in range(CALLS)]
        after = await gateway_store_commands(stack)

    assert [c.status_code for c in calls] == [200] * CALLS
    spent = after - before
    print(f"store commands for {CALLS} calls of /me: {dict(spent)}")
    assert spent[("find", "api_keys")] <= CALLS
    assert spent[("find", "api_key_usage")] <= CALLS
    assert spent[("find", "partners")] <= 2 * CALLS
    assert spent[("find", "credit_journal")] <= 4 * CALLS
    finds = sum(n for (command, _), n in spent.items() if command == "find")
    assert finds <= 8 * CALLS
