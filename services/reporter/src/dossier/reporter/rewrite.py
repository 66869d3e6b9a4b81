"""Reviewer feedback: mark the signal, and for a dismissal rewrite the report without it.

The reporter is the only writer of a completed analysis's outcome document (it
inserted it), so it applies feedback there too: messages of one analysis arrive in
order on one partition, and each one is applied to the document as it stands. A
dismissal first flags the outcome `regenerating` (the analysis shows `processing`,
stage `report`), writes the new report from the stored findings minus the dismissed
ones, then replaces report, metadata and signals and clears the flag in one keyed
update, with `revision` + 1. It announces `analysis.updated` — never
`analysis.completed`, so billing (which charges on that event only) charges nothing,
and no credit is held (holds are taken when an analysis is accepted).

A redelivered message finds the verdict already applied and does nothing, unless the
flag is still up (the process died mid-rewrite): then the rewrite runs again. If the
rewrite keeps failing, the flag is cleared (the previous report stands, the verdict
is not marked) and the message is dead-lettered with the note blanked.
"""

import asyncio
import logging
from typing import Any

from faststream.kafka import KafkaBroker, KafkaMessage

from dossier.contracts.api import (
    Metadata,
    QuickSignal,
    Report,
    SourceCheck,
    report_html_path,
    report_pdf_path,
)
from dossier.contracts.enums import AnalysisStatus
from dossier.contracts.events import (
    AnalysisContext,
    AnalysisUpdated,
    DeadLetter,
    FeedbackGiven,
    IdentityResolution,
)
from dossier.contracts.timestamps import utcnow
from dossier.contracts.topics import ANALYSIS_FEEDBACK, ANALYSIS_UPDATED, dead_letter_topic
from dossier.reporter.adapters.documents import render_documents
from dossier.reporter.domain.feedback import (
    REWRITE_NOTE,
    apply_verdict,
    dismissed_count,
    remaining,
)
from dossier.reporter.domain.report_input import ReportInput
from dossier.reporter.domain.writer import ReportWriter
from dossier.reporter.pdf_store import PdfStore
from dossier.runtime import metrics
from dossier.runtime.bus import publish_event
from dossier.runtime.faults import REWRITE_FLAGGED, fault_point
from dossier.runtime.logging import log_context
from dossier.runtime.mongo import Document
from dossier.runtime.read_model import AnalysisReadModel, wire
from dossier.runtime.stage import UNAVAILABLE
from dossier.runtime.tombstones import Tombstones

log = logging.getLogger(__name__)


async def apply_feedback(
    event: FeedbackGiven,
    *,
    read_model: AnalysisReadModel,
    pdfs: PdfStore,
    broker: KafkaBroker,
    writer: ReportWriter,
) -> None:
    outcome = await read_model.full_outcome(event.analysis_id)
    if (
        outcome is None
        or "analysis" not in outcome
        or outcome["status"] != AnalysisStatus.COMPLETED.value
        or outcome["analysis"].get("partner_id") != event.partner_id
    ):
        log.info("feedback for an analysis that is not a completed one (erased?); dropped")
        return
    stored = outcome["stages"]["enrichment"].get("signals", [])
    applied = apply_verdict(stored, event.signal_id, event.verdict, event.note, event.given_at)
    interrupted = outcome.get("regenerating") is not None
    if applied is None and not interrupted:
        return  # unknown signal, or this verdict is already shown: a repeated message
    outcomes = read_model.outcomes
    signals = applied.signals if applied is not None else stored
    if applied is not None and not applied.rewrite:
        await outcomes.update_one(
            {"_id": event.analysis_id}, {"$set": {"stages.enrichment.signals": signals}}
        )
        log.info("feedback recorded", extra={"verdict": event.verdict.value})
        return
    since = utcnow()
    await outcomes.update_one(
        {"_id": event.analysis_id},
        {"$set": {"regenerating": {"since": since, "signal_id": event.signal_id}}},
    )
    fault_point(REWRITE_FLAGGED)
    try:
        revision = await _rewrite(outcome, signals, read_model=read_model, pdfs=pdfs, writer=writer)
    except Exception:
        # The previous report stands (the verdict is not marked: a retry applies it anew).
        await outcomes.update_one({"_id": event.analysis_id}, {"$unset": {"regenerating": ""}})
        raise
    if await Tombstones(read_model.collection.database).is_erased(event.analysis_id):
        await outcomes.delete_one({"_id": event.analysis_id})
        await pdfs.delete(event.analysis_id)
        return
    await publish_event(
        broker,
        ANALYSIS_UPDATED,
        AnalysisUpdated(
            analysis_id=event.analysis_id, partner_id=event.partner_id, revision=revision
        ),
        key=event.analysis_id,
    )
    log.info("report rewritten after feedback", extra={"revision": revision})


async def _rewrite(
    outcome: Document,
    signals: list[dict[str, Any]],
    *,
    read_model: AnalysisReadModel,
    pdfs: PdfStore,
    writer: ReportWriter,
) -> int:
    """Write the report again from the findings not dismissed; store it. The new revision."""
    analysis_id = str(outcome["_id"])
    ctx = AnalysisContext.model_validate(outcome["analysis"]["context"])
    stages = outcome["stages"]
    quick_signal = QuickSignal.model_validate(stages["identity"]["quick_signal"])
    previous = Report.model_validate(stages["report"]["report"])
    kept = remaining(signals)
    result = await writer.write(
        ReportInput(
            context=ctx,
            claims=None,  # shredded with the CV key at completion
            identity=IdentityResolution(quick_signal=quick_signal),
            signals=kept,
            sources=[SourceCheck.model_validate(s) for s in (previous.sources or [])],
        )
    )
    note = REWRITE_NOTE.format(count=dismissed_count(signals))
    metadata = Metadata(
        report_id=analysis_id,
        candidate_id=ctx.candidate.id,
        language=ctx.language,
        generated_at=utcnow(),
        pdf_download_url=report_pdf_path(analysis_id),
        report_url=report_html_path(analysis_id),
        writer=result.writer,
        writer_note=f"{result.note} {note}" if result.note else note,
    )
    pdf, page = await render_documents(
        result.report,
        quick_signal=quick_signal,
        signals=kept,
        report_id=analysis_id,
        generated_at=metadata.generated_at,
        language=ctx.language,
    )
    await pdfs.put(analysis_id, ctx.partner_id, pdf, page)
    revision = int(outcome.get("revision") or 0) + 1
    now = utcnow()
    await read_model.outcomes.update_one(
        {"_id": analysis_id},
        {
            "$set": {
                "stages.enrichment.signals": signals,
                "stages.report.report": wire(result.report),
                "stages.report.metadata": wire(metadata),
                "stages.report.revision": revision,
                "stages.report.revised_at": now,
                "stages.report.updated_at": now,
                "revision": revision,
            },
            "$unset": {"regenerating": ""},
        },
    )
    return revision


async def handle_feedback(
    event: FeedbackGiven,
    message: KafkaMessage,
    *,
    service: str,
    max_attempts: int,
    backoff_seconds: float,
    read_model: AnalysisReadModel,
    pdfs: PdfStore,
    broker: KafkaBroker,
    writer: ReportWriter,
) -> None:
    """Apply one feedback message: retried a few times, then dead-lettered (note blanked).

    Not the stages' `StageRunner`: failing a rewrite must not fail the analysis, which
    is completed and keeps its previous report.
    """
    with log_context(analysis_id=event.analysis_id, partner_id=event.partner_id):
        for attempt in range(1, max_attempts + 1):
            try:
                await apply_feedback(
                    event, read_model=read_model, pdfs=pdfs, broker=broker, writer=writer
                )
            except UNAVAILABLE:
                raise  # left uncommitted: comes back once the store or broker is back
            except Exception as exc:
                log.warning(
                    "feedback attempt %d/%d failed (%s)", attempt, max_attempts, type(exc).__name__
                )
                if attempt < max_attempts:
                    metrics.MESSAGES_RETRIED.labels(ANALYSIS_FEEDBACK, service).inc()
                    await asyncio.sleep(backoff_seconds * 2 ** (attempt - 1))
            else:
                metrics.MESSAGES_CONSUMED.labels(ANALYSIS_FEEDBACK, service).inc()
                return
        raw = message.raw_message
        record = raw[0] if isinstance(raw, tuple) else raw
        await publish_event(
            broker,
            dead_letter_topic(ANALYSIS_FEEDBACK),
            DeadLetter(
                service=service,
                topic=ANALYSIS_FEEDBACK,
                partition=record.partition,
                offset=record.offset,
                key=event.analysis_id,
                error="feedback_error: the report could not be rewritten",
                payload=event.model_copy(update={"note": None}).model_dump_json(by_alias=True),
            ),
            key=event.analysis_id,
        )
        metrics.MESSAGES_FAILED.labels(ANALYSIS_FEEDBACK, service).inc()
        log.error("feedback dead-lettered; the previous report stands")
