"""Freshness on `POST /api/v1/analyses`: `max_age_days` reuses only a young enough report,
`refresh` always starts a new one; new runs are billed, reuse stays free, and the answer
says which happened (`reused`)."""

import asyncio
import secrets
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import ANALYSIS_OUTCOMES, LEDGER
from tests.e2e.conftest import eventually
from tests.e2e.helpers import analysis_body, wait_terminal
from tests.e2e.test_legacy import LEGACY, legacy_body

CREATE = "/api/v1/analyses"


def pair_body(**extra: Any) -> dict[str, Any]:
    body = analysis_body(cv=None)
    return {**body, **extra}


async def completed_report(api: httpx.AsyncClient, body: dict[str, Any]) -> str:
    created = await api.post(CREATE, json=body)
    assert created.status_code == 202, created.text
    assert created.json()["reused"] is False
    analysis_id: str = created.json()["id"]
    assert (await wait_terminal(api, analysis_id))["status"] == "completed"
    return analysis_id


async def charged(db: AsyncDatabase[dict[str, Any]], analysis_id: str) -> None:
    await eventually(lambda: db[LEDGER].find_one({"_id": analysis_id}))


async def client_usage(api: httpx.AsyncClient, client_id: str) -> dict[str, Any]:
    report = (await api.get("/api/v1/usage", params={"group_by": "client"})).json()
    rows = [row for row in report["clients"] if row["client_id"] == client_id]
    return rows[0] if rows else {"generated": 0, "reused": 0, "credits": 0}


async def usage_reaches(api: httpx.AsyncClient, client_id: str, **expected: int) -> None:
    """Wait until the client company's usage row counts exactly `expected`."""

    async def counted() -> bool:
        row = await client_usage(api, client_id)
        return {name: row[name] for name in expected} == expected

    await eventually(counted, timeout=30)
    await asyncio.sleep(1)  # a late extra count would have landed by now
    assert await counted()


async def generations(api: httpx.AsyncClient, body: dict[str, Any]) -> list[str]:
    """The pair's analyses, newest first (the listing walks the reuse generations)."""
    params = {"client_id": body["client"]["id"], "candidate_id": body["candidate"]["id"]}
    page = (await api.get(CREATE, params=params)).json()
    return [a["id"] for a in page["data"]]


async def age_report(db: AsyncDatabase[dict[str, Any]], analysis_id: str, days: int) -> None:
    """Make a completed report `days` old: its one outcome document, rewritten by `_id`."""
    old = utcnow() - timedelta(days=days)
    result = await db[ANALYSIS_OUTCOMES].update_one(
        {"_id": analysis_id},
        {"$set": {"decided_at": old, "stages.report.metadata.generated_at": old}},
    )
    assert result.matched_count == 1


async def test_a_report_younger_than_max_age_is_reused_free(
    api: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    body = pair_body()
    first = await completed_report(api, body)
    await charged(db, first)

    again = await api.post(CREATE, json={**body, "max_age_days": 1})

    assert again.status_code == 200, again.text
    assert again.json()["id"] == first
    assert again.json()["reused"] is True
    assert again.json()["billing"] == {"charged": False, "credits_used": 0}
    await usage_reaches(api, body["client"]["id"], generated=1, reused=1, credits=1)


async def test_a_report_older_than_max_age_is_replaced_by_a_new_billed_analysis(
    api: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    body = pair_body()
    first = await completed_report(api, body)
    await charged(db, first)
    await age_report(db, first, days=3)

    fresh = await api.post(CREATE, json={**body, "max_age_days": 2})

    assert fresh.status_code == 202, fresh.text
    assert fresh.json()["reused"] is False
    second = fresh.json()["id"]
    assert second != first
    assert (await wait_terminal(api, second))["status"] == "completed"
    await charged(db, second)
    await usage_reaches(api, body["client"]["id"], generated=2, reused=0, credits=2)
    # The old report still answers a request that accepts its age; reuse follows the new one.
    kept = await api.post(CREATE, json={**body, "max_age_days": 5})
    assert (kept.status_code, kept.json()["id"], kept.json()["reused"]) == (200, second, True)
    assert await generations(api, body) == [second, first]


async def test_refresh_starts_a_new_billed_analysis_and_reuse_then_returns_it(
    api: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    body = pair_body()
    first = await completed_report(api, body)
    await charged(db, first)

    refreshed = await api.post(CREATE, json={**body, "refresh": True})

    assert refreshed.status_code == 202, refreshed.text
    assert refreshed.json()["reused"] is False
    second = refreshed.json()["id"]
    assert second != first
    assert refreshed.headers["Location"] == f"/api/v1/analyses/{second}"
    assert (await wait_terminal(api, second))["status"] == "completed"
    await charged(db, second)
    reused = await api.post(CREATE, json=body)
    assert reused.status_code == 200
    assert (reused.json()["id"], reused.json()["reused"]) == (second, True)
    assert reused.json()["billing"] == {"charged": False, "credits_used": 0}
    assert await generations(api, body) == [second, first]
    assert (await api.get(f"{CREATE}/{first}")).json()["status"] == "completed"  # kept


async def test_fifty_concurrent_refreshes_with_one_idempotency_key_start_one_analysis(
    api: httpx.AsyncClient, db: AsyncDatabase[dict[str, Any]]
) -> None:
    body = pair_body()
    first = await completed_report(api, body)
    headers = {"Idempotency-Key": str(uuid.uuid4())}

    async def post_until_answered() -> httpx.Response:
        """A client's retry loop: `409 idempotency-key-in-progress` means the first copy is
        still running (a loaded machine); the retry then gets its replayed answer."""
        for _ in range(60):
            response = await api.post(CREATE, json={**body, "refresh": True}, headers=headers)
            if response.status_code != 409:
                return response
            assert response.json()["type"].endswith("/idempotency-key-in-progress")
            await asyncio.sleep(0.5)
        pytest.fail("the first refresh never finished")

    responses = await asyncio.gather(*(post_until_answered() for _ in range(50)))

    assert {r.status_code for r in responses} == {202}, [r.text for r in responses]
    assert {r.json()["reused"] for r in responses} == {False}
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 1
    (second,) = ids
    assert second != first
    assert await generations(api, body) == [second, first]
    await wait_terminal(api, second)
    await charged(db, second)
    await asyncio.sleep(1)  # a duplicate charge would have landed by now
    candidate = body["candidate"]["id"]
    assert await db[LEDGER].count_documents({"candidate_id": candidate}) == 2


async def test_a_refresh_while_one_runs_returns_the_running_one(api: httpx.AsyncClient) -> None:
    body = pair_body()
    running = (await api.post(CREATE, json=body)).json()["id"]

    again = await api.post(CREATE, json={**body, "refresh": True})

    if again.status_code == 202 and again.json()["id"] == running:
        assert again.json()["reused"] is True
    else:  # it finished in between: the refresh replaced it
        assert (await api.get(f"{CREATE}/{running}")).json()["status"] == "completed"
        assert again.json()["reused"] is False


@pytest.mark.parametrize(
    "fields",
    [
        {"max_age_days": 0},
        {"max_age_days": -1},
        {"max_age_days": 3651},
        {"max_age_days": "5"},
        {"max_age_days": 1.5},
        {"max_age_days": True},
        {"refresh": "yes"},
        {"refresh": 1},
        {"refresh": None},
    ],
    ids=repr,
)
async def test_bad_freshness_values_are_422_and_start_nothing(
    api: httpx.AsyncClient, fields: dict[str, Any]
) -> None:
    body = pair_body(**fields)

    response = await api.post(CREATE, json=body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert next(iter(fields)) in response.text
    assert await generations(api, body) == []


async def test_max_age_and_refresh_are_accepted_at_their_bounds(api: httpx.AsyncClient) -> None:
    client_id = f"client_{secrets.token_hex(4)}"
    for fields in ({"max_age_days": 1}, {"max_age_days": 3650}, {"refresh": False}):
        response = await api.post(CREATE, json=pair_body(**fields) | {"client": {"id": client_id}})
        assert response.status_code == 202, (fields, response.text)
        assert response.json()["reused"] is False


async def test_the_legacy_route_takes_refresh_and_max_age_days(
    gateway_url: str, partner: dict[str, str]
) -> None:
    body = legacy_body(partner["platform_id"])
    async with httpx.AsyncClient(
        base_url=gateway_url, headers={"X-Partner-Key": partner["partner_key"]}, timeout=60
    ) as legacy:

        async def finished(report_id: str) -> dict[str, Any]:
            async def probe() -> dict[str, Any] | None:
                answer: dict[str, Any] = (await legacy.get(f"{LEGACY}/{report_id}")).json()
                return answer if answer["status"] != "generating" else None

            return await eventually(probe, timeout=90)

        first = (await legacy.post(LEGACY, json=body)).json()["report_id"]
        assert (await finished(first))["status"] == "generated"
        young = await legacy.post(LEGACY, json={**body, "max_age_days": 30})
        refreshed = await legacy.post(LEGACY, json={**body, "refresh": True})
        refused = await legacy.post(LEGACY, json={**body, "max_age_days": 0})

    assert (young.json()["report_id"], young.json()["status"]) == (first, "existing")
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["report_id"] != first
    assert refreshed.json()["status"] in {"generating", "generated"}
    assert refused.status_code == 422
