"""Erasure is final: tombstones every writer of personal data consults, by key.

Candidate erasure (gateway, `privacy/erasure.py`) buries each erased analysis
*before* it removes anything: one `erasure_tombstones` document keyed by a digest
of the analysis id (`tomb_<digest>`; the analysis id itself is not kept). A writer
that could re-create personal data about an analysis after its erasure — billing's
ledger on a late or redelivered `analysis.completed`, above all — reads the
tombstone by `_id` and writes only the pseudonymised form. Writers that race the
erasure write first and check after: the erasure buries first and purges after,
so one of the two always sees the other.

A pseudonymised ledger entry keeps only the financial record (art. 4(5) GDPR):
partner, client company, channel, credits, date and where its charge sits in the
partner's credit journal; its `_id` is a digest of the analysis id, so a late
charge of the same analysis still finds it by key and is not made twice.
"""

import hashlib
from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import ERASURE_TOMBSTONES
from dossier.runtime.mongo import Document

#: What a pseudonymised ledger entry keeps: the financial record, nothing about the person.
LEDGER_KEPT_FIELDS = (
    "partner_id",
    "client_id",
    "channel",
    "credits",
    "charged_at",
    "announced",
    "chain_from",
    "chain_seq",
)


def _digest(analysis_id: str) -> str:
    return hashlib.sha256(analysis_id.encode()).hexdigest()[:32]


def pseudonymous_ledger_id(analysis_id: str) -> str:
    """A ledger id that no longer names the analysis. Whoever still holds the analysis id
    (the partner, in a billing dispute) can recompute it; nobody can go the other way."""
    return "led_" + _digest(analysis_id)


def tombstone_id(analysis_id: str) -> str:
    return "tomb_" + _digest(analysis_id)


def pseudonymous_entry(entry: Document, analysis_id: str, *, at: datetime) -> Document:
    """The ledger entry as kept after erasure (pure)."""
    kept: Document = {name: entry[name] for name in LEDGER_KEPT_FIELDS if name in entry}
    kept.update(_id=pseudonymous_ledger_id(analysis_id), pseudonymised=True, pseudonymised_at=at)
    return kept


class Tombstones:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._graves: AsyncCollection[Document] = db[ERASURE_TOMBSTONES]

    async def bury(self, partner_id: str, analysis_ids: list[str]) -> None:
        """Mark analyses as erased, for good (idempotent; keyed inserts)."""
        for analysis_id in analysis_ids:
            try:
                await self._graves.insert_one(
                    {"_id": tombstone_id(analysis_id), "partner_id": partner_id, "at": utcnow()}
                )
            except DuplicateKeyError:
                continue

    async def is_erased(self, analysis_id: str) -> bool:
        return (
            await self._graves.find_one({"_id": tombstone_id(analysis_id)}, {"_id": 1}) is not None
        )
