"""The ledger: one entry per charged analysis, its `_id` the analysis id.

The unique `_id` is what makes charging exactly-once under redelivery: the
second insert of the same analysis fails and changes nothing. Once the analysis
is erased, the `_id` is a digest of the analysis id and the entry keeps no
candidate (`dossier.runtime.tombstones`); the same rule holds under that key. The entry also
records where its charge goes in the partner's credit journal (`chain_from`, a
position before its link; `chain_seq`, its link once announced), so a retried
message appends the charge to the journal once too.
"""

from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.enums import Environment
from dossier.contracts.events import AnalysisCompleted
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import LEDGER
from dossier.runtime.mongo import Document
from dossier.runtime.tombstones import Tombstones, pseudonymous_entry


def is_billable(event: AnalysisCompleted) -> bool:
    """Only new, live reports are charged: sandbox (test-key) analyses never are,
    and reuse, failure and cancellation never produce `analysis.completed`."""
    return event.billable and event.context.environment is Environment.LIVE


@dataclass(frozen=True)
class Charge:
    entry: Document
    new: bool  # recorded by this call (False: an earlier delivery of the message did)


class Ledger:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._entries = db[LEDGER]
        self._tombstones = Tombstones(db)

    async def charge_once(
        self, event: AnalysisCompleted, credits: int, *, chain_from: int
    ) -> Charge:
        """Record the charge unless it exists. Returns the (new or existing) entry.

        An erased analysis is charged under its pseudonymous id, without the candidate
        (`dossier.runtime.tombstones`): a late or redelivered `analysis.completed` finds
        the charge its erasure kept, by key, and neither charges twice nor writes the
        candidate back.
        """
        ctx = event.context
        entry = {
            "_id": ctx.analysis_id,
            "partner_id": ctx.partner_id,
            "client_id": ctx.client.id,
            "candidate_id": ctx.candidate.id,
            "channel": ctx.channel.value,
            "credits": credits,
            "charged_at": utcnow(),
            "announced": False,
            "chain_from": chain_from,
        }
        if await self._tombstones.is_erased(ctx.analysis_id):
            return await self._insert_once(pseudonymous_entry(entry, ctx.analysis_id, at=utcnow()))
        charge = await self._insert_once(entry)
        # Erasure buries the analysis before it pseudonymises the ledger, and this looks
        # for the tombstone after writing: one of the two always sees the other.
        if await self._tombstones.is_erased(ctx.analysis_id):
            return await self._pseudonymise(charge, ctx.analysis_id)
        return charge

    async def _insert_once(self, entry: Document) -> Charge:
        try:
            await self._entries.insert_one(entry)
        except DuplicateKeyError:
            existing = await self._entries.find_one({"_id": entry["_id"]})
            return Charge(existing or entry, new=existing is None)
        return Charge(entry, new=True)

    async def _pseudonymise(self, charge: Charge, analysis_id: str) -> Charge:
        """Replace a clear entry written while its analysis was being erased. The copy goes
        in first (or is found, if the erasure made it), then the clear entry goes."""
        kept = await self._insert_once(pseudonymous_entry(charge.entry, analysis_id, at=utcnow()))
        await self._entries.delete_one({"_id": analysis_id})
        return Charge(kept.entry, new=charge.new)

    async def mark_announced(self, entry_id: str, *, chain_seq: int) -> None:
        """`entry_id`: the entry's `_id` (the analysis id, or its pseudonym once erased)."""
        await self._entries.update_one(
            {"_id": entry_id}, {"$set": {"announced": True, "chain_seq": chain_seq}}
        )
