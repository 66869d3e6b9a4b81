"""Candidate erasure against a real MongoDB-protocol server: what goes, what stays pseudonymised,
and the follow-up sweep that removes a stage write landing after the erasure."""

import asyncio
import secrets
import time
from typing import Any

import pytest
from bson import json_util

from dossier.contracts.enums import AnalysisStatus, Environment, Stage
from dossier.gateway.analyses.reuse import reuse_key
from dossier.gateway.audit.trail import AuditTrail
from dossier.gateway.privacy.erasure import CandidateEraser, pseudonymous_ledger_id
from dossier.runtime.read_model import AnalysisReadModel
from dossier.sources.cache import MongoSourceCache, candidate_key

pytestmark = pytest.mark.integration

PARTNER = "ptn_erasure"


async def seed_analysis(db: Any, *, candidate_id: str, first: str, last: str) -> str:
    """One analysis with everything the pipeline derives from it, written as each owner does."""
    analysis_id = f"an_{secrets.token_hex(12)}"
    key = reuse_key(PARTNER, Environment.LIVE, "client_1", candidate_id)
    await db["analyses"].insert_one(
        {
            "_id": analysis_id,
            "partner_id": PARTNER,
            "environment": "live",
            "client_id": "client_1",
            "candidate_id": candidate_id,
            "reuse_key": key,
            "created_at": time.time(),
            "context": {"candidate": {"id": candidate_id, "first_name": first, "last_name": last}},
        }
    )
    await db["reuse_index"].insert_one(
        {"_id": f"{key}#1", "key": key, "generation": 1, "analysis_id": analysis_id}
    )
    read_model = AnalysisReadModel(db)
    await read_model.enter_stage(analysis_id, Stage.IDENTITY)
    await read_model.decide_outcome(analysis_id, AnalysisStatus.COMPLETED, partner_id=PARTNER)
    await db["report_pdfs"].insert_one({"_id": analysis_id, "partner_id": PARTNER, "pdf": b"%PDF"})
    await db["billing_ledger"].insert_one(
        {
            "_id": analysis_id,
            "partner_id": PARTNER,
            "client_id": "client_1",
            "candidate_id": candidate_id,
            "credits": 1,
            "charged_at": time.time(),
        }
    )
    await db["webhook_deliveries"].insert_one(
        {"_id": f"dl_{secrets.token_hex(4)}", "partner_id": PARTNER, "analysis_id": analysis_id}
    )
    await db["idempotency_keys"].insert_one(
        {"_id": f"{PARTNER}:live:k1", "resource_id": None, "body": analysis_id.encode()}
    )
    await MongoSourceCache(db["source_cache"]).put(
        f"{candidate_key(f'{first} {last}')}:github:v1:abc", {"name": f"{first} {last}"}, 3600
    )
    await AuditTrail(db).record(PARTNER, "analysis.created", actor="key_1", target=analysis_id)
    return analysis_id


async def no_cancel(analysis_id: str, partner_id: str, actor: str) -> bool:
    return False


async def documents_mentioning(db: Any, *needles: str) -> list[str]:
    found = []
    for name in await db.list_collection_names():
        async for doc in db[name].find({}):
            text = json_util.dumps(doc)
            found += [f"{name}: {n}" for n in needles if n in text]
    return found


async def test_erasure_leaves_no_document_naming_the_candidate_or_analysis(mongo_db: Any) -> None:
    candidate_id, first, last = (
        f"cand_{secrets.token_hex(4)}",
        "Quillon",
        f"Vex{secrets.token_hex(3)}",
    )
    analysis_id = await seed_analysis(mongo_db, candidate_id=candidate_id, first=first, last=last)
    eraser = CandidateEraser(mongo_db, AuditTrail(mongo_db), no_cancel, follow_up_delays=())

    result = await eraser.erase(
        partner_id=PARTNER,
        environment=Environment.LIVE,
        client_id="client_1",
        candidate_id=candidate_id,
        actor="key_1",
    )

    await eraser.drain()  # the catch-all sweep over other collections runs in the background

    assert result is not None
    assert result.analyses == 1
    assert await documents_mentioning(mongo_db, candidate_id, analysis_id, last) == []
    assert (await AuditTrail(mongo_db).verify(PARTNER)).valid


async def test_billing_record_is_kept_pseudonymised(mongo_db: Any) -> None:
    candidate_id = f"cand_{secrets.token_hex(4)}"
    analysis_id = await seed_analysis(mongo_db, candidate_id=candidate_id, first="A", last="B")
    eraser = CandidateEraser(mongo_db, AuditTrail(mongo_db), no_cancel, follow_up_delays=())

    await eraser.erase(
        partner_id=PARTNER,
        environment=Environment.LIVE,
        client_id="client_1",
        candidate_id=candidate_id,
        actor="key_1",
    )

    kept = await mongo_db["billing_ledger"].find_one({"_id": pseudonymous_ledger_id(analysis_id)})
    assert kept is not None
    assert (kept["partner_id"], kept["client_id"], kept["credits"]) == (PARTNER, "client_1", 1)
    assert "candidate_id" not in kept


async def test_erasing_an_unknown_candidate_finds_nothing(mongo_db: Any) -> None:
    eraser = CandidateEraser(mongo_db, AuditTrail(mongo_db), no_cancel, follow_up_delays=())
    result = await eraser.erase(
        partner_id=PARTNER,
        environment=Environment.LIVE,
        client_id="client_1",
        candidate_id="nobody",
        actor="key_1",
    )
    assert result is None


async def test_follow_up_sweep_removes_a_stage_write_that_lands_after_the_erasure(
    mongo_db: Any,
) -> None:
    candidate_id = f"cand_{secrets.token_hex(4)}"
    analysis_id = await seed_analysis(mongo_db, candidate_id=candidate_id, first="A", last="B")
    eraser = CandidateEraser(mongo_db, AuditTrail(mongo_db), no_cancel, follow_up_delays=(0.5, 1.0))
    await eraser.erase(
        partner_id=PARTNER,
        environment=Environment.LIVE,
        client_id="client_1",
        candidate_id=candidate_id,
        actor="key_1",
    )

    # A reporter that passed its checks before the erasure finishes now.
    read_model = AnalysisReadModel(mongo_db)
    await read_model.enter_stage(analysis_id, Stage.REPORT)
    await mongo_db["report_pdfs"].insert_one({"_id": analysis_id, "pdf": b"%PDF"})
    await read_model.decide_outcome(analysis_id, AnalysisStatus.COMPLETED, partner_id=PARTNER)
    assert await documents_mentioning(mongo_db, analysis_id) != []

    await asyncio.wait_for(eraser.drain(), timeout=30)
    assert await documents_mentioning(mongo_db, analysis_id) == []
