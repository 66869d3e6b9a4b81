"""The analysis read model: progressive state, one writer per document, keyed access only.

FerretDB 1.x evaluates an update's filter and then rewrites the whole document
by `_id` in a separate step, so two writers updating one document at the same
time can silently lose each other's change (MongoDB would not). The read model
is therefore split so that no document has two concurrent writers:

- `analyses` — written by the gateway: once when it accepts the analysis, then only to
  count reviewers' dismissals (each rewrites the report; `feedback` in the gateway);
- `analysis_stages` — one document per (analysis, stage), written only by that
  stage: `identity` holds the quick signal, `enrichment` the signals as they
  arrive, `report` when the report started;
- `analysis_outcomes` — the single terminal outcome. Cancel, failure and
  completion each try to insert it; the unique `_id` lets exactly one win, which
  is atomic on MongoDB and FerretDB alike. A `completed` outcome carries the
  whole finished analysis (the request, quick signal, signals, report), so the
  report can never be seen without its completion and a finished analysis is
  served by one read;
- `inflight_analyses` — one small document per accepted analysis that is not
  finished yet, for the sweeper: it leaves the list only once the analysis is
  decided, its CV key shredded and its terminal event published, so it holds
  only what is running (or being finalised), never the history;
- `analysis_finalisations` — the to-do of a terminal analysis: inserted before
  the outcome, removed once the key is shredded and the event published
  (`dossier.runtime.terminal`). Whatever dies in between, the to-do remains and
  a background job finishes the work.

Every read and write here is by `_id` — the only filter FerretDB on SQLite
serves without decoding the whole collection (DESIGN.md, store access rules).
Ownership is checked in Python after the keyed read.

Readers assemble the analysis resource from these documents (`assemble`). Status
comes from the outcome (else `processing` once a stage started, else
`queued`), so a late stage write can never resurrect a canceled analysis.
"""

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from dossier.contracts.api import ErrorInfo, Metadata, QuickSignal, Report, Signal
from dossier.contracts.enums import AnalysisStatus, Stage
from dossier.contracts.events import AnalysisContext
from dossier.contracts.timestamps import utcnow
from dossier.runtime.collections import (
    ANALYSES,
    ANALYSIS_OUTCOMES,
    ANALYSIS_STAGES,
    FINALISATIONS,
    INFLIGHT,
)
from dossier.runtime.mongo import Document

STAGE_ORDER = (Stage.IDENTITY, Stage.ENRICHMENT, Stage.REPORT)
NOT_BILLED = {"charged": False, "credits_used": 0}


def wire(model: Any) -> Any:
    """A contract model as stored: its JSON wire shape, timestamps kept as dates."""
    return model.model_dump(mode="python", by_alias=True, exclude_none=False)


def stage_doc_id(analysis_id: str, stage: Stage) -> str:
    return f"{analysis_id}:{stage.value}"


def analysis_document(context: AnalysisContext) -> Document:
    """The accepted analysis as stored in `analyses` (pure; never holds the CV)."""
    return {
        "_id": context.analysis_id,
        "partner_id": context.partner_id,
        "environment": context.environment.value,
        "channel": context.channel.value,
        "client_id": context.client.id,
        "candidate_id": context.candidate.id,
        "created_at": context.requested_at,
        "context": wire(context),
    }


@dataclass(frozen=True)
class Finished:
    """What the reporter completes an analysis with."""

    quick_signal: QuickSignal
    signals: Sequence[Signal]
    report: Report
    metadata: Metadata
    charged: bool


def completed_snapshot(context: AnalysisContext, finished: Finished) -> Document:
    """What a `completed` outcome carries: everything `assemble` needs, in its shapes."""
    charged = finished.charged
    return {
        "analysis": analysis_document(context),
        "stages": {
            Stage.IDENTITY.value: {"quick_signal": wire(finished.quick_signal)},
            Stage.ENRICHMENT.value: {"signals": [wire(s) for s in finished.signals]},
            Stage.REPORT.value: {
                "report": wire(finished.report),
                "metadata": wire(finished.metadata),
                "billing": {"charged": charged, "credits_used": 1 if charged else 0},
                "updated_at": utcnow(),
            },
        },
    }


def assemble(doc: Document, stages: dict[str, Document], outcome: Document | None) -> Document:
    """The analysis as partners see it, from its three kinds of documents (pure).

    A decided analysis is frozen at its decision: stage documents a late message
    wrote after it do not move its stage or `updated_at`.
    """
    view = dict(doc)
    decided_at = outcome["decided_at"] if outcome is not None else None
    if decided_at is not None:
        stages = {
            name: s
            for name, s in stages.items()
            if s.get("started_at") is None or s["started_at"] <= decided_at
        }
    started = [s for s in STAGE_ORDER if s.value in stages]
    view["stage"] = started[-1].value if started else None
    # When the current stage started (completion estimates); not part of the resource.
    view["stage_started_at"] = stages[started[-1].value].get("started_at") if started else None
    view["quick_signal"] = stages.get(Stage.IDENTITY.value, {}).get("quick_signal")
    view["signals"] = stages.get(Stage.ENRICHMENT.value, {}).get("signals", [])
    view["report"] = view["metadata"] = view["error"] = None
    view["billing"] = dict(NOT_BILLED)
    if outcome is None:
        view["status"] = (AnalysisStatus.PROCESSING if started else AnalysisStatus.QUEUED).value
        stamps = [
            doc["created_at"],
            *(s["updated_at"] for s in stages.values() if "updated_at" in s),
        ]
        view["updated_at"] = max(stamps)
        return view
    view["status"] = outcome["status"]
    view["updated_at"] = max(doc["created_at"], outcome["decided_at"])
    if outcome["status"] == AnalysisStatus.COMPLETED.value:
        report_stage = stages.get(Stage.REPORT.value, {})
        view["revision"] = report_stage.get("revision", 0)
        view["billing"] = report_stage.get("billing", dict(NOT_BILLED))
        if report_stage.get("revised_at") is not None:
            view["updated_at"] = max(view["updated_at"], report_stage["revised_at"])
        rewriting = outcome.get("regenerating")
        if rewriting is not None:
            # Reviewer feedback: the report is being rewritten (`feedback` module docstring).
            view["status"] = AnalysisStatus.PROCESSING.value
            view["rewriting"] = True  # not part of the resource: tells feedback and DELETE
            view["stage"] = Stage.REPORT.value
            view["stage_started_at"] = rewriting["since"]
            view["updated_at"] = max(view["updated_at"], rewriting["since"])
            return view
        view["stage"] = Stage.DONE.value
        view["report"] = report_stage.get("report")
        view["metadata"] = report_stage.get("metadata")
    elif outcome["status"] == AnalysisStatus.FAILED.value:
        view["error"] = outcome.get("error")
    return view


class AnalysisReadModel:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.collection: AsyncCollection[Document] = db[ANALYSES]
        self.stages: AsyncCollection[Document] = db[ANALYSIS_STAGES]
        self.outcomes: AsyncCollection[Document] = db[ANALYSIS_OUTCOMES]
        self.inflight: AsyncCollection[Document] = db[INFLIGHT]
        self.finalisations: AsyncCollection[Document] = db[FINALISATIONS]

    # reading ----------------------------------------------------------------------------
    async def get(self, analysis_id: str) -> Document | None:
        """The analysis resource: one read once completed, five (in two rounds) before."""
        outcome = await self.outcomes.find_one({"_id": analysis_id})
        if outcome is not None and "analysis" in outcome:
            return assemble(outcome["analysis"], outcome["stages"], outcome)
        doc, *found = await asyncio.gather(
            self.collection.find_one({"_id": analysis_id}),
            *(self.stages.find_one({"_id": stage_doc_id(analysis_id, s)}) for s in STAGE_ORDER),
        )
        if doc is None:
            return None
        stages = {s.value: d for s, d in zip(STAGE_ORDER, found, strict=True) if d is not None}
        return assemble(doc, stages, outcome)

    async def get_for_partner(self, analysis_id: str, partner_id: str) -> Document | None:
        """Partner isolation after the keyed read: another partner's id is simply not found."""
        view = await self.get(analysis_id)
        return view if view is not None and view.get("partner_id") == partner_id else None

    async def accepted(self, analysis_id: str) -> Document | None:
        """The gateway's own document of an accepted analysis (the request, no CV)."""
        return await self.collection.find_one({"_id": analysis_id})

    async def outcome(self, analysis_id: str) -> Document | None:
        """The decided outcome's status (None while undecided)."""
        return await self.outcomes.find_one({"_id": analysis_id}, {"status": 1})

    async def decision(self, analysis_id: str) -> tuple[Document | None, bool]:
        """(the outcome's status, whether the analysis exists): two keyed
        reads at once. An erased analysis does not exist, whatever a late message says."""
        return await asyncio.gather(self.outcome(analysis_id), self.exists(analysis_id))

    async def exists(self, analysis_id: str) -> bool:
        """Accepted and not erased: one keyed read of the small accepted document."""
        return await self.collection.find_one({"_id": analysis_id}, {"_id": 1}) is not None

    async def is_active(self, analysis_id: str) -> bool:
        """Accepted (not erased) and not decided."""
        decided, exists = await self.decision(analysis_id)
        return decided is None and exists

    # accepting ---------------------------------------------------------------------------
    async def accept(self, document: Document) -> None:
        """Store an accepted analysis and register it as in flight (both keyed inserts)."""
        await asyncio.gather(
            self.collection.insert_one(document),
            self.inflight.insert_one(
                {"_id": document["_id"], "created_at": document["created_at"], "published": False}
            ),
        )

    async def discard(self, analysis_id: str) -> None:
        """Remove an accepted analysis that lost its reuse race (it never ran)."""
        await asyncio.gather(
            self.collection.delete_one({"_id": analysis_id}),
            self.inflight.delete_one({"_id": analysis_id}),
        )

    async def mark_published(self, analysis_id: str) -> None:
        await self.inflight.update_one({"_id": analysis_id}, {"$set": {"published": True}})

    # the terminal outcome -----------------------------------------------------------------
    async def decide_outcome(
        self, analysis_id: str, status: AnalysisStatus, *, partner_id: str, **fields: Any
    ) -> bool:
        """Claim the analysis's one terminal outcome. False if another outcome came first.

        The finalisation to-do goes in first: from the moment an outcome exists, a to-do
        says its key must be shredded and its event published, whoever dies when. The
        winner (or the background job) does that work (`dossier.runtime.terminal`);
        the in-flight entry stays until then.
        """
        with contextlib.suppress(DuplicateKeyError):  # another contender's, the same to-do
            await self.finalisations.insert_one(
                {"_id": analysis_id, "partner_id": partner_id, "since": utcnow()}
            )
        try:
            await self.outcomes.insert_one(
                {"_id": analysis_id, "status": status.value, "decided_at": utcnow(), **fields}
            )
        except DuplicateKeyError:
            return False
        return True

    async def fail(self, analysis_id: str, error: ErrorInfo, *, partner_id: str) -> bool:
        return await self.decide_outcome(
            analysis_id, AnalysisStatus.FAILED, partner_id=partner_id, error=wire(error)
        )

    async def cancel(self, analysis_id: str, *, partner_id: str) -> tuple[Document | None, bool]:
        """Cancel if active. Returns (the analysis now, whether this call canceled it)."""
        canceled = await self.decide_outcome(
            analysis_id, AnalysisStatus.CANCELED, partner_id=partner_id
        )
        return await self.get(analysis_id), canceled

    async def complete(self, context: AnalysisContext, finished: Finished) -> bool:
        """Decide `completed`, carrying the finished analysis. False if it ended otherwise."""
        snapshot = completed_snapshot(context, finished)
        if await self.decide_outcome(
            context.analysis_id,
            AnalysisStatus.COMPLETED,
            partner_id=context.partner_id,
            **snapshot,
        ):
            return True
        # Only the reporter decides `completed`: finding it decided means another attempt
        # of ours got there first (its to-do finishes the work).
        decided = await self.outcome(context.analysis_id)
        return decided is not None and decided["status"] == AnalysisStatus.COMPLETED.value

    async def dismissals(self, analysis_id: str) -> int | None:
        """How many signals reviewers dismissed (each one rewrites the report once), from the
        small accepted document; None when the analysis does not exist (erased). Lets a cached
        rendering of a finished analysis notice a rewrite after feedback with the one keyed
        read it already made."""
        found = await self.collection.find_one({"_id": analysis_id}, {"_id": 1, "dismissals": 1})
        return None if found is None else int(found.get("dismissals") or 0)

    async def count_dismissal(self, analysis_id: str) -> None:
        """The gateway (the accepted document's writer) counts one accepted dismissal."""
        await self.collection.update_one({"_id": analysis_id}, {"$inc": {"dismissals": 1}})

    async def full_outcome(self, analysis_id: str) -> Document | None:
        """The whole outcome document (a completed one carries the analysis)."""
        return await self.outcomes.find_one({"_id": analysis_id})

    async def pending_finalisation(self, analysis_id: str) -> Document | None:
        return await self.finalisations.find_one({"_id": analysis_id})

    # stage progress (each document has one writer: its stage) ----------------------------
    async def enter_stage(self, analysis_id: str, stage: Stage) -> Document:
        """Record that `stage` started (once) and return its document as it stands.

        Unconditional: the caller checked the analysis is active, and status comes
        from the outcome, so a stage entered late cannot revive a decided analysis.
        A redelivered message gets back what its earlier attempt wrote (its signals).
        """
        now = utcnow()
        doc: Document | None = None
        # Two copies of one message racing to create the document: the loser retries.
        for _ in range(2):
            with contextlib.suppress(DuplicateKeyError):
                doc = await self.stages.find_one_and_update(
                    {"_id": stage_doc_id(analysis_id, stage)},
                    {
                        "$setOnInsert": {
                            "analysis_id": analysis_id,
                            "stage": stage.value,
                            "started_at": now,
                        },
                        "$set": {"updated_at": now},
                    },
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
                break
        return doc or {}

    async def set_quick_signal(self, analysis_id: str, quick_signal: QuickSignal) -> None:
        await self.stages.update_one(
            {"_id": stage_doc_id(analysis_id, Stage.IDENTITY)},
            {"$set": {"quick_signal": wire(quick_signal), "updated_at": utcnow()}},
        )

    async def set_signals(self, analysis_id: str, signals: Sequence[Signal]) -> None:
        """Write the enrichment stage's signals so far (the whole list: idempotent)."""
        if any(s.id is None for s in signals):
            msg = "signals written to the read model need a stable id"
            raise ValueError(msg)
        await self.stages.update_one(
            {"_id": stage_doc_id(analysis_id, Stage.ENRICHMENT)},
            {"$set": {"signals": [wire(s) for s in signals], "updated_at": utcnow()}},
        )

    # the sweeper's queries (background; they scan only what is in flight) ----------------
    async def stale_unpublished(self, older_than: datetime, limit: int = 100) -> list[str]:
        """Ids of in-flight analyses accepted before `older_than` and never published."""
        cursor = self.inflight.find(
            {"published": False, "created_at": {"$lt": older_than}}, {"_id": 1}
        ).limit(limit)
        return [entry["_id"] async for entry in cursor]

    async def inflight_since(self, created_before: datetime, limit: int = 100) -> list[str]:
        """Ids of in-flight analyses accepted before `created_before` (running, or decided
        but not finalised). The caller looks at each one on its own."""
        cursor = self.inflight.find({"created_at": {"$lt": created_before}}, {"_id": 1}).limit(
            limit
        )
        return [entry["_id"] async for entry in cursor]

    async def finalisations_since(self, before: datetime, limit: int = 100) -> list[str]:
        """Ids of analyses whose finalisation to-do is older than `before` (its decider died,
        or is very slow): the finaliser job picks them up."""
        cursor = self.finalisations.find({"since": {"$lt": before}}, {"_id": 1}).limit(limit)
        return [entry["_id"] async for entry in cursor]
