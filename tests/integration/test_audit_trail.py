"""The audit trail against a real MongoDB-protocol server: concurrent appends, redaction."""

import asyncio
from typing import Any

import pytest

from dossier.gateway.audit.trail import REDACTED_TARGET, AuditTrail, verify_chain

pytestmark = pytest.mark.integration


async def test_concurrent_records_take_consecutive_seqs_in_one_valid_chain(mongo_db: Any) -> None:
    trail = AuditTrail(mongo_db)

    await asyncio.gather(
        *(trail.record("ptn_a", "key.created", actor="key_1", target=f"key_{i}") for i in range(20))
    )

    entries = await trail.entries("ptn_a")
    assert [e["seq"] for e in entries] == list(range(1, 21))
    assert verify_chain(entries) is None


async def test_chains_of_two_partners_are_independent(mongo_db: Any) -> None:
    trail = AuditTrail(mongo_db)
    await trail.record("ptn_a", "key.created", actor="k", target="t1")
    await trail.record("ptn_b", "key.created", actor="k", target="t2")
    await trail.record("ptn_a", "key.revoked", actor="k", target="t1")

    assert [e["seq"] for e in await trail.entries("ptn_a")] == [1, 2]
    assert [e["seq"] for e in await trail.entries("ptn_b")] == [1]


async def test_redacting_a_target_keeps_the_chain_valid(mongo_db: Any) -> None:
    trail = AuditTrail(mongo_db)
    await trail.record("ptn_a", "analysis.created", actor="k", target="an_secret")
    await trail.record("ptn_a", "analysis.canceled", actor="k", target="an_secret")
    await trail.record("ptn_a", "analysis.created", actor="k", target="an_other")

    assert await trail.redact_targets("ptn_a", ["an_secret"]) == 2

    entries = await trail.entries("ptn_a")
    assert [e["target"] for e in entries] == [REDACTED_TARGET, REDACTED_TARGET, "an_other"]
    assert (await trail.verify("ptn_a")).valid


async def test_a_row_altered_in_the_database_breaks_verification_at_its_seq(
    mongo_db: Any,
) -> None:
    trail = AuditTrail(mongo_db)
    for i in range(4):
        await trail.record("ptn_a", "key.created", actor="k", target=f"key_{i}")
    await mongo_db["audit_trail"].update_one(
        {"partner_id": "ptn_a", "seq": 3}, {"$set": {"actor": "someone_else"}}
    )

    check = await trail.verify("ptn_a")
    assert (check.valid, check.first_invalid_seq, check.entries) == (False, 3, 4)
