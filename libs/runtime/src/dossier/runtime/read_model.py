"""The analysis read model: one document per analysis, written progressively.

Who ends an analysis — cancel, failure or completion — is decided by inserting
its outcome into `analysis_outcomes`, whose `_id` is the analysis id: the first
insert wins and every later one fails on the unique key. That is atomic on
MongoDB and on FerretDB alike, where a conditional update is not (FerretDB 1.x
evaluates the filter and writes the document in separate steps, so two
concurrent conditional updates can both "win"). The document's own `status` is
then a projection: reads overlay the decided outcome, so a late stage write can
never resurrect a canceled analysis, and only the winner of `complete` bills.

Stage writes stay conditional on the analysis being active (cheap, and right
in the common case), and are idempotent: a redelivered message changes nothing.
"""

from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.api import ErrorInfo, Metadata, QuickSignal, Report, Signal
from dossier.contracts.enums import ACTIVE_STATUSES, AnalysisStatus, Stage
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import ANALYSES, ANALYSIS_OUTCOMES
from dossier.runtime.mongo import Document

_ACTIVE = {"$in": [s.value for s in ACTIVE_STATUSES]}


def wire(model: Any) -> Any:
    """A contract model as stored: its JSON wire shape, timestamps kept as dates."""
    return model.model_dump(mode="python", by_alias=True, exclude_none=False)


class AnalysisReadModel:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db[ANALYSES]
        self.outcomes: AsyncCollection[Document] = db[ANALYSIS_OUTCOMES]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("partner_id", 1), ("created_at", -1)])
        await self.collection.create_index([("status", 1), ("updated_at", 1)])
        await self.collection.create_index([("published", 1)])

    async def _with_outcome(self, doc: Document | None) -> Document | None:
        """Overlay the decided outcome — once the document can show it: a completion or a
        failure is decided a moment before its report or error is written, and until then
        the analysis reads as still processing rather than completed without a report."""
        if doc is not None and (decided := await self.outcome(doc["_id"])) is not None:
            if (decided == AnalysisStatus.COMPLETED.value and doc.get("report") is None) or (
                decided == AnalysisStatus.FAILED.value and doc.get("error") is None
            ):
                return doc
            if doc["status"] != decided:
                # A stage write raced the decision and won the document; put it right.
                await self.collection.update_one({"_id": doc["_id"]}, {"$set": {"status": decided}})
            doc["status"] = decided
        return doc

    async def get(self, analysis_id: str) -> Document | None:
        return await self._with_outcome(await self.collection.find_one({"_id": analysis_id}))

    async def get_for_partner(self, analysis_id: str, partner_id: str) -> Document | None:
        """Partner isolation lives in the query: another partner's id is simply not found."""
        return await self._with_outcome(
            await self.collection.find_one({"_id": analysis_id, "partner_id": partner_id})
        )

    async def outcome(self, analysis_id: str) -> str | None:
        decided = await self.outcomes.find_one({"_id": analysis_id})
        return str(decided["status"]) if decided else None

    async def decide_outcome(self, analysis_id: str, status: AnalysisStatus) -> bool:
        """Claim the analysis's one terminal outcome. False if another outcome came first."""
        try:
            await self.outcomes.insert_one(
                {"_id": analysis_id, "status": status.value, "decided_at": utcnow()}
            )
        except DuplicateKeyError:
            return False
        return True

    async def is_active(self, analysis_id: str) -> bool:
        doc = await self.collection.find_one({"_id": analysis_id}, {"status": 1})
        if doc is None or doc["status"] not in {s.value for s in ACTIVE_STATUSES}:
            return False
        return await self.outcome(analysis_id) is None

    async def _update_active(self, analysis_id: str, update: dict[str, Any]) -> bool:
        result = await self.collection.update_one({"_id": analysis_id, "status": _ACTIVE}, update)
        return result.matched_count == 1

    async def enter_stage(self, analysis_id: str, stage: Stage, **fields: Any) -> bool:
        """Move an active analysis into `stage` (processing). False if it is no longer active."""
        now = utcnow()
        return await self._update_active(
            analysis_id,
            {
                "$set": {
                    "status": AnalysisStatus.PROCESSING.value,
                    "stage": stage.value,
                    "updated_at": now,
                    f"stage_started_at.{stage.value}": now,
                    **fields,
                }
            },
        )

    async def set_quick_signal(self, analysis_id: str, quick_signal: QuickSignal) -> bool:
        return await self._update_active(
            analysis_id, {"$set": {"quick_signal": wire(quick_signal), "updated_at": utcnow()}}
        )

    async def append_signal(self, analysis_id: str, signal: Signal) -> bool:
        """Append one signal unless it is already there (its id is the idempotency key)."""
        if signal.id is None:
            msg = "signals written to the read model need a stable id"
            raise ValueError(msg)
        result = await self.collection.update_one(
            {"_id": analysis_id, "status": _ACTIVE, "signal_ids": {"$ne": signal.id}},
            {
                "$push": {"signals": wire(signal), "signal_ids": signal.id},
                "$set": {"updated_at": utcnow()},
            },
        )
        return result.modified_count == 1

    async def complete(
        self,
        analysis_id: str,
        *,
        report: Report,
        metadata: Metadata,
        charged: bool,
    ) -> bool:
        decided = await self.decide_outcome(analysis_id, AnalysisStatus.COMPLETED)
        # Only the reporter decides `completed`: finding it already decided means an earlier
        # attempt of ours died before writing the report, so finish that write.
        if not decided and await self.outcome(analysis_id) != AnalysisStatus.COMPLETED.value:
            return False
        now = utcnow()
        await self.collection.update_one(
            {"_id": analysis_id},
            {
                "$set": {
                    "status": AnalysisStatus.COMPLETED.value,
                    "stage": Stage.DONE.value,
                    "report": wire(report),
                    "metadata": wire(metadata),
                    "billing": {"charged": charged, "credits_used": 1 if charged else 0},
                    "updated_at": now,
                    "completed_at": now,
                }
            },
        )
        return True

    async def fail(self, analysis_id: str, error: ErrorInfo) -> bool:
        if not await self.is_active(analysis_id):
            return False
        if not await self.decide_outcome(analysis_id, AnalysisStatus.FAILED):
            return False
        await self.collection.update_one(
            {"_id": analysis_id},
            {
                "$set": {
                    "status": AnalysisStatus.FAILED.value,
                    "error": wire(error),
                    "updated_at": utcnow(),
                }
            },
        )
        return True

    async def cancel(self, analysis_id: str, partner_id: str) -> tuple[Document | None, bool]:
        """Cancel if active. Returns (document, whether this call canceled it)."""
        doc = await self.get_for_partner(analysis_id, partner_id)
        if doc is None or AnalysisStatus(doc["status"]).is_terminal:
            return doc, False
        if not await self.decide_outcome(analysis_id, AnalysisStatus.CANCELED):
            return await self.get_for_partner(analysis_id, partner_id), False
        updated = await self.collection.find_one_and_update(
            {"_id": analysis_id},
            {"$set": {"status": AnalysisStatus.CANCELED.value, "updated_at": utcnow()}},
            return_document=ReturnDocument.AFTER,
        )
        return await self._with_outcome(updated), True

    async def stale_unpublished(self, older_than: datetime, limit: int = 100) -> list[Document]:
        cursor = self.collection.find(
            {"published": False, "created_at": {"$lt": older_than}, "status": _ACTIVE}
        ).limit(limit)
        return [doc async for doc in cursor]

    async def mark_published(self, analysis_id: str) -> None:
        await self.collection.update_one({"_id": analysis_id}, {"$set": {"published": True}})

    async def stuck(self, updated_before: datetime, limit: int = 100) -> list[Document]:
        cursor = self.collection.find(
            {"status": _ACTIVE, "updated_at": {"$lt": updated_before}}
        ).limit(limit)
        return [doc async for doc in cursor]
