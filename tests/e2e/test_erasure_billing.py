"""Erasure is final across billing lag and redelivery: a late `analysis.completed` charges once,
under the pseudonymous id only, and never writes the candidate back."""

import secrets
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from bson import json_util

from dossier.billing.app import GROUP_ID as BILLING_GROUP
from dossier.contracts.topics import ANALYSIS_COMPLETED
from dossier.devstack.stack import LocalStack
from dossier.runtime.tombstones import pseudonymous_ledger_id
from dossier.runtime.usage_sheets import analysis_token
from tests.e2e.conftest import create_partner, eventually
from tests.e2e.helpers import analysis_body, records_on, wait_terminal


async def _completed_record(stack: LocalStack, analysis_id: str) -> tuple[bytes, bytes]:
    """The `analysis.completed` message of this analysis, as it sits on the broker."""
    records = await records_on(stack, ANALYSIS_COMPLETED, analysis_id)
    assert records, "no analysis.completed on the broker"
    return records[0].key or b"", records[0].value or b""


async def _redeliver(stack: LocalStack, key: bytes, value: bytes) -> None:
    """Publish the same message again and wait until billing has consumed past it."""
    producer = AIOKafkaProducer(bootstrap_servers=stack.config.bootstrap)
    await producer.start()
    try:
        sent = await producer.send_and_wait(ANALYSIS_COMPLETED, value=value, key=key)
    finally:
        await producer.stop()
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.config.bootstrap)
    await admin.start()
    partition = TopicPartition(ANALYSIS_COMPLETED, sent.partition)
    try:

        async def consumed() -> bool:
            offsets = await admin.list_consumer_group_offsets(BILLING_GROUP, partitions=[partition])
            committed = offsets.get(partition)
            return committed is not None and committed.offset > sent.offset

        await eventually(consumed, timeout=90, every=0.5)
    finally:
        await admin.close()


async def _mentioning(db: Any, needle: str) -> list[str]:
    found = []
    for name in await db.list_collection_names():
        async for doc in db[name].find({}):
            if needle in json_util.dumps(doc):
                found.append(f"{name} {doc.get('_id')}")
    return found


async def test_erasure_while_billing_is_down_then_redelivery_charges_once_without_the_candidate(
    stack: LocalStack, db: Any
) -> None:
    partner = create_partner(stack, f"Erasure Lag {secrets.token_hex(3)}")
    body = analysis_body(cv=None)
    candidate_id, client_id = body["candidate"]["id"], body["client"]["id"]
    async with httpx.AsyncClient(
        base_url=stack.config.gateway_url, headers={"X-API-Key": partner["api_key"]}, timeout=60
    ) as client:
        stack.services["billing"].stop()
        try:
            analysis_id = (await client.post("/api/v1/analyses", json=body)).json()["id"]
            assert (await wait_terminal(client, analysis_id))["status"] == "completed"
            erased = await client.delete(
                f"/api/v1/candidates/{candidate_id}", params={"client_id": client_id}
            )
            assert erased.status_code == 200, erased.text
        finally:
            stack.start_service("billing")
        kept = pseudonymous_ledger_id(analysis_id)
        await eventually(
            lambda: db.billing_ledger.find_one({"_id": kept, "announced": True}), timeout=90
        )
        key, value = await _completed_record(stack, analysis_id)
        await _redeliver(stack, key, value)  # billing consumed the very same message again

    ledger = [d async for d in db.billing_ledger.find({"partner_id": partner["partner_id"]})]
    charges = await db.credit_journal.count_documents(
        {"event": f"charged:{analysis_token(analysis_id)}"}
    )
    assert [(d["_id"], d["credits"], d.get("candidate_id")) for d in ledger] == [(kept, 1, None)]
    assert charges == 1
    assert await _mentioning(db, candidate_id) == []
