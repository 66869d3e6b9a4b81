"""The analysis read model: one document per analysis, written progressively.

Every stage write is conditional on the analysis still being active, so a late
stage can never move a canceled (or failed) analysis on — DELETE wins races.
Writes are idempotent, so a redelivered message changes nothing the second time.
"""

from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from dossier.contracts.api import ErrorInfo, Metadata, QuickSignal, Report, Signal
from dossier.contracts.enums import ACTIVE_STATUSES, AnalysisStatus, Stage
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import ANALYSES
from dossier.runtime.mongo import Document

_ACTIVE = {"$in": [s.value for s in ACTIVE_STATUSES]}


def wire(model: Any) -> Any:
    """A contract model as stored: its JSON wire shape, timestamps kept as dates."""
    return model.model_dump(mode="python", by_alias=True, exclude_none=False)


class AnalysisReadModel:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db[ANALYSES]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("partner_id", 1), ("created_at", -1)])
        await self.collection.create_index([("status", 1), ("updated_at", 1)])
        await self.collection.create_index([("published", 1)])

    async def get(self, analysis_id: str) -> Document | None:
        return await self.collection.find_one({"_id": analysis_id})

    async def get_for_partner(self, analysis_id: str, partner_id: str) -> Document | None:
        """Partner isolation lives in the query: another partner's id is simply not found."""
        return await self.collection.find_one({"_id": analysis_id, "partner_id": partner_id})

    async def is_active(self, analysis_id: str) -> bool:
        doc = await self.collection.find_one({"_id": analysis_id}, {"status": 1})
        return doc is not None and doc["status"] in {s.value for s in ACTIVE_STATUSES}

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
        now = utcnow()
        return await self._update_active(
            analysis_id,
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

    async def fail(self, analysis_id: str, error: ErrorInfo) -> bool:
        return await self._update_active(
            analysis_id,
            {
                "$set": {
                    "status": AnalysisStatus.FAILED.value,
                    "error": wire(error),
                    "updated_at": utcnow(),
                }
            },
        )

    async def cancel(self, analysis_id: str, partner_id: str) -> tuple[Document | None, bool]:
        """Cancel if active. Returns (document, whether this call canceled it)."""
        doc = await self.collection.find_one_and_update(
            {"_id": analysis_id, "partner_id": partner_id, "status": _ACTIVE},
            {"$set": {"status": AnalysisStatus.CANCELED.value, "updated_at": utcnow()}},
            return_document=ReturnDocument.AFTER,
        )
        if doc is not None:
            return doc, True
        return await self.get_for_partner(analysis_id, partner_id), False

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
