"""Terminal ⇒ CV key shredded and terminal event published, whatever dies when.

Each test runs one real process with `DOSSIER_FAULT_AFTER=outcome-inserted`: it exits
with status 137 (what kill -9 looks like) right after winning the outcome insert, before
it shredded the key or published anything. The process is then started normally, and the
test waits for the system to finish the job on its own: the key gone, the terminal event
on the real Kafka topic, the finalisation to-do gone, and billing's side exactly once.
"""

import contextlib
import json
import secrets
from datetime import timedelta
from typing import Any

import httpx

from dossier.contracts.api import AnalysisCreate
from dossier.contracts.enums import Channel, Environment
from dossier.contracts.timestamps import utcnow
from dossier.contracts.topics import ANALYSIS_CANCELED, ANALYSIS_COMPLETED, ANALYSIS_FAILED
from dossier.devstack.stack import LocalStack
from dossier.gateway.analyses.reuse import reuse_key
from dossier.gateway.analyses.service import build_context, new_analysis_id, new_document
from dossier.runtime.read_model import AnalysisReadModel
from tests.e2e.conftest import eventually
from tests.e2e.helpers import analysis_body, records_on, service_env, wait_terminal

FAULT = {"DOSSIER_FAULT_AFTER": "outcome-inserted"}


def _died(stack: LocalStack, name: str) -> bool:
    proc = stack.services[name].proc
    return proc is not None and proc.poll() is not None


async def _wait_died(stack: LocalStack, name: str, timeout: float = 120) -> int:
    async def probe() -> bool:
        return _died(stack, name)

    await eventually(probe, timeout=timeout, every=0.1)
    proc = stack.services[name].proc
    assert proc is not None
    return int(proc.returncode)


async def events_on(stack: LocalStack, topic: str, analysis_id: str) -> list[dict[str, Any]]:
    """Every event on `topic` keyed by this analysis, read from the real broker."""
    return [json.loads(r.value or b"{}") for r in await records_on(stack, topic, analysis_id)]


async def _finished(db: Any, analysis_id: str) -> bool:
    """Key shredded, no finalisation left, out of the in-flight list."""
    key, todo, inflight = (
        await db.cv_keys.find_one({"_id": analysis_id}),
        await db.analysis_finalisations.find_one({"_id": analysis_id}),
        await db.inflight_analyses.find_one({"_id": analysis_id}),
    )
    return key is None and todo is None and inflight is None


async def test_reporter_killed_after_completing_shreds_the_key_and_charges_once(
    api: httpx.AsyncClient, stack: LocalStack, db: Any
) -> None:
    with service_env(stack, "reporter", FAULT):
        analysis_id = (await api.post("/api/v1/analyses", json=analysis_body())).json()["id"]
        status = await _wait_died(stack, "reporter")
        outcome = await db.analysis_outcomes.find_one({"_id": analysis_id})
        key_at_crash = await db.cv_keys.find_one({"_id": analysis_id})
    # service_env restarted the reporter without the fault

    await eventually(lambda: _finished(db, analysis_id), timeout=90)
    await eventually(
        lambda: db.billing_ledger.find_one({"_id": analysis_id, "announced": True}), timeout=90
    )
    final = await wait_terminal(api, analysis_id)
    completed = await events_on(stack, ANALYSIS_COMPLETED, analysis_id)

    assert status == 137
    assert outcome is not None
    assert outcome["status"] == "completed"
    assert key_at_crash is not None, "the crash came before the key was shredded"
    assert final["status"] == "completed"
    assert len(completed) >= 1
    assert await db.billing_ledger.count_documents({"_id": analysis_id}) == 1


async def test_stage_killed_after_failing_an_analysis_shreds_the_key_and_announces_it(
    api: httpx.AsyncClient, stack: LocalStack, db: Any
) -> None:
    """The dead-letter path: identity cannot unwrap the analysis's key (it was damaged), gives
    up after its retries, wins the `failed` outcome, and dies before shredding/announcing."""
    stack.services["identity"].stop()
    try:
        analysis_id = (await api.post("/api/v1/analyses", json=analysis_body())).json()["id"]
        damaged = await db.cv_keys.update_one(
            {"_id": analysis_id}, {"$set": {"wrapped_key": secrets.token_bytes(60)}}
        )
        assert damaged.matched_count == 1
    except BaseException:
        stack.start_service("identity")
        raise
    with service_env(stack, "identity", FAULT):  # starts it, with the fault
        status = await _wait_died(stack, "identity")
        outcome = await db.analysis_outcomes.find_one({"_id": analysis_id})
        key_at_crash = await db.cv_keys.find_one({"_id": analysis_id})

    await eventually(lambda: _finished(db, analysis_id), timeout=90)
    final = await wait_terminal(api, analysis_id)
    failed = await events_on(stack, ANALYSIS_FAILED, analysis_id)

    assert status == 137
    assert outcome is not None
    assert outcome["status"] == "failed"
    assert key_at_crash is not None
    assert final["status"] == "failed"
    assert len(failed) >= 1
    assert failed[0]["error"]["code"] == outcome["error"]["code"]
    assert await db.billing_ledger.find_one({"_id": analysis_id}) is None


async def test_gateway_killed_after_canceling_shreds_the_key_and_announces_it(
    api: httpx.AsyncClient, stack: LocalStack, db: Any
) -> None:
    stack.services["identity"].stop()  # the analysis stays queued until it is canceled
    try:
        with service_env(stack, "gateway", FAULT):
            analysis_id = (await api.post("/api/v1/analyses", json=analysis_body())).json()["id"]
            with contextlib.suppress(httpx.HTTPError):  # it dies mid-request, as intended
                await api.delete(f"/api/v1/analyses/{analysis_id}")
            status = await _wait_died(stack, "gateway")
            outcome = await db.analysis_outcomes.find_one({"_id": analysis_id})
            key_at_crash = await db.cv_keys.find_one({"_id": analysis_id})
    finally:
        stack.start_service("identity")

    await eventually(lambda: _finished(db, analysis_id), timeout=90)
    final = await wait_terminal(api, analysis_id)
    canceled = await events_on(stack, ANALYSIS_CANCELED, analysis_id)

    assert status == 137
    assert outcome is not None
    assert outcome["status"] == "canceled"
    assert key_at_crash is not None
    assert final["status"] == "canceled"
    assert len(canceled) >= 1
    assert await db.billing_ledger.find_one({"_id": analysis_id}) is None


async def _accept_stale(db: Any, partner_id: str, *, age: timedelta) -> str:
    """An accepted, published analysis that has made no progress for `age` (what a pipeline
    that lost its message leaves behind)."""
    body = AnalysisCreate.model_validate(analysis_body(cv=None))
    context = build_context(
        body,
        analysis_id=new_analysis_id(),
        partner_id=partner_id,
        environment=Environment.LIVE,
        channel=Channel.V1,
    ).model_copy(update={"requested_at": utcnow() - age})
    key = reuse_key(partner_id, Environment.LIVE, body.client.id, body.candidate.id)
    model = AnalysisReadModel(db)
    await model.accept(new_document(context, key))
    await model.mark_published(context.analysis_id)
    await db.reuse_index.insert_one(
        {"_id": f"{key}#1", "key": key, "generation": 1, "analysis_id": context.analysis_id}
    )
    await db.cv_keys.insert_one(
        {"_id": context.analysis_id, "wrapped_key": b"x" * 60, "created_at": utcnow()}
    )
    return context.analysis_id


async def test_sweeper_killed_after_timing_out_an_analysis_shreds_the_key_and_announces_it(
    api: httpx.AsyncClient, stack: LocalStack, db: Any, partner: dict[str, str]
) -> None:
    status = None
    with service_env(stack, "gateway", FAULT):
        analysis_id = await _accept_stale(db, partner["partner_id"], age=timedelta(hours=2))
        # A pass may time out another stale leftover first: start it again until ours.
        for _ in range(5):
            status = await _wait_died(stack, "gateway")
            if await db.analysis_outcomes.find_one({"_id": analysis_id}):
                break
            stack.start_service("gateway", wait=False)
        outcome = await db.analysis_outcomes.find_one({"_id": analysis_id})
        key_at_crash = await db.cv_keys.find_one({"_id": analysis_id})

    await eventually(lambda: _finished(db, analysis_id), timeout=90)
    final = await wait_terminal(api, analysis_id)
    failed = await events_on(stack, ANALYSIS_FAILED, analysis_id)

    assert status == 137
    assert outcome is not None
    assert (outcome["status"], outcome["error"]["code"]) == ("failed", "timeout")
    assert key_at_crash is not None
    assert (final["status"], final["error"]["code"]) == ("failed", "timeout")
    assert len(failed) >= 1


async def test_one_malformed_in_flight_document_does_not_stop_the_sweepers_pass(
    api: httpx.AsyncClient, db: Any, partner: dict[str, str]
) -> None:
    bad_id = f"an_malformed_{secrets.token_hex(6)}"
    long_ago = utcnow() - timedelta(hours=3)
    # Listed in flight before the good one, so the pass meets it first; its analysis document
    # lacks most of its fields (a bug, a manual edit, an old schema).
    await db.analyses.insert_one({"_id": bad_id, "partner_id": partner["partner_id"]})
    await db.inflight_analyses.insert_one(
        {"_id": bad_id, "created_at": long_ago, "published": True}
    )
    try:
        stuck_id = await _accept_stale(db, partner["partner_id"], age=timedelta(hours=2))

        final = await wait_terminal(api, stuck_id, timeout=60)
    finally:
        await db.analyses.delete_one({"_id": bad_id})
        await db.inflight_analyses.delete_one({"_id": bad_id})

    assert (final["status"], final["error"]["code"]) == ("failed", "timeout")
