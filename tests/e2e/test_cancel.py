"""DELETE cancels active analyses, wins races with the pipeline, and never charges."""

import asyncio
import random
from typing import Any

import httpx

from tests.e2e.conftest import Providers
from tests.e2e.helpers import analysis_body, wait_terminal


async def test_cancel_stops_an_active_analysis_for_good(
    api: httpx.AsyncClient, providers: Providers, db: Any
) -> None:
    providers.control(delay=1.0)
    try:
        created = (await api.post("/api/v1/analyses", json=analysis_body())).json()

        canceled = await api.delete(f"/api/v1/analyses/{created['id']}")
        await asyncio.sleep(4)  # the pipeline would have moved on by now
    finally:
        providers.control(delay=0)

    assert canceled.status_code == 200
    assert canceled.json()["status"] == "canceled"
    later = (await api.get(f"/api/v1/analyses/{created['id']}")).json()
    assert later["status"] == "canceled"
    assert later["report"] is None
    assert await db.billing_ledger.find_one({"_id": created["id"]}) is None
    assert await db.cv_keys.find_one({"_id": created["id"]}) is None


async def test_cancel_of_a_terminal_analysis_returns_it_unchanged(api: httpx.AsyncClient) -> None:
    created = (await api.post("/api/v1/analyses", json=analysis_body())).json()
    done = await wait_terminal(api, created["id"])

    response = await api.delete(f"/api/v1/analyses/{created['id']}")

    assert response.status_code == 200
    assert response.json() == {**done, "metadata": response.json()["metadata"]}
    assert response.json()["status"] == "completed"


async def test_cancel_racing_the_pipeline_never_yields_a_charged_canceled_analysis(
    api: httpx.AsyncClient, db: Any
) -> None:
    created = [
        (await api.post("/api/v1/analyses", json=analysis_body())).json()["id"] for _ in range(12)
    ]

    async def cancel_later(analysis_id: str) -> None:
        await asyncio.sleep(random.uniform(0, 2.5))
        await api.delete(f"/api/v1/analyses/{analysis_id}")

    await asyncio.gather(*(cancel_later(a) for a in created))
    finals = [await wait_terminal(api, a) for a in created]
    await asyncio.sleep(1.5)  # late stage writes and charges would have landed by now

    for final in finals:
        decided = await db.analysis_outcomes.find_one({"_id": final["id"]})
        charged = await db.billing_ledger.find_one({"_id": final["id"]})
        assert decided["status"] == final["status"]
        if final["status"] == "canceled":
            assert final["report"] is None
            assert charged is None
        else:
            assert final["status"] == "completed"
            assert charged is not None
