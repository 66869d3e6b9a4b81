"""Audit trail, candidate erasure and the partner export, over HTTP against the running stack.

Each test uses partners of its own (`create_partner`), so altering an audit row or
erasing a candidate never touches what other tests rely on.
"""

import csv
import hashlib
import io
import json
import random
import secrets
import string
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from bson import json_util

from dossier.contracts.privacy import PartnerExport
from dossier.devstack.stack import LocalStack
from tests.e2e.conftest import create_partner, eventually
from tests.e2e.helpers import SAMPLE_CV, analysis_body, wait_terminal

GENESIS = "0" * 64


@dataclass
class PartnerApi:
    id: str
    http: httpx.AsyncClient


@asynccontextmanager
async def partner_client(stack: LocalStack, name: str) -> AsyncIterator[PartnerApi]:
    """A partner of the test's own, and an HTTP client with its all-scopes key."""
    partner = create_partner(stack, f"{name} {secrets.token_hex(3)}")
    async with httpx.AsyncClient(
        base_url=stack.config.gateway_url, headers={"X-API-Key": partner["api_key"]}, timeout=60
    ) as client:
        yield PartnerApi(partner["partner_id"], client)


def recompute_chain(rows: list[dict[str, str]]) -> int | None:
    """The documented hash, recomputed here independently of the gateway's code."""
    prev = GENESIS
    for expected, row in enumerate(rows, start=1):
        payload: dict[str, Any] = {
            "seq": int(row["seq"]),
            "at": row["at"],
            "partner_id": row["partner_id"],
            "actor": row["actor"],
            "action": row["action"],
            "details": json.loads(row["details"]),
        }
        if row["target_digest"]:
            payload["target_digest"] = row["target_digest"]
            if row["target"] != "[erased]":
                assert hashlib.sha256(row["target"].encode()).hexdigest() == row["target_digest"]
        else:
            payload["target"] = row["target"]
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256((prev + canonical).encode()).hexdigest()
        if int(row["seq"]) != expected or row["prev_hash"] != prev or row["hash"] != digest:
            return expected
        prev = row["hash"]
    return None


async def audit_rows(client: httpx.AsyncClient) -> list[dict[str, str]]:
    response = await client.get("/api/v1/audit/export")
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


def unique_name() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=10)).capitalize()


async def test_audit_export_is_csv_with_a_valid_chain(stack: LocalStack) -> None:
    async with partner_client(stack, "Audit Export") as partner:
        client = partner.http
        created = (await client.post("/api/v1/analyses", json=analysis_body(cv=None))).json()
        await client.delete(f"/api/v1/analyses/{created['id']}")
        response = await client.get("/api/v1/audit/export")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert [r["action"] for r in rows] == ["analysis.created", "analysis.canceled"]
    assert recompute_chain(rows) is None


async def test_audit_verify_reports_a_row_altered_in_the_database(
    stack: LocalStack, db: Any
) -> None:
    async with partner_client(stack, "Audit Tamper") as partner:
        client = partner.http
        for _ in range(2):
            created = (await client.post("/api/v1/analyses", json=analysis_body(cv=None))).json()
            await client.delete(f"/api/v1/analyses/{created['id']}")
        before = (await client.get("/api/v1/audit/verify")).json()
        await db["audit_trail"].update_one(
            {"partner_id": partner.id, "seq": 3}, {"$set": {"action": "key.created"}}
        )
        after = (await client.get("/api/v1/audit/verify")).json()
        rows = await audit_rows(client)

    assert before == {
        "valid": True,
        "entries": 4,
        "first_invalid_seq": None,
        "head_hash": before["head_hash"],
    }
    assert (after["valid"], after["first_invalid_seq"], after["entries"]) == (False, 3, 4)
    assert recompute_chain(rows) == 3


async def test_audit_operations_need_keys_manage(stack: LocalStack) -> None:
    async with partner_client(stack, "Audit Scope") as partner:
        client = partner.http
        minted = await client.post(
            "/api/v1/keys", json={"name": "reader", "scopes": ["analyses:read", "usage:read"]}
        )
        assert minted.status_code == 201, minted.text
        limited = {"X-API-Key": minted.json()["key"]}
        export = await client.get("/api/v1/audit/export", headers=limited)
        verify = await client.get("/api/v1/audit/verify", headers=limited)
        partner_export = await client.get("/api/v1/export", headers=limited)

    assert [r.status_code for r in (export, verify, partner_export)] == [403, 403, 403]


async def documents_mentioning(db: Any, needles: list[str]) -> list[str]:
    """Every collection, every document, searched as JSON (binary fields decoded too)."""
    found: list[str] = []
    for name in await db.list_collection_names():
        async for doc in db[name].find({}):
            text = json_util.dumps(doc)
            found += [f"{name} {doc.get('_id')}: {n}" for n in needles if n in text]
    return found


async def test_erasure_leaves_no_trace_of_the_candidate(stack: LocalStack, db: Any) -> None:
    first, last = unique_name(), unique_name()
    candidate_id = f"cand_erase_{secrets.token_hex(6)}"
    client_id = f"client_{secrets.token_hex(4)}"
    cv = SAMPLE_CV.replace("John Doe", f"{first} {last}")
    body = analysis_body(
        client_id=client_id, candidate_id=candidate_id, cv=cv, first_name=first, last_name=last
    )
    async with partner_client(stack, "Erasure") as partner:
        client = partner.http
        created = (await client.post("/api/v1/analyses", json=body)).json()
        analysis_id = created["id"]
        final = await wait_terminal(client, analysis_id)
        assert final["status"] == "completed"
        pdf = await client.get(final["metadata"]["pdf_download_url"])
        assert pdf.status_code == 200
        reused = await client.post("/api/v1/analyses", json=body)
        assert (reused.status_code, reused.json()["id"]) == (200, analysis_id)
        await eventually(lambda: db["billing_ledger"].find_one({"_id": analysis_id}))
        needles = [candidate_id, analysis_id, first, last]
        assert await documents_mentioning(db, needles), "the test sees the data before erasure"

        erased = await client.delete(
            f"/api/v1/candidates/{candidate_id}", params={"client_id": client_id}
        )

        assert erased.status_code == 200, erased.text
        assert erased.json()["analyses"] == 1
        assert erased.json()["deleted"]["analyses"] == 1

        async def clean() -> bool:
            return not await documents_mentioning(db, needles)

        await eventually(clean, timeout=45, every=2)
        assert await documents_mentioning(db, needles) == []
        gone = await client.get(f"/api/v1/analyses/{analysis_id}")
        again = await client.post("/api/v1/analyses", json=body)
        rows = await audit_rows(client)
        await client.delete(f"/api/v1/analyses/{again.json()['id']}")

    assert gone.status_code == 404
    assert again.status_code == 202
    assert again.json()["id"] != analysis_id
    erasures = [r for r in rows if r["action"] == "candidate.erased"]
    assert len(erasures) == 1
    assert erasures[0]["target"].startswith("sbj_")
    assert recompute_chain(rows) is None


async def test_erasure_of_a_running_analysis_cancels_it_and_leaves_no_trace(
    stack: LocalStack, db: Any
) -> None:
    first, last = unique_name(), unique_name()
    body = analysis_body(first_name=first, last_name=last)
    candidate_id, client_id = body["candidate"]["id"], body["client"]["id"]
    async with partner_client(stack, "Erasure Running") as partner:
        client = partner.http
        created = (await client.post("/api/v1/analyses", json=body)).json()
        erased = await client.delete(
            f"/api/v1/candidates/{candidate_id}", params={"client_id": client_id}
        )
        needles = [candidate_id, created["id"], first, last]

        async def clean() -> bool:
            return not await documents_mentioning(db, needles)

        # Stages in flight may write once more; the follow-up sweeps remove it.
        await eventually(clean, timeout=45, every=2)
        ledger = await db["billing_ledger"].count_documents({"partner_id": partner.id})

    assert erased.status_code == 200
    assert erased.json()["canceled"] == 1
    assert await documents_mentioning(db, needles) == []
    assert ledger == 0


async def test_erasure_keeps_the_billing_record_without_the_candidate(
    stack: LocalStack, db: Any
) -> None:
    body = analysis_body(cv=None)
    candidate_id, client_id = body["candidate"]["id"], body["client"]["id"]
    async with partner_client(stack, "Erasure Billing") as partner:
        client = partner.http
        created = (await client.post("/api/v1/analyses", json=body)).json()
        assert (await wait_terminal(client, created["id"]))["status"] == "completed"
        await eventually(lambda: db["billing_ledger"].find_one({"_id": created["id"]}))
        erased = await client.delete(
            f"/api/v1/candidates/{candidate_id}", params={"client_id": client_id}
        )
        ledger = [d async for d in db["billing_ledger"].find({"partner_id": partner.id})]

    assert erased.json()["pseudonymised"] == {"billing_ledger": 1}
    assert [(d["client_id"], d["credits"], d.get("candidate_id")) for d in ledger] == [
        (client_id, 1, None)
    ]


async def test_erasing_another_partners_candidate_is_404_and_deletes_nothing(
    stack: LocalStack,
) -> None:
    body = analysis_body(cv=None)
    candidate_id, client_id = body["candidate"]["id"], body["client"]["id"]
    async with (
        partner_client(stack, "Erasure Owner") as owner_p,
        partner_client(stack, "Erasure Stranger") as stranger_p,
    ):
        owner = owner_p.http
        stranger = stranger_p.http
        created = (await owner.post("/api/v1/analyses", json=body)).json()
        attempt = await stranger.delete(
            f"/api/v1/candidates/{candidate_id}", params={"client_id": client_id}
        )
        still = await owner.get(f"/api/v1/analyses/{created['id']}")
        await owner.delete(f"/api/v1/analyses/{created['id']}")

    assert attempt.status_code == 404
    assert attempt.headers["content-type"] == "application/problem+json"
    assert still.status_code == 200
    assert still.json()["status"] != "canceled"


async def test_erasure_without_client_id_is_422(stack: LocalStack) -> None:
    async with partner_client(stack, "Erasure Bad") as partner:
        client = partner.http
        response = await client.delete("/api/v1/candidates/cand_1")

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_partner_export_holds_own_data_only_and_no_secrets(
    stack: LocalStack, db: Any
) -> None:
    async with (
        partner_client(stack, "Export Owner") as owner_p,
        partner_client(stack, "Export Other") as other_p,
    ):
        owner = owner_p.http
        other = other_p.http
        mine = (await owner.post("/api/v1/analyses", json=analysis_body(cv=None))).json()
        theirs = (await other.post("/api/v1/analyses", json=analysis_body(cv=None))).json()
        hook = await owner.post(
            "/api/v1/webhooks",
            json={"url": "http://127.0.0.1:9/hooks", "events": ["analysis.failed"]},
        )
        assert hook.status_code == 201, hook.text
        response = await owner.get("/api/v1/export")
        key_hashes = [d["hash"] async for d in db["api_keys"].find({})]
        for client, created in ((owner, mine), (other, theirs)):
            await client.delete(f"/api/v1/analyses/{created['id']}")

    assert response.status_code == 200
    export = PartnerExport.model_validate_json(response.text)
    assert mine["id"] in [a.id for a in export.analyses]
    assert theirs["id"] not in response.text
    assert export.partner.id == owner_p.id
    assert {k.prefix.split("_")[0] for k in export.keys} >= {"ats"}
    assert [w.id for w in export.webhooks] == [hook.json()["id"]]
    assert hook.json()["secret"] not in response.text
    assert not [h for h in key_hashes if h in response.text]
    assert {e.action for e in export.audit} >= {"analysis.created"}
