"""Usage storage, by `{_id}` only: usage sheets, the credit journal and holds, partners' limits.

What is counted where (`dossier.runtime.usage_sheets`, `dossier.runtime.credit_journal`):

- reports generated and credits charged — billing's sheets, one per partner,
  environment, UTC day and partition of `analysis.completed` (sandbox reports
  included, with 0 credits); the gateway only reads them;
- free reuses — the gateway's own sheets, one per partner, environment, UTC day and
  gateway *process*. Why per process: any replica may return a reused report, and
  FerretDB loses concurrent updates of one document, so each process writes only
  its own sheet (one update at a time: an asyncio lock per sheet) and the registry
  of writers, claimed by unique insert, tells readers which sheets exist. Insert-only
  events per reuse would be race-free too, but reading a day would cost one read per
  reuse; a sheet per process costs one read per process, whatever the volume. A
  process that restarts is a new writer (a new random name): it never continues a
  sheet another process may still be writing;
- the monthly credit position — the head of the partner's credit journal: credits
  charged this month, and live analyses accepted (a hold, written here) and not yet
  charged, failed or canceled (billing settles them).

`UsageRepository` is one writer: build it once per process (the analyses service
does); per-request instances only read.
"""

import asyncio
import logging
import secrets
from collections import defaultdict
from datetime import date, datetime

from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import Channel, Environment
from dossier.contracts.events import AnalysisContext
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import PARTNERS, USAGE_REUSES
from dossier.runtime.credit_journal import CreditJournal, advance
from dossier.runtime.dense import fetch_many
from dossier.runtime.mongo import Document
from dossier.runtime.usage_sheets import (
    Writer,
    WriterRegistry,
    analysis_token,
    client_token,
    day_key,
    days_between,
    month_key,
    sheet_id,
)

log = logging.getLogger(__name__)


class Tally:
    """Counts per client company."""

    def __init__(self) -> None:
        self.by_client: dict[str, dict[str, int]] = defaultdict(
            lambda: {"generated": 0, "reused": 0, "credits": 0}
        )

    def add(self, client_id: str, field: str, amount: int) -> None:
        self.by_client[client_id][field] += amount


def add_sheet(tally: Tally, sheet: Document) -> None:
    """Add one usage sheet (billing's or a gateway's) to `tally` (pure)."""
    for entry in sheet.get("generated", {}).values():
        tally.add(entry["client_id"], "generated", 1)
        tally.add(entry["client_id"], "credits", int(entry.get("credits", 0)))
    for counts in sheet.get("clients", {}).values():
        tally.add(counts["client_id"], "reused", int(counts.get("reused", 0)))


class UsageRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._db = db
        self._partners = db[PARTNERS]
        self._reuses = db[USAGE_REUSES]
        self._registry = WriterRegistry(db)
        self._writer = Writer(f"g{secrets.token_hex(6)}", USAGE_REUSES)
        self._locks: dict[str, asyncio.Lock] = {}
        self.journal = CreditJournal(db)

    # reuses (this process's own sheets) --------------------------------------------------
    async def record_reuse(
        self,
        *,
        partner_id: str,
        environment: Environment,
        channel: Channel,
        client_id: str,
        analysis_id: str,
    ) -> None:
        """Count one free reuse of a completed report, now, for `client_id`."""
        now = utcnow()
        await self._registry.register(partner_id, environment, now, self._writer)
        sheet = sheet_id(partner_id, environment, now, self._writer.name)
        field = f"clients.{client_token(client_id)}"
        async with self._lock(sheet, now):
            await self._reuses.update_one(
                {"_id": sheet},
                {
                    "$inc": {f"{field}.reused": 1, f"{field}.channels.{channel.value}": 1},
                    "$set": {f"{field}.client_id": client_id, "updated_at": now},
                    "$setOnInsert": {
                        "partner_id": partner_id,
                        "environment": environment.value,
                        "day": day_key(now),
                        "writer": self._writer.name,
                    },
                },
                upsert=True,
            )

    def _lock(self, sheet: str, now: datetime) -> asyncio.Lock:
        """This process's lock on one of its sheets; sheets of past days are forgotten."""
        if sheet not in self._locks and len(self._locks) > 1024:
            today = f":{day_key(now)}:"
            self._locks = {k: v for k, v in self._locks.items() if today in k or v.locked()}
        return self._locks.setdefault(sheet, asyncio.Lock())

    # reading a period ---------------------------------------------------------------------
    async def tally(
        self, tally: Tally, partner_id: str, environment: Environment, first: date, last: date
    ) -> None:
        """Add reports generated, credits and reuses from `first` to `last` (UTC days,
        inclusive) to `tally`: the registry of each month, then every listed sheet."""
        days = days_between(first, last)
        months = sorted({month_key(d) for d in days})
        listed = await asyncio.gather(
            *(self._registry.writers(partner_id, environment, m) for m in months)
        )
        writers = dict(zip(months, listed, strict=True))
        wanted: dict[str, list[str]] = defaultdict(list)
        for day in days:
            for writer in writers[month_key(day)]:
                wanted[writer.collection].append(
                    sheet_id(partner_id, environment, day, writer.name)
                )
        for collection, ids in wanted.items():
            for sheet in await fetch_many(self._db[collection], ids):
                if sheet is not None:
                    add_sheet(tally, sheet)

    # credits ------------------------------------------------------------------------------
    async def monthly_credits(self, partner_id: str) -> int | None:
        doc = await self._partners.find_one({"_id": partner_id}, {"monthly_credits": 1})
        value = doc.get("monthly_credits") if doc else None
        return int(value) if value is not None else None

    async def credit_position(self, partner_id: str, now: datetime) -> tuple[int, int]:
        """(credits charged in `now`'s month, live analyses accepted and not settled)."""
        head = await self.journal.head(partner_id)
        return head.totals.position(now) if head.totals is not None else (0, 0)

    async def hold_credit(self, context: AnalysisContext) -> None:
        """An accepted live analysis holds one credit until billing settles it."""
        now = utcnow()
        token = analysis_token(context.analysis_id)
        link = await self.journal.append(
            context.partner_id,
            f"accepted:{token}",
            lambda totals: advance(totals, month_key(now), accepted=True),
        )
        await self.journal.hold(context.partner_id, token, link)
