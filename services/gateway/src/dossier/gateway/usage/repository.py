"""Usage queries: the billing ledger (read only), reuse events, the analyses read model.

The ledger is billing's — one entry per charged analysis, live only — and the
gateway never writes it. Reuses are recorded here, one insert-only event per
free reuse of a completed report, at the moment the gateway returns it.
"""

import secrets
from collections import defaultdict
from datetime import datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import AnalysisStatus, Channel, Environment
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import (
    ANALYSES,
    ANALYSIS_OUTCOMES,
    LEDGER,
    PARTNERS,
    REUSE_EVENTS,
)
from dossier.runtime.mongo import Document

#: An analysis that completed this recently may not have reached the ledger yet.
BILLING_LAG = timedelta(hours=1)
#: A sandbox analysis completes well within this of its creation.
SANDBOX_RUN_MAX = timedelta(days=1)


class Tally:
    """Counts per client company."""

    def __init__(self) -> None:
        self.by_client: dict[str, dict[str, int]] = defaultdict(
            lambda: {"generated": 0, "reused": 0, "credits": 0}
        )

    def add(self, client_id: str, field: str, amount: int) -> None:
        self.by_client[client_id][field] += amount


class UsageRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._ledger = db[LEDGER]
        self._reuses = db[REUSE_EVENTS]
        self._analyses = db[ANALYSES]
        self._outcomes = db[ANALYSIS_OUTCOMES]
        self._partners = db[PARTNERS]

    async def ensure_indexes(self) -> None:
        await self._reuses.create_index([("partner_id", 1), ("environment", 1), ("at", 1)])

    async def record_reuse(
        self,
        *,
        partner_id: str,
        environment: Environment,
        channel: Channel,
        client_id: str,
        analysis_id: str,
    ) -> None:
        await self._reuses.insert_one(
            {
                "_id": f"ru_{secrets.token_hex(12)}",
                "partner_id": partner_id,
                "environment": environment.value,
                "channel": channel.value,
                "client_id": client_id,
                "analysis_id": analysis_id,
                "at": utcnow(),
            }
        )

    async def monthly_credits(self, partner_id: str) -> int | None:
        doc = await self._partners.find_one({"_id": partner_id}, {"monthly_credits": 1})
        value = doc.get("monthly_credits") if doc else None
        return int(value) if value is not None else None

    async def tally(
        self,
        tally: Tally,
        partner_id: str,
        environment: Environment,
        start: datetime,
        end: datetime,
    ) -> None:
        """Add generated reports, credits and reuses in [start, end) to `tally`."""
        if environment is Environment.LIVE:
            await self._charged(tally, partner_id, start, end)
        else:
            await self._sandbox_generated(tally, partner_id, start, end)
        cursor = self._reuses.find(
            {
                "partner_id": partner_id,
                "environment": environment.value,
                "at": {"$gte": start, "$lt": end},
            },
            {"client_id": 1},
        )
        async for event in cursor:
            tally.add(event["client_id"], "reused", 1)

    async def _charged(self, tally: Tally, partner_id: str, start: datetime, end: datetime) -> None:
        # Entries are read and summed here: FerretDB's `$group`/`$sum` is not dependable.
        async for entry in self._ledger.find(
            {"partner_id": partner_id, "charged_at": {"$gte": start, "$lt": end}},
            {"client_id": 1, "credits": 1},
        ):
            tally.add(entry["client_id"], "generated", 1)
            tally.add(entry["client_id"], "credits", int(entry.get("credits", 0)))

    async def _sandbox_generated(
        self, tally: Tally, partner_id: str, start: datetime, end: datetime
    ) -> None:
        """Test keys are never billed: count their completed analyses from the read model."""
        clients = {
            doc["_id"]: doc["client_id"]
            async for doc in self._analyses.find(
                {
                    "partner_id": partner_id,
                    "environment": Environment.TEST.value,
                    "created_at": {"$gte": start - SANDBOX_RUN_MAX, "$lt": end},
                },
                {"client_id": 1},
            )
        }
        if not clients:
            return
        async for outcome in self._outcomes.find(
            {
                "_id": {"$in": list(clients)},
                "status": AnalysisStatus.COMPLETED.value,
                "decided_at": {"$gte": start, "$lt": end},
            },
            {"_id": 1},
        ):
            tally.add(clients[outcome["_id"]], "generated", 1)

    async def charged_credits(self, partner_id: str, start: datetime, end: datetime) -> int:
        total = 0
        async for entry in self._ledger.find(
            {"partner_id": partner_id, "charged_at": {"$gte": start, "$lt": end}}, {"credits": 1}
        ):
            total += int(entry.get("credits", 0))
        return total

    async def unbilled_live_analyses(self, partner_id: str, now: datetime) -> int:
        """Live analyses that will probably be billed but are not in the ledger yet:
        still running, or completed too recently for billing to have caught up."""
        recent = now - BILLING_LAG
        ids = [
            doc["_id"]
            async for doc in self._analyses.find(
                {
                    "partner_id": partner_id,
                    "environment": Environment.LIVE.value,
                    "$or": [{"open": True}, {"created_at": {"$gte": recent}}],
                },
                {"_id": 1},
            )
        ]
        if not ids:
            return 0
        settled = {d["_id"] async for d in self._ledger.find({"_id": {"$in": ids}}, {"_id": 1})}
        ended_unbilled = {
            d["_id"]
            async for d in self._outcomes.find(
                {
                    "_id": {"$in": ids},
                    "status": {"$in": [AnalysisStatus.FAILED.value, AnalysisStatus.CANCELED.value]},
                },
                {"_id": 1},
            )
        }
        return len(set(ids) - settled - ended_unbilled)
