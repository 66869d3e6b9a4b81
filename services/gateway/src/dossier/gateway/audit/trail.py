"""The audit trail: append-only and hash-chained, one chain per partner.

Each entry carries `prev_hash` and `hash = sha256(prev_hash + canonical JSON of
the entry)`, so altering, removing or reordering a stored row breaks every hash
after it (`verify`). Entries are appended by unique insert of `<partner>:<seq>`:
two gateways appending at once cannot both take the same position (the loser
re-reads the head and tries the next one), which is the only race-safe write
on a store whose conditional updates are not atomic (see docs/architecture).

Entries never carry personal data: a candidate appears as `subject`, a keyed
digest of partner + client + candidate id, which survives erasure without
identifying anyone.
"""

import asyncio
import hashlib
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.timestamps import format_timestamp, utcnow
from dossier.runtime.collections import AUDIT_TRAIL
from dossier.runtime.mongo import Document

GENESIS = "0" * 64
_MAX_APPEND_ATTEMPTS = 200

#: Fields covered by an entry's hash, in this order.
CHAINED_FIELDS = ("seq", "at", "partner_id", "actor", "action", "target", "details")


def subject_of(partner_id: str, client_id: str, candidate_id: str) -> str:
    """A stable pseudonym for a candidate in the audit trail (no raw ids)."""
    digest = hashlib.sha256(f"{partner_id}\x1f{client_id}\x1f{candidate_id}".encode()).hexdigest()
    return f"sub_{digest[:24]}"


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    payload = {name: entry[name] for name in CHAINED_FIELDS}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def verify_chain(entries: list[Mapping[str, Any]]) -> int | None:
    """The `seq` of the first entry that does not verify, or None if the chain is intact.

    `entries` is one partner's chain in `seq` order, starting at 1.
    """
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if (
            entry["seq"] != expected_seq
            or entry["prev_hash"] != prev
            or entry_hash(prev, entry) != entry["hash"]
        ):
            return int(entry["seq"])
        prev = entry["hash"]
    return None


@dataclass(frozen=True)
class AuditTrail:
    db: AsyncDatabase[Document]

    async def ensure_indexes(self) -> None:
        await self.db[AUDIT_TRAIL].create_index([("partner_id", ASCENDING), ("seq", ASCENDING)])

    async def record(
        self,
        partner_id: str,
        action: str,
        *,
        actor: str,
        target: str,
        details: Mapping[str, Any] | None = None,
    ) -> Document:
        """Append one event (`key.created`, `analysis.canceled`, `candidate.erased`, …)."""
        collection = self.db[AUDIT_TRAIL]
        for _ in range(_MAX_APPEND_ATTEMPTS):
            head = await collection.find_one({"partner_id": partner_id}, sort=[("seq", DESCENDING)])
            seq = (head["seq"] + 1) if head else 1
            prev_hash = head["hash"] if head else GENESIS
            entry: Document = {
                "_id": f"{partner_id}:{seq:012d}",
                "seq": seq,
                "at": format_timestamp(utcnow()),
                "partner_id": partner_id,
                "actor": actor,
                "action": action,
                "target": target,
                "details": dict(details or {}),
                "prev_hash": prev_hash,
            }
            entry["hash"] = entry_hash(prev_hash, entry)
            try:
                await collection.insert_one(entry)
            except DuplicateKeyError:
                await asyncio.sleep(random.uniform(0, 0.01))  # noqa: S311 - jitter, not crypto
                continue
            return entry
        msg = "audit trail head kept moving; giving up"
        raise RuntimeError(msg)

    async def entries(
        self, partner_id: str, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[Document]:
        """A partner's chain in order (optionally the rows between two instants)."""
        query: Document = {"partner_id": partner_id}
        bounds: Document = {}
        if since is not None:
            bounds["$gte"] = format_timestamp(since)
        if until is not None:
            bounds["$lt"] = format_timestamp(until)
        if bounds:
            query["at"] = bounds
        cursor = self.db[AUDIT_TRAIL].find(query, sort=[("seq", ASCENDING)])
        return [doc async for doc in cursor]
