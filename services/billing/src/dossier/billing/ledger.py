"""The ledger: one entry per charged analysis, its `_id` the analysis id.

The unique `_id` is what makes charging exactly-once under redelivery: the
second insert of the same analysis fails and changes nothing. The entry also
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

    async def charge_once(
        self, event: AnalysisCompleted, credits: int, *, chain_from: int
    ) -> Charge:
        """Record the charge unless it exists. Returns the (new or existing) entry."""
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
        try:
            await self._entries.insert_one(entry)
        except DuplicateKeyError:
            existing = await self._entries.find_one({"_id": ctx.analysis_id})
            return Charge(existing or entry, new=existing is None)
        return Charge(entry, new=True)

    async def mark_announced(self, analysis_id: str, *, chain_seq: int) -> None:
        await self._entries.update_one(
            {"_id": analysis_id}, {"$set": {"announced": True, "chain_seq": chain_seq}}
        )
