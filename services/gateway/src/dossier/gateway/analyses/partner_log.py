"""Each partner's analyses in the order they were accepted, readable without a query.

A `SequencedLog` per partner (`partner_analyses`, `_id` = `<partner>:<seq>`):
the gateway appends one entry when it has claimed an analysis's reuse slot,
before publishing it. Listing a partner's analyses (export, and
`GET /api/v1/analyses` backward from the newest) walks this log by key instead of scanning
`analyses` for a partner id — the cost follows the partner's own history, not
the store's. Erasure rewrites the entries of erased analyses in place
(`redact`), so no raw id of an erased candidate survives here.
"""

from collections.abc import AsyncIterator, Callable, Collection, Sequence

from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.enums import Environment
from dossier.contracts.events import AnalysisContext
from dossier.runtime.collections import PARTNER_ANALYSES
from dossier.runtime.dense import fetch_many
from dossier.runtime.mongo import Document
from dossier.runtime.sequenced_log import SequencedLog, entry_id

ERASED = "[erased]"


class PartnerAnalyses:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._entries = db[PARTNER_ANALYSES]
        self._log = SequencedLog(self._entries)

    async def record(self, context: AnalysisContext) -> None:
        entry = {
            "analysis_id": context.analysis_id,
            "environment": context.environment.value,
            "client_id": context.client.id,
            "candidate_id": context.candidate.id,
            "created_at": context.requested_at,
        }
        await self._log.append(context.partner_id, lambda _seq, _previous: entry)

    async def entries(
        self, partner_id: str, environment: Environment | None = None
    ) -> AsyncIterator[Document]:
        """The partner's entries, oldest first (erased ones included, redacted)."""
        async for entry in self._log.read(partner_id):
            if environment is None or entry["environment"] == environment.value:
                yield entry

    async def last_position(self, partner_id: str) -> int:
        """The position of the partner's newest entry (0: none), by keyed reads."""
        position, _ = await self._log.last(partner_id)
        return position

    async def analysis_ids(
        self, partner_id: str, positions: Sequence[int], environment: Environment
    ) -> list[str | None]:
        """The analysis at each position, None where there is none for `environment`
        (another environment's, erased, or missing), by key, at once."""
        found = await fetch_many(self._entries, [entry_id(partner_id, p) for p in positions])
        return [
            entry["analysis_id"]
            if entry is not None
            and entry.get("environment") == environment.value
            and entry.get("analysis_id") != ERASED
            else None
            for entry in found
        ]

    async def redact(
        self, partner_id: str, analysis_ids: Collection[str], *, ledger_id: Callable[[str], str]
    ) -> int:
        """Erasure: rewrite the entries of these analyses without their ids, keeping the id
        of their (pseudonymised) ledger entry. Idempotent."""
        erased = 0
        async for entry in self._log.read(partner_id):
            if entry["analysis_id"] in analysis_ids:
                await self._entries.update_one(
                    {"_id": entry["_id"]},
                    {
                        "$set": {
                            "analysis_id": ERASED,
                            "candidate_id": ERASED,
                            "ledger_id": ledger_id(entry["analysis_id"]),
                        }
                    },
                )
                erased += 1
        return erased

    @staticmethod
    def ledger_id(entry: Document) -> str:
        """The `_id` of the entry's ledger row, if it was charged: its analysis id, or the
        pseudonymous id erasure gave it."""
        return str(entry.get("ledger_id") or entry["analysis_id"])
