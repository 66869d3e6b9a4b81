"""Admission control over HTTP: rate limits, Idempotency-Key, usage and the credit limit."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import Environment
from dossier.devstack.stack import LocalStack
from dossier.gateway.auth.keys import V1_KIND
from dossier.gateway.auth.repository import ALL_SCOPES, PartnerRepository
from dossier.gateway.ratelimit.limiter import DEFAULT_PLAN_LIMITS
from tests.e2e.conftest import E2E_RATE_LIMITS, Providers, create_partner, eventually
from tests.e2e.helpers import analysis_body, wait_terminal

RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
PROBLEM_JSON = "application/problem+json"


@pytest_asyncio.fixture(loop_scope="session")
async def http(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as client:
        yield client


def as_key(partner: dict[str, str]) -> dict[str, str]:
    return {"X-API-Key": partner["api_key"]}


async def issue_key(
    db: AsyncDatabase[dict[str, Any]],
    partner: dict[str, str],
    environment: Environment,
    scopes: tuple[str, ...] = ALL_SCOPES,
) -> str:
    """Another key of the same partner, as an operator would mint it."""
    repo = PartnerRepository(db)
    found = await repo.get_partner(partner["partner_id"])
    assert found is not None
    raw, _ = await repo.issue_key(
        found, kind=V1_KIND, environment=environment, name="second", scopes=scopes
    )
    return raw


def missing() -> str:
    return f"/api/v1/analyses/an_{uuid.uuid4().hex[:24]}"


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    problem: dict[str, Any] = response.json()
    assert problem["type"].endswith(f"/{slug}")
    assert problem["status"] == status
    return problem


# rate limits ------------------------------------------------------------------------------


async def test_every_authenticated_response_carries_rate_limit_headers(
    stack: LocalStack, http: httpx.AsyncClient
) -> None:
    headers = as_key(create_partner(stack, "Headers"))

    responses = [
        await http.post("/api/v1/analyses", json=analysis_body(), headers=headers),
        await http.get(missing(), headers=headers),
        await http.post("/api/v1/analyses", json={"client": {}}, headers=headers),
        await http.get("/api/v1/usage", headers=headers),
    ]

    assert [r.status_code for r in responses] == [202, 404, 422, 200]
    for response in responses:
        assert all(h in response.headers for h in RATE_HEADERS), response.headers
        assert int(response.headers["X-RateLimit-Reset"]) >= 1
    remaining = [int(r.headers["X-RateLimit-Remaining"]) for r in responses]
    assert remaining == sorted(remaining, reverse=True)
    assert remaining[0] > remaining[-1]


async def test_burst_past_the_limit_gets_429_with_retry_after(
    stack: LocalStack, http: httpx.AsyncClient
) -> None:
    headers = as_key(create_partner(stack, "Burst", plan="tiny"))
    tiny = E2E_RATE_LIMITS["tiny"]

    responses = await asyncio.gather(*(http.get(missing(), headers=headers) for _ in range(9)))

    refused = [r for r in responses if r.status_code == 429]
    assert len(responses) - len(refused) <= tiny["per_hour"]
    assert refused
    for response in refused:
        problem = assert_problem(response, 429, "rate-limited")
        assert problem["request_id"]
        assert int(response.headers["Retry-After"]) >= 1
        assert response.headers["X-RateLimit-Remaining"] == "0"


async def test_all_keys_of_a_partner_share_its_budget(
    stack: LocalStack, http: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    partner = create_partner(stack, "Shared budget", plan="tiny")
    for _ in range(E2E_RATE_LIMITS["tiny"]["per_hour"]):
        await http.get(missing(), headers=as_key(partner))

    second = await issue_key(db, partner, Environment.LIVE)
    response = await http.get(missing(), headers={"X-API-Key": second})

    assert_problem(response, 429, "rate-limited")


async def test_test_keys_have_their_own_budget(
    stack: LocalStack, http: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    partner = create_partner(stack, "Sandbox budget", plan="tiny")
    for _ in range(E2E_RATE_LIMITS["tiny"]["per_hour"] + 1):
        await http.get(missing(), headers=as_key(partner))

    test_key = await issue_key(db, partner, Environment.TEST)
    response = await http.get(missing(), headers={"X-API-Key": test_key})

    assert response.status_code == 404


async def test_another_partner_is_unaffected_by_a_partner_at_its_limit(
    stack: LocalStack, http: httpx.AsyncClient
) -> None:
    limited = as_key(create_partner(stack, "Limited", plan="tiny"))
    other = as_key(create_partner(stack, "Unaffected", plan="tiny"))
    for _ in range(E2E_RATE_LIMITS["tiny"]["per_hour"] + 1):
        await http.get(missing(), headers=limited)
    assert (await http.get(missing(), headers=limited)).status_code == 429

    response = await http.get(missing(), headers=other)

    assert response.status_code == 404
    assert int(response.headers["X-RateLimit-Remaining"]) > 0


async def test_polling_at_retry_after_never_trips_the_limit(
    stack: LocalStack, http: httpx.AsyncClient
) -> None:
    """On `starter`, the smallest default plan (the e2e stack lifts `standard`): a poller that
    waits Retry-After seconds sends at most 60 // Retry-After + 1 requests in a minute window
    and 3600 // Retry-After + 1 in an hour window. Both fit; the minute's worth, sent at once
    (the worst case for a fixed window), is all admitted."""
    headers = as_key(create_partner(stack, "Poller", plan="starter"))
    limits = DEFAULT_PLAN_LIMITS["starter"]
    created = await http.post("/api/v1/analyses", json=analysis_body(), headers=headers)
    retry_after = int(created.headers["Retry-After"])
    assert 3600 // retry_after + 1 <= limits.per_hour

    polls = [
        await http.get(f"/api/v1/analyses/{created.json()['id']}", headers=headers)
        for _ in range(60 // retry_after + 1)
    ]

    assert all(p.status_code == 200 for p in polls)
    assert int(polls[-1].headers["X-RateLimit-Limit"]) == limits.per_minute
    assert int(polls[-1].headers["X-RateLimit-Remaining"]) >= limits.per_minute - len(polls) - 1


# idempotency ------------------------------------------------------------------------------


async def test_replay_returns_the_first_response_and_creates_one_analysis(
    stack: LocalStack, http: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    partner = create_partner(stack, "Idempotent")
    headers = {**as_key(partner), "Idempotency-Key": str(uuid.uuid4())}
    body = analysis_body()
    first = await http.post("/api/v1/analyses", json=body, headers=headers)
    async with httpx.AsyncClient(base_url=str(http.base_url), headers=as_key(partner)) as api:
        await wait_terminal(api, first.json()["id"])

    replay = await http.post("/api/v1/analyses", json=body, headers=headers)

    # Without the key this POST would be a 200 reuse; the replay is the stored 202.
    assert (first.status_code, replay.status_code) == (202, 202)
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert replay.headers["Location"] == first.headers["Location"]
    assert replay.headers["Retry-After"] == first.headers["Retry-After"]
    assert all(h in replay.headers for h in RATE_HEADERS)
    count = await db.analyses.count_documents(
        {"partner_id": partner["partner_id"], "candidate_id": body["candidate"]["id"]}
    )
    assert count == 1


async def test_concurrent_retries_with_one_key_run_once(
    stack: LocalStack, http: httpx.AsyncClient
) -> None:
    headers = {**as_key(create_partner(stack, "Retries")), "Idempotency-Key": str(uuid.uuid4())}
    body = analysis_body()

    responses = await asyncio.gather(
        *(http.post("/api/v1/analyses", json=body, headers=headers) for _ in range(5))
    )

    answered = [r for r in responses if r.status_code == 202]
    assert {r.json()["id"] for r in answered} == {answered[0].json()["id"]}
    assert sum("Idempotent-Replayed" not in r.headers for r in answered) == 1
    for response in responses:
        if response.status_code != 202:
            assert_problem(response, 409, "idempotency-key-in-progress")


async def test_same_key_with_another_body_is_409(
    stack: LocalStack, http: httpx.AsyncClient
) -> None:
    headers = {**as_key(create_partner(stack, "Reused key")), "Idempotency-Key": "order-42"}
    await http.post("/api/v1/analyses", json=analysis_body(), headers=headers)

    response = await http.post("/api/v1/analyses", json=analysis_body(), headers=headers)

    assert_problem(response, 409, "idempotency-key-reused")


async def test_a_refusal_by_scope_is_not_kept_for_the_key(
    stack: LocalStack, http: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    partner = create_partner(stack, "Scope retry")
    read_only = await issue_key(db, partner, Environment.LIVE, scopes=("analyses:read",))
    body, idempotency = analysis_body(), {"Idempotency-Key": str(uuid.uuid4())}
    denied = await http.post(
        "/api/v1/analyses", json=body, headers={"X-API-Key": read_only, **idempotency}
    )

    retried = await http.post(
        "/api/v1/analyses", json=body, headers={**as_key(partner), **idempotency}
    )

    assert_problem(denied, 403, "insufficient-scope")
    assert retried.status_code == 202
    assert "Idempotent-Replayed" not in retried.headers


async def test_malformed_idempotency_key_is_400(stack: LocalStack, http: httpx.AsyncClient) -> None:
    headers = {**as_key(create_partner(stack, "Bad key")), "Idempotency-Key": "x" * 256}

    response = await http.post("/api/v1/analyses", json=analysis_body(), headers=headers)

    assert_problem(response, 400, "invalid-idempotency-key")


async def test_a_new_api_key_is_never_replayed(stack: LocalStack, http: httpx.AsyncClient) -> None:
    headers = {**as_key(create_partner(stack, "Key minting")), "Idempotency-Key": "mint-1"}
    body = {"name": "ci", "scopes": ["analyses:read"], "environment": "live"}
    first = await http.post("/api/v1/keys", json=body, headers=headers)
    assert first.status_code == 201
    assert first.json()["key"]

    replay = await http.post("/api/v1/keys", json=body, headers=headers)

    problem = assert_problem(replay, 409, "secret-not-replayable")
    assert first.json()["id"] in problem["detail"]
    assert first.json()["key"] not in replay.text


# usage and credits ------------------------------------------------------------------------


async def _create_and_finish(api: httpx.AsyncClient, body: dict[str, Any]) -> str:
    created = await api.post("/api/v1/analyses", json=body)
    assert created.status_code == 202, created.text
    done = await wait_terminal(api, created.json()["id"])
    assert done["status"] == "completed"
    return str(done["id"])


async def test_usage_counts_generated_reused_and_credits_per_client(
    stack: LocalStack, gateway_url: str
) -> None:
    partner = create_partner(stack, "Usage")
    async with httpx.AsyncClient(base_url=gateway_url, headers=as_key(partner)) as api:
        acme, globex = f"acme_{uuid.uuid4().hex[:6]}", f"globex_{uuid.uuid4().hex[:6]}"
        bodies = [
            analysis_body(client_id=acme),
            analysis_body(client_id=acme),
            analysis_body(client_id=globex),
        ]
        await asyncio.gather(*(_create_and_finish(api, b) for b in bodies))
        for body in (bodies[0], bodies[0], bodies[2]):
            assert (await api.post("/api/v1/analyses", json=body)).status_code == 200

        async def settled() -> dict[str, Any] | None:
            usage: dict[str, Any] = (await api.get("/api/v1/usage?group_by=client")).json()
            return usage if usage["totals"]["credits"] == 3 else None

        usage = await eventually(settled, timeout=60)

    assert usage["environment"] == "live"
    assert usage["totals"] == {"generated": 3, "reused": 3, "credits": 3}
    assert usage["clients"] == [
        {"client_id": acme, "generated": 2, "reused": 2, "credits": 2},
        {"client_id": globex, "generated": 1, "reused": 1, "credits": 1},
    ]


async def test_sandbox_usage_counts_generated_and_reused_reports_without_credits(
    stack: LocalStack, gateway_url: str, db: AsyncDatabase[dict[str, Any]]
) -> None:
    partner = create_partner(stack, "Sandbox usage")
    test_key = {"X-API-Key": await issue_key(db, partner, Environment.TEST)}
    async with httpx.AsyncClient(base_url=gateway_url, headers=test_key) as api:
        body = analysis_body()
        await _create_and_finish(api, body)
        assert (await api.post("/api/v1/analyses", json=body)).status_code == 200

        async def counted() -> dict[str, Any] | None:
            usage: dict[str, Any] = (await api.get("/api/v1/usage")).json()
            return usage if usage["totals"]["generated"] == 1 else None

        usage = await eventually(counted, timeout=60)
        live = (await api.get("/api/v1/usage", headers=as_key(partner))).json()

    assert usage["environment"] == "test"
    assert usage["totals"] == {"generated": 1, "reused": 1, "credits": 0}
    assert live["totals"] == {"generated": 0, "reused": 0, "credits": 0}


async def test_usage_outside_the_period_is_empty_and_reversed_period_is_422(
    stack: LocalStack, gateway_url: str
) -> None:
    async with httpx.AsyncClient(
        base_url=gateway_url, headers=as_key(create_partner(stack, "Period"))
    ) as api:
        past = await api.get("/api/v1/usage?from=2020-01-01&to=2020-01-31")
        reversed_period = await api.get("/api/v1/usage?from=2020-02-01&to=2020-01-01")

    assert past.status_code == 200
    assert past.json()["totals"] == {"generated": 0, "reused": 0, "credits": 0}
    assert past.json()["clients"] is None
    assert_problem(reversed_period, 422, "validation-error")


async def test_new_analysis_past_the_monthly_credit_limit_is_402_and_creates_nothing(
    stack: LocalStack, gateway_url: str, db: AsyncDatabase[dict[str, Any]]
) -> None:
    partner = create_partner(stack, "Credit limit", monthly_credits=1)
    async with httpx.AsyncClient(base_url=gateway_url, headers=as_key(partner)) as api:
        first = analysis_body()
        await _create_and_finish(api, first)
        blocked = analysis_body()

        response = await api.post("/api/v1/analyses", json=blocked)
        reuse = await api.post("/api/v1/analyses", json=first)

    problem = assert_problem(response, 402, "credit-limit-reached")
    assert "1 credits a month" in problem["detail"]
    assert "T00:00:00.000Z" in problem["detail"]
    created = await db.analyses.count_documents(
        {"partner_id": partner["partner_id"], "candidate_id": blocked["candidate"]["id"]}
    )
    assert created == 0
    assert await db.reuse_index.count_documents({"candidate_id": blocked["candidate"]["id"]}) == 0
    assert reuse.status_code == 200
    assert reuse.json()["billing"] == {"charged": False, "credits_used": 0}


async def test_running_analyses_count_toward_the_credit_limit(
    stack: LocalStack, gateway_url: str
) -> None:
    partner = create_partner(stack, "Credit burst", monthly_credits=1)
    async with httpx.AsyncClient(base_url=gateway_url, headers=as_key(partner)) as api:
        accepted = await api.post("/api/v1/analyses", json=analysis_body())
        refused = await api.post("/api/v1/analyses", json=analysis_body())

    assert accepted.status_code == 202
    assert_problem(refused, 402, "credit-limit-reached")


async def test_a_canceled_analysis_gives_its_credit_back(
    stack: LocalStack, gateway_url: str, providers: Providers
) -> None:
    partner = create_partner(stack, "Credit cancel", monthly_credits=1)
    async with httpx.AsyncClient(base_url=gateway_url, headers=as_key(partner)) as api:
        providers.control(delay=1.0)  # still running when it is canceled
        try:
            accepted = await api.post("/api/v1/analyses", json=analysis_body())
            refused = await api.post("/api/v1/analyses", json=analysis_body())
            canceled = await api.delete(f"/api/v1/analyses/{accepted.json()['id']}")
        finally:
            providers.control(delay=0)

        async def admitted() -> httpx.Response | None:
            response = await api.post("/api/v1/analyses", json=analysis_body())
            return response if response.status_code == 202 else None

        again = await eventually(admitted, timeout=30)

    assert accepted.status_code == 202
    assert_problem(refused, 402, "credit-limit-reached")
    assert canceled.json()["status"] == "canceled"
    assert again.status_code == 202


async def test_test_keys_never_hit_the_credit_limit(
    stack: LocalStack, http: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    partner = create_partner(stack, "Sandbox credits", monthly_credits=1)
    live = as_key(partner)
    assert (
        await http.post("/api/v1/analyses", json=analysis_body(), headers=live)
    ).status_code == 202
    assert (
        await http.post("/api/v1/analyses", json=analysis_body(), headers=live)
    ).status_code == 402
    test_key = {"X-API-Key": await issue_key(db, partner, Environment.TEST)}

    responses = [
        await http.post("/api/v1/analyses", json=analysis_body(), headers=test_key)
        for _ in range(2)
    ]

    assert [r.status_code for r in responses] == [202, 202]
