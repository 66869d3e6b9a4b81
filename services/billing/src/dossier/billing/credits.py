"""Billing's entries in the partners' credit journals (`dossier.runtime.credit_journal`).

Every live charge is appended (`charged:<token>`), and settles the analysis's hold
when the gateway kept one (partners with a monthly limit). A held analysis that
fails or is canceled releases its hold (`released:<token>`). Both are idempotent
under redelivery: a retry looks for its own link from a position its first
attempt recorded before appending anything.
"""

import asyncio
from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from dossier.billing.ledger import Charge
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import LEDGER
from dossier.runtime.credit_journal import CreditJournal, Head, advance
from dossier.runtime.mongo import Document
from dossier.runtime.usage_sheets import analysis_token, month_key


@dataclass(frozen=True)
class Standing:
    """What the journal says about one analysis before it is charged."""

    head: Head
    hold: Document | None


class CreditBook:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.journal = CreditJournal(db)
        self._ledger = db[LEDGER]

    async def before_charge(self, partner_id: str, analysis_id: str) -> Standing:
        """The partner's journal head (the ledger entry records it) and the analysis's hold."""
        head, hold = await asyncio.gather(
            self.journal.head(partner_id),
            self.journal.held(partner_id, analysis_token(analysis_id)),
        )
        return Standing(head, hold)

    async def charge(
        self, partner_id: str, analysis_id: str, charge: Charge, before: Standing
    ) -> int:
        """Append the charge to the journal once; returns its link's position."""
        event = f"charged:{analysis_token(analysis_id)}"
        entry = charge.entry
        if not charge.new and entry.get("chain_from") is not None:
            found = await self.journal.find_event(partner_id, event, after=entry["chain_from"])
            if found is not None:
                return int(found["seq"])
        month = month_key(entry["charged_at"])
        hold = before.hold
        settles = hold["month"] if hold is not None and "released_seq" not in hold else None
        link = await self.journal.append(
            partner_id,
            event,
            lambda totals: advance(totals, month, credits=int(entry["credits"]), settles=settles),
        )
        return int(link["seq"])

    async def release(self, partner_id: str, analysis_id: str) -> bool:
        """A failed or canceled analysis gives its held credit back. False if it held none
        (a sandbox analysis, a partner without a limit), gave it back already, or was
        charged (an analysis has one outcome; this only guards against a stray event)."""
        token = analysis_token(analysis_id)
        hold, charged = await asyncio.gather(
            self.journal.held(partner_id, token),
            self._ledger.find_one({"_id": analysis_id}, {"_id": 1}),
        )
        if hold is None or hold.get("released_seq") is not None or charged is not None:
            return False
        event = f"released:{token}"
        holds = self.journal.holds
        head = await self.journal.head(partner_id)
        found = None
        if hold.get("release_from") is not None:  # an earlier attempt got this far
            found = await self.journal.find_event(partner_id, event, after=hold["release_from"])
        else:
            await holds.update_one({"_id": hold["_id"]}, {"$set": {"release_from": head.seq}})
        if found is None:
            found = await self.journal.append(
                partner_id,
                event,
                lambda totals: advance(totals, month_key(utcnow()), settles=hold["month"]),
            )
        await holds.update_one({"_id": hold["_id"]}, {"$set": {"released_seq": found["seq"]}})
        return True
