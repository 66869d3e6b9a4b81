"""The audit trail against a real MongoDB-protocol server: concurrent appends, redaction,
one chain per partner and environment."""

import asyncio
from typing import Any

import pytest

from dossier.contracts.enums import Environment
from dossier.gateway.audit.trail import (
    REDACTED_TARGET,
    AuditTrail,
    legacy_subject_of,
    subject_of,
    verify_chain,
)
from dossier.runtime.collections import API_KEYS

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


async def test_sandbox_entries_form_a_chain_of_their_own(mongo_db: Any) -> None:
    trail = AuditTrail(mongo_db)
    await trail.record("ptn_env", "key.created", actor="k", target="live_1")
    await trail.record(
        "ptn_env", "key.created", actor="k", target="test_1", environment=Environment.TEST
    )
    await trail.record(
        "ptn_env", "webhook.created", actor="k", target="test_2", details={"environment": "test"}
    )
    await trail.record("ptn_env", "key.revoked", actor="k", target="live_2")

    live = await trail.entries("ptn_env", Environment.LIVE)
    test = await trail.entries("ptn_env", Environment.TEST)
    assert [(e["seq"], e["target"]) for e in live] == [(1, "live_1"), (2, "live_2")]
    assert [(e["seq"], e["target"]) for e in test] == [(1, "test_1"), (2, "test_2")]
    assert (await trail.verify("ptn_env", Environment.LIVE)).valid
    assert (await trail.verify("ptn_env", Environment.TEST)).valid


async def test_an_entry_without_an_environment_goes_to_its_actors_chain(mongo_db: Any) -> None:
    await mongo_db[API_KEYS].insert_one(
        {"_id": "0123456789ab", "partner_id": "ptn_actor", "environment": "test"}
    )
    trail = AuditTrail(mongo_db)

    await trail.record("ptn_actor", "analysis.canceled", actor="0123456789ab", target="an_1")
    await trail.record("ptn_actor", "key.revoked", actor="operator-cli", target="key_1")

    assert [e["target"] for e in await trail.entries("ptn_actor", Environment.TEST)] == ["an_1"]
    assert [e["target"] for e in await trail.entries("ptn_actor", Environment.LIVE)] == ["key_1"]


async def test_redaction_reaches_sandbox_entries(mongo_db: Any) -> None:
    trail = AuditTrail(mongo_db)
    await trail.record(
        "ptn_red", "analysis.created", actor="k", target="an_t", environment=Environment.TEST
    )

    assert await trail.redact_targets("ptn_red", ["an_t"]) == 1
    assert [e["target"] for e in await trail.entries("ptn_red", Environment.TEST)] == [
        REDACTED_TARGET
    ]
    assert (await trail.verify("ptn_red", Environment.TEST)).valid


async def test_entries_with_unkeyed_subjects_still_verify_next_to_keyed_ones(
    mongo_db: Any,
) -> None:
    """The switch to keyed pseudonyms needs no migration: the chain hashes stored values."""
    trail = AuditTrail(mongo_db)
    old = legacy_subject_of("ptn_sub", "client_1", "cand_1")
    new = subject_of("ptn_sub", "client_1", "cand_1", key=b"k" * 32)
    await trail.record(
        "ptn_sub", "analysis.created", actor="k", target="a1", details={"subject": old}
    )
    await trail.record(
        "ptn_sub", "analysis.created", actor="k", target="a2", details={"subject": new}
    )

    assert old != new
    assert (await trail.verify("ptn_sub")).valid
