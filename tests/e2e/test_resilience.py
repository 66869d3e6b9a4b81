"""A 202 is a promise: kill -9 of any consumer mid-flight, or of the gateway before it
publishes, loses nothing and charges nothing twice."""

import asyncio
import secrets
from typing import Any

import httpx
import pytest

from dossier.contracts.api import AnalysisCreate
from dossier.contracts.enums import Channel, Environment
from dossier.devstack.stack import LocalStack
from dossier.gateway.analyses.reuse import reuse_key
from dossier.gateway.analyses.service import build_context, new_analysis_id, new_document
from dossier.runtime.read_model import AnalysisReadModel
from tests.e2e.conftest import Providers, eventually
from tests.e2e.helpers import analysis_body, service_env, wait_terminal


def uncached_body() -> dict[str, Any]:
    """A candidate no source has answered for yet, so every stage really waits on providers."""
    return analysis_body(last_name=f"Doe{secrets.token_hex(3)}")


async def _stage_of(api: httpx.AsyncClient, analysis_id: str) -> str | None:
    body: dict[str, Any] = (await api.get(f"/api/v1/analyses/{analysis_id}")).json()
    return body["stage"]


@pytest.mark.parametrize(
    ("service", "stage"), [("identity", "identity"), ("enrichment", "enrichment")]
)
async def test_consumer_killed_mid_message_resumes_after_restart(
    api: httpx.AsyncClient,
    stack: LocalStack,
    providers: Providers,
    db: Any,
    service: str,
    stage: str,
) -> None:
    providers.control(delay=2.0)  # the stage is waiting on a provider when it dies
    try:
        created = [
            (await api.post("/api/v1/analyses", json=uncached_body())).json()["id"]
            for _ in range(3)
        ]
        await eventually(lambda: _in_stage(api, created[0], stage), timeout=60)
        stack.services[service].kill()
    finally:
        providers.control(delay=0)
    stack.start_service(service)

    finals = [await wait_terminal(api, a, timeout=120) for a in created]

    assert [f["status"] for f in finals] == ["completed"] * 3
    for analysis_id in created:
        await eventually(lambda a=analysis_id: db.billing_ledger.find_one({"_id": a}))
        assert await db.billing_ledger.count_documents({"_id": analysis_id}) == 1


async def _in_stage(api: httpx.AsyncClient, analysis_id: str, stage: str) -> bool:
    return await _stage_of(api, analysis_id) == stage


async def test_reporter_killed_mid_flight_completes_once(
    api: httpx.AsyncClient, stack: LocalStack, providers: Providers, db: Any
) -> None:
    # The reporter waits on a (slow) LLM endpoint, so it is caught in the middle of a report.
    llm = {"DOSSIER_LLM_BASE_URL": f"{providers.url}/llm/v1", "DOSSIER_LLM_MODEL": "fake-model"}
    with service_env(stack, "reporter", llm):
        providers.control(delay=2.0)
        try:
            created = [
                (await api.post("/api/v1/analyses", json=uncached_body())).json()["id"]
                for _ in range(4)
            ]
            await eventually(lambda: _in_stage(api, created[0], "report"), timeout=90)
            stack.services["reporter"].kill()
            stack.start_service("reporter")
        finally:
            providers.control(delay=0)
        finals = [await wait_terminal(api, a, timeout=120) for a in created]

    assert [f["status"] for f in finals] == ["completed"] * 4
    assert {f["metadata"]["writer"] for f in finals} == {"deterministic"}  # fell back from the LLM
    for analysis_id in created:
        await eventually(lambda a=analysis_id: db.billing_ledger.find_one({"_id": a}))
        assert await db.billing_ledger.count_documents({"_id": analysis_id}) == 1


async def test_billing_killed_while_draining_a_backlog_charges_each_exactly_once(
    api: httpx.AsyncClient, stack: LocalStack, db: Any
) -> None:
    stack.services["billing"].kill()
    created = [
        (await api.post("/api/v1/analyses", json=analysis_body())).json()["id"] for _ in range(8)
    ]
    for analysis_id in created:
        assert (await wait_terminal(api, analysis_id))["status"] == "completed"
    assert await db.billing_ledger.count_documents({"_id": {"$in": created}}) == 0

    stack.start_service("billing")
    # Killed the moment the first charge lands: some messages handled, none committed yet.
    await eventually(
        lambda: db.billing_ledger.find_one({"_id": {"$in": created}}), timeout=60, every=0.01
    )
    stack.services["billing"].kill()
    charged_before_restart = await db.billing_ledger.count_documents({"_id": {"$in": created}})
    stack.start_service("billing")

    await eventually(lambda: _count_is(db, {"_id": {"$in": created}}, 8), timeout=60)
    await asyncio.sleep(1)
    assert 1 <= charged_before_restart <= 8
    assert await db.billing_ledger.count_documents({"_id": {"$in": created}}) == 8
    announced = await db.billing_ledger.count_documents(
        {"_id": {"$in": created}, "announced": True}
    )
    assert announced == 8


async def _count_is(db: Any, query: dict[str, Any], n: int) -> bool:
    return bool(await db.billing_ledger.count_documents(query) == n)


async def test_accepted_but_never_published_analysis_is_published_by_the_sweeper(
    api: httpx.AsyncClient, db: Any, partner: dict[str, str]
) -> None:
    """The state a gateway leaves when it dies between the insert and the Kafka publish."""
    body = AnalysisCreate.model_validate(analysis_body())
    context = build_context(
        body,
        analysis_id=new_analysis_id(),
        partner_id=partner["partner_id"],
        environment=Environment.LIVE,
        channel=Channel.V1,
    )
    key = reuse_key(partner["partner_id"], Environment.LIVE, body.client.id, body.candidate.id)
    # What `create` writes before it publishes: the accepted analysis and its reuse claim
    # (the head hint is written after the claim: a gateway that died has not written it).
    await AnalysisReadModel(db).accept(new_document(context, key))
    await db.reuse_index.insert_one(
        {"_id": f"{key}#1", "key": key, "generation": 1, "analysis_id": context.analysis_id}
    )

    final = await wait_terminal(api, context.analysis_id, timeout=90)

    assert final["status"] == "completed"
