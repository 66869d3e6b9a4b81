"""Terminal ⇒ CV key shredded and terminal event published, eventually, by construction.

Whoever decides an analysis's outcome (reporter: completed; a stage's dead-letter
path or the sweeper: failed; the gateway: canceled) first inserts a finalisation
to-do keyed by the analysis id, then the outcome (`AnalysisReadModel.decide_outcome`).
Every path then finishes the same way, in this order:

    outcome insert → shred the CV key → publish the terminal event
    → drop the in-flight entry → drop the to-do

A process that dies anywhere after the outcome insert leaves the to-do behind; the
gateway's sweeper (`finish_pending`) finishes it a few seconds later, and a
redelivered reporter message finishes it at once. Shredding is a keyed delete and
the consumers of terminal events are idempotent by analysis id (billing's ledger
`_id`, the webhook deliveries' `event_id`, a released hold), so doing it twice is
harmless; not doing it is what this module rules out.
"""

import logging
from datetime import datetime

from faststream.kafka import KafkaBroker

from dossier.contracts.api import ErrorInfo
from dossier.contracts.enums import AnalysisStatus, Environment
from dossier.contracts.events import (
    AnalysisCanceled,
    AnalysisCompleted,
    AnalysisContext,
    AnalysisFailed,
    Event,
)
from dossier.contracts.topics import ANALYSIS_CANCELED, ANALYSIS_COMPLETED, ANALYSIS_FAILED
from dossier.runtime import metrics
from dossier.runtime.bus import publish_event
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.faults import KEY_SHREDDED, fault_point
from dossier.runtime.mongo import Document
from dossier.runtime.read_model import AnalysisReadModel

log = logging.getLogger(__name__)


def terminal_event(outcome: Document, partner_id: str) -> tuple[str, Event] | None:
    """The topic and event announcing a decided outcome (pure). None for a completed
    outcome that no longer carries its analysis (erased)."""
    analysis_id = str(outcome["_id"])
    status = AnalysisStatus(outcome["status"])
    if status is AnalysisStatus.COMPLETED:
        if "analysis" not in outcome:
            return None
        context = AnalysisContext.model_validate(outcome["analysis"]["context"])
        return ANALYSIS_COMPLETED, AnalysisCompleted(
            context=context,
            report_id=analysis_id,
            billable=context.environment is Environment.LIVE,
        )
    if status is AnalysisStatus.FAILED:
        error = ErrorInfo.model_validate(outcome.get("error") or {"code": "failed", "message": ""})
        return ANALYSIS_FAILED, AnalysisFailed(
            analysis_id=analysis_id, partner_id=partner_id, stage=error.stage, error=error
        )
    return ANALYSIS_CANCELED, AnalysisCanceled(analysis_id=analysis_id, partner_id=partner_id)


class Finaliser:
    """Shreds the key and publishes the terminal event of decided analyses, once or more."""

    def __init__(self, read_model: AnalysisReadModel, vault: CvVault, broker: KafkaBroker) -> None:
        self.read_model, self.vault, self.broker = read_model, vault, broker

    async def finish(
        self, analysis_id: str, *, outcome: Document | None = None, partner_id: str | None = None
    ) -> bool:
        """Finish a decided analysis (idempotent). False if it is not decided yet.

        `outcome`/`partner_id`: what the caller already holds (saves keyed reads).
        """
        if outcome is None or partner_id is None:
            found, todo, accepted = (
                await self.read_model.full_outcome(analysis_id),
                await self.read_model.pending_finalisation(analysis_id),
                await self.read_model.accepted(analysis_id),
            )
            outcome = outcome or found
            partner_id = partner_id or _partner_of(todo, accepted, outcome)
            if outcome is None:
                if accepted is not None:
                    return False  # still running: a contender died before its outcome insert
                outcome = {"_id": analysis_id, "status": AnalysisStatus.CANCELED.value}
                partner_id = None  # erased: nothing left to announce, only to shred
        await self.vault.shred(analysis_id)
        fault_point(KEY_SHREDDED)
        event = terminal_event(outcome, partner_id) if partner_id is not None else None
        if event is not None:
            topic, message = event
            await publish_event(self.broker, topic, message, key=analysis_id)
        await self.read_model.inflight.delete_one({"_id": analysis_id})
        await self.read_model.finalisations.delete_one({"_id": analysis_id})
        return True

    async def finish_pending(self, older_than: datetime, limit: int = 100) -> int:
        """Finish every to-do left older than `older_than` (a background job's scan: the
        to-do list holds only analyses decided moments ago). Each on its own: one that
        fails is logged and counted, and the rest go on. Returns how many were finished."""
        finished = 0
        for analysis_id in await self.read_model.finalisations_since(older_than, limit):
            try:
                if await self.finish(analysis_id):
                    finished += 1
                    metrics.ANALYSES_FINALISED_LATE.inc()
                    log.warning(
                        "finished a terminal analysis its decider left unfinished",
                        extra={"analysis_id": analysis_id},
                    )
            except Exception:
                metrics.SWEEP_ERRORS.labels("finalise").inc()
                log.exception("could not finalise", extra={"analysis_id": analysis_id})
        return finished


def _partner_of(*docs: Document | None) -> str | None:
    for doc in docs:
        if doc is None:
            continue
        if doc.get("partner_id"):
            return str(doc["partner_id"])
        nested = doc.get("analysis", {}).get("partner_id")
        if nested:
            return str(nested)
    return None
