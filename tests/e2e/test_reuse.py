"""Reuse keyed by partner + client.id + candidate.id, and exactly one analysis under a burst."""

import asyncio
from typing import Any

import httpx

from tests.e2e.conftest import eventually
from tests.e2e.helpers import analysis_body, wait_terminal


async def test_completed_report_is_returned_at_once_without_charge(api: httpx.AsyncClient) -> None:
    body = analysis_body()
    first = (await api.post("/api/v1/analyses", json=body)).json()
    await wait_terminal(api, first["id"])

    again = await api.post("/api/v1/analyses", json=body)

    assert again.status_code == 200
    reused = again.json()
    assert reused["id"] == first["id"]
    assert reused["status"] == "completed"
    assert reused["report"] is not None
    assert reused["billing"] == {"charged": False, "credits_used": 0}


async def test_in_progress_analysis_is_returned_instead_of_a_second_run(
    api: httpx.AsyncClient,
) -> None:
    body = analysis_body()
    first = await api.post("/api/v1/analyses", json=body)

    second = await api.post("/api/v1/analyses", json=body)

    assert second.status_code in (200, 202)
    assert second.json()["id"] == first.json()["id"]


async def test_other_client_company_or_candidate_gets_a_new_analysis(
    api: httpx.AsyncClient,
) -> None:
    body = analysis_body()
    first = (await api.post("/api/v1/analyses", json=body)).json()
    other_client = analysis_body(candidate_id=body["candidate"]["id"])
    other_candidate = analysis_body(client_id=body["client"]["id"])

    ids = {
        (await api.post("/api/v1/analyses", json=b)).json()["id"]
        for b in (other_client, other_candidate)
    }

    assert first["id"] not in ids
    assert len(ids) == 2


async def test_canceled_analysis_is_replaced_by_a_new_one(api: httpx.AsyncClient) -> None:
    body = analysis_body()
    first = (await api.post("/api/v1/analyses", json=body)).json()
    await api.delete(f"/api/v1/analyses/{first['id']}")

    again = await api.post("/api/v1/analyses", json=body)

    assert again.status_code == 202
    assert again.json()["id"] != first["id"]


async def test_fifty_concurrent_identical_posts_create_one_analysis_and_one_charge(
    api: httpx.AsyncClient, db: Any
) -> None:
    body = analysis_body()

    responses = await asyncio.gather(*(api.post("/api/v1/analyses", json=body) for _ in range(50)))

    assert all(r.status_code in (200, 202) for r in responses), [r.status_code for r in responses]
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 1
    (analysis_id,) = ids
    await wait_terminal(api, analysis_id)
    candidate = body["candidate"]["id"]
    assert (
        await db.analyses.count_documents(
            {"candidate_id": candidate, "client_id": body["client"]["id"]}
        )
        == 1
    )
    await eventually(lambda: db.billing_ledger.find_one({"_id": analysis_id}))
    await asyncio.sleep(1)  # a duplicate charge would have landed by now
    assert await db.billing_ledger.count_documents({"candidate_id": candidate}) == 1
