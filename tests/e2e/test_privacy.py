"""The CV is processed, not retained: a canary from a CV never reaches MongoDB or any log,
and what Kafka holds of it is ciphertext that becomes undecryptable once the analysis ends."""

import secrets
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from bson import json_util

from dossier.contracts.topics import ALL_TOPICS
from dossier.devstack.stack import LocalStack
from tests.e2e.helpers import SAMPLE_CV, analysis_body, wait_terminal


async def test_cv_canary_never_reaches_mongodb_logs_or_kafka_in_clear(
    api: httpx.AsyncClient, db: Any, stack: LocalStack
) -> None:
    canary = f"CANARY{secrets.token_hex(8)}"
    cv = SAMPLE_CV + f"\nHobbies\nSailing, chess, and the secret word {canary}.\n"
    created = (await api.post("/api/v1/analyses", json=analysis_body(cv=cv))).json()
    final = await wait_terminal(api, created["id"])
    assert final["status"] == "completed"

    for name in await db.list_collection_names():
        async for doc in db[name].find({}):
            assert canary not in json_util.dumps(doc), f"canary found in MongoDB collection {name}"
    for log in Path(stack.config.logs).glob("*.log"):
        assert canary not in log.read_text(errors="replace"), f"canary found in {log.name}"
    consumer = AIOKafkaConsumer(
        *ALL_TOPICS,
        bootstrap_servers=stack.config.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=3000, max_records=100_000)
    finally:
        await consumer.stop()
    raw = b"".join(r.value or b"" for records in batches.values() for r in records)
    assert raw, "the test read the topics"
    assert canary.encode() not in raw
    assert await db.cv_keys.find_one({"_id": created["id"]}) is None, "data key shredded"
