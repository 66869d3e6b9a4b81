"""The analysis read model: progressive state, one writer per document.

FerretDB 1.x evaluates an update's filter and then rewrites the whole document
by `_id` in a separate step, so two writers updating one document at the same
time can silently lose each other's change (MongoDB would not). The read model
is therefore split so that no document has two concurrent writers:

- `analyses` — written once by the gateway when it accepts the analysis;
- `analysis_stages` — one document per (analysis, stage), written only by that
  stage: `identity` holds the quick signal, `enrichment` the signals as they
  arrive, `report` the report, its metadata and billing;
- `analysis_outcomes` — the single terminal outcome. Cancel, failure and
  completion each try to insert it; the unique `_id` lets exactly one win, which
  is atomic on MongoDB and FerretDB alike.

Readers assemble the analysis resource from the three (`view`). Status comes
from the outcome (else `processing` once a stage started, else `queued`), so a
late stage write can never resurrect a canceled analysis, and the report is
written before completion is decided, so `completed` always has its report.
"""

import contextlib
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.api import ErrorInfo, Metadata, QuickSignal, Report, Signal
from dossier.contracts.enums import AnalysisStatus, Stage
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import ANALYSES, ANALYSIS_OUTCOMES, ANALYSIS_STAGES
from dossier.runtime.mongo import Document

STAGE_ORDER = (Stage.IDENTITY, Stage.ENRICHMENT, Stage.REPORT)
NOT_BILLED = {"charged": False, "credits_used": 0}


def wire(model: Any) -> Any:
    """A contract model as stored: its JSON wire shape, timestamps kept as dates."""
    return model.model_dump(mode="python", by_alias=True, exclude_none=False)


def stage_doc_id(analysis_id: str, stage: Stage) -> str:
    return f"{analysis_id}:{stage.value}"


def assemble(doc: Document, stages: dict[str, Document], outcome: Document | None) -> Document:
    """The analysis as partners see it, from its three kinds of documents (pure)."""
    view = dict(doc)
    started = [s for s in STAGE_ORDER if s.value in stages]
    view["stage"] = started[-1].value if started else None
    # When the current stage started (completion estimates); not part of the resource.
    view["stage_started_at"] = stages[started[-1].value].get("started_at") if started else None
    view["quick_signal"] = stages.get(Stage.IDENTITY.value, {}).get("quick_signal")
    view["signals"] = stages.get(Stage.ENRICHMENT.value, {}).get("signals", [])
    view["report"] = view["metadata"] = view["error"] = None
    view["billing"] = dict(NOT_BILLED)
    stamps = [doc["created_at"], *(s["updated_at"] for s in stages.values() if "updated_at" in s)]
    if outcome is None:
        view["status"] = (AnalysisStatus.PROCESSING if started else AnalysisStatus.QUEUED).value
    else:
        view["status"] = outcome["status"]
        stamps.append(outcome["decided_at"])
        if outcome["status"] == AnalysisStatus.COMPLETED.value:
            report_stage = stages.get(Stage.REPORT.value, {})
            view["stage"] = Stage.DONE.value
            view["report"] = report_stage.get("report")
            view["metadata"] = report_stage.get("metadata")
            view["billing"] = report_stage.get("billing", dict(NOT_BILLED))
            view["completion_announced"] = bool(outcome.get("announced"))
        elif outcome["status"] == AnalysisStatus.FAILED.value:
            view["error"] = outcome.get("error")
    view["updated_at"] = max(stamps)
    return view


class AnalysisReadModel:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db[ANALYSES]
        self.stages: AsyncCollection[Document] = db[ANALYSIS_STAGES]
        self.outcomes: AsyncCollection[Document] = db[ANALYSIS_OUTCOMES]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("partner_id", 1), ("created_at", -1)])
        await self.collection.create_index([("published", 1), ("created_at", 1)])
        await self.collection.create_index([("open", 1), ("created_at", 1)])

    # reading ----------------------------------------------------------------------------
    async def _view(self, doc: Document | None) -> Document | None:
        if doc is None:
            return None
        # The outcome first: the report is written before `completed` is decided, so an
        # outcome read first guarantees the stage documents read next already hold it.
        outcome = await self.outcomes.find_one({"_id": doc["_id"]})
        ids = [stage_doc_id(doc["_id"], s) for s in STAGE_ORDER]
        stages = {d["stage"]: d async for d in self.stages.find({"_id": {"$in": ids}})}
        return assemble(doc, stages, outcome)

    async def get(self, analysis_id: str) -> Document | None:
        return await self._view(await self.collection.find_one({"_id": analysis_id}))

    async def get_for_partner(self, analysis_id: str, partner_id: str) -> Document | None:
        """Partner isolation lives in the query: another partner's id is simply not found."""
        return await self._view(
            await self.collection.find_one({"_id": analysis_id, "partner_id": partner_id})
        )

    async def outcome(self, analysis_id: str) -> str | None:
        decided = await self.outcomes.find_one({"_id": analysis_id})
        return str(decided["status"]) if decided else None

    async def is_active(self, analysis_id: str) -> bool:
        if await self.outcome(analysis_id) is not None:
            return False
        return await self.collection.find_one({"_id": analysis_id}, {"_id": 1}) is not None

    async def _undecided(self, analysis_id: str) -> bool:
        """One query, for stage writes (which only ever follow an existing analysis)."""
        return await self.outcomes.find_one({"_id": analysis_id}, {"_id": 1}) is None

    # the terminal outcome -----------------------------------------------------------------
    async def decide_outcome(self, analysis_id: str, status: AnalysisStatus, **fields: Any) -> bool:
        """Claim the analysis's one terminal outcome. False if another outcome came first."""
        try:
            await self.outcomes.insert_one(
                {"_id": analysis_id, "status": status.value, "decided_at": utcnow(), **fields}
            )
        except DuplicateKeyError:
            return False
        # Only a hint for the sweeper's index; the outcome document is the truth.
        await self.collection.update_one({"_id": analysis_id}, {"$set": {"open": False}})
        return True

    async def fail(self, analysis_id: str, error: ErrorInfo) -> bool:
        return await self.decide_outcome(analysis_id, AnalysisStatus.FAILED, error=wire(error))

    async def cancel(self, analysis_id: str, partner_id: str) -> tuple[Document | None, bool]:
        """Cancel if active. Returns (the analysis, whether this call canceled it)."""
        view = await self.get_for_partner(analysis_id, partner_id)
        if view is None or AnalysisStatus(view["status"]).is_terminal:
            return view, False
        canceled = await self.decide_outcome(analysis_id, AnalysisStatus.CANCELED)
        return await self.get_for_partner(analysis_id, partner_id), canceled

    async def complete(
        self, analysis_id: str, *, report: Report, metadata: Metadata, charged: bool
    ) -> bool:
        """Write the report, then decide `completed`. False if the analysis ended otherwise."""
        await self.stages.update_one(
            {"_id": stage_doc_id(analysis_id, Stage.REPORT)},
            {
                "$set": {
                    "report": wire(report),
                    "metadata": wire(metadata),
                    "billing": {"charged": charged, "credits_used": 1 if charged else 0},
                    "updated_at": utcnow(),
                },
                "$setOnInsert": {"analysis_id": analysis_id, "stage": Stage.REPORT.value},
            },
            upsert=True,
        )
        if await self.decide_outcome(analysis_id, AnalysisStatus.COMPLETED):
            return True
        # Only the reporter decides `completed`: finding it decided means an earlier
        # attempt of ours died before announcing; the caller announces now.
        return await self.outcome(analysis_id) == AnalysisStatus.COMPLETED.value

    async def mark_announced(self, analysis_id: str) -> None:
        await self.outcomes.update_one({"_id": analysis_id}, {"$set": {"announced": True}})

    # stage progress (each document has one writer: its stage) ----------------------------
    async def enter_stage(self, analysis_id: str, stage: Stage) -> bool:
        """Record that `stage` started. False (and nothing written) if no longer active."""
        if not await self._undecided(analysis_id):
            return False
        now = utcnow()
        # A redelivered copy of this stage may have created it a moment ago.
        with contextlib.suppress(DuplicateKeyError):
            await self.stages.update_one(
                {"_id": stage_doc_id(analysis_id, stage)},
                {
                    "$setOnInsert": {
                        "analysis_id": analysis_id,
                        "stage": stage.value,
                        "started_at": now,
                        "signals": [],
                        "signal_ids": [],
                    },
                    "$set": {"updated_at": now},
                },
                upsert=True,
            )
        return True

    async def set_quick_signal(self, analysis_id: str, quick_signal: QuickSignal) -> bool:
        if not await self._undecided(analysis_id):
            return False
        await self.stages.update_one(
            {"_id": stage_doc_id(analysis_id, Stage.IDENTITY)},
            {"$set": {"quick_signal": wire(quick_signal), "updated_at": utcnow()}},
        )
        return True

    async def append_signal(self, analysis_id: str, signal: Signal) -> bool:
        """Append one signal unless it is already there (its id is the idempotency key)."""
        if signal.id is None:
            msg = "signals written to the read model need a stable id"
            raise ValueError(msg)
        if not await self._undecided(analysis_id):
            return False
        result = await self.stages.update_one(
            {"_id": stage_doc_id(analysis_id, Stage.ENRICHMENT), "signal_ids": {"$ne": signal.id}},
            {
                "$push": {"signals": wire(signal), "signal_ids": signal.id},
                "$set": {"updated_at": utcnow()},
            },
        )
        return result.modified_count == 1

    # the gateway's own document and the sweeper's queries -----------------------------------
    async def mark_published(self, analysis_id: str) -> None:
        await self.collection.update_one({"_id": analysis_id}, {"$set": {"published": True}})

    async def stale_unpublished(self, older_than: datetime, limit: int = 100) -> list[Document]:
        cursor = self.collection.find(
            {"published": False, "created_at": {"$lt": older_than}}
        ).limit(limit)
        return [doc async for doc in cursor if await self.is_active(doc["_id"])]

    async def stuck(self, updated_before: datetime, limit: int = 100) -> list[Document]:
        """Active analyses with no progress since `updated_before`."""
        cursor = self.collection.find({"open": True, "created_at": {"$lt": updated_before}}).limit(
            limit
        )
        stuck = []
        async for doc in cursor:
            view = await self._view(doc)
            if view is None:
                continue
            if AnalysisStatus(view["status"]).is_terminal:
                await self.collection.update_one({"_id": doc["_id"]}, {"$set": {"open": False}})
            elif view["updated_at"] < updated_before:
                stuck.append(view)
        return stuck
