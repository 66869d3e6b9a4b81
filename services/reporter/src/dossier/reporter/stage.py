"""The report stage: write the report, render its PDF and HTML page, complete the analysis,
announce it.

Completion is announced exactly when the analysis really completed (the outcome
is a unique insert, so a cancel that won the race is never billed). The CV key is
shredded before the announcement; if the process dies after completing and before
both are done, the finalisation to-do remains, and the redelivered message (or the
gateway's finaliser job) finishes it (`dossier.runtime.terminal`).
"""

import logging

from faststream.kafka import KafkaBroker

from dossier.contracts.api import Metadata, report_html_path, report_pdf_path
from dossier.contracts.claims import CvClaims
from dossier.contracts.enums import AnalysisStatus, Environment, Stage
from dossier.contracts.events import AnalysisEnriched
from dossier.contracts.timestamps import utcnow
from dossier.reporter.adapters.documents import render_documents
from dossier.reporter.domain.report_input import ReportInput
from dossier.reporter.domain.writer import ReportWriter
from dossier.reporter.pdf_store import PdfStore
from dossier.runtime import metrics
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.faults import OUTCOME_INSERTED, fault_point
from dossier.runtime.read_model import AnalysisReadModel, Finished, analysis_document
from dossier.runtime.terminal import Finaliser
from dossier.runtime.tombstones import Tombstones

log = logging.getLogger(__name__)


async def write_report(
    event: AnalysisEnriched,
    *,
    vault: CvVault,
    read_model: AnalysisReadModel,
    pdfs: PdfStore,
    broker: KafkaBroker,
    writer: ReportWriter,
) -> None:
    ctx = event.context
    finaliser = Finaliser(read_model, vault, broker)
    tombstones = Tombstones(read_model.collection.database)
    decided, exists = await read_model.decision(ctx.analysis_id)
    if not exists:
        return  # erased
    if decided is not None:
        # Completed by an earlier attempt that died before shredding or announcing: its
        # to-do is still there, and this redelivery finishes the work now.
        if decided["status"] == AnalysisStatus.COMPLETED.value and (
            await read_model.pending_finalisation(ctx.analysis_id)
        ):
            await finaliser.finish(ctx.analysis_id)
        return
    await read_model.enter_stage(ctx.analysis_id, Stage.REPORT)
    claims = None
    if event.sealed_claims is not None:
        opened = await vault.open(ctx.analysis_id, event.sealed_claims)
        claims = CvClaims.model_validate_json(opened)
    result = await writer.write(
        ReportInput(
            context=ctx,
            claims=claims,
            identity=event.identity,
            signals=event.signals,
            sources=event.sources,
        )
    )
    metadata = Metadata(
        report_id=ctx.analysis_id,
        candidate_id=ctx.candidate.id,
        language=ctx.language,
        generated_at=utcnow(),
        pdf_download_url=report_pdf_path(ctx.analysis_id),
        report_url=report_html_path(ctx.analysis_id),
        writer=result.writer,
        writer_note=result.note,
    )
    pdf, page = await render_documents(
        result.report,
        quick_signal=event.identity.quick_signal,
        signals=[*event.identity.signals, *event.signals],
        report_id=metadata.report_id,
        generated_at=metadata.generated_at,
        language=ctx.language,
    )
    await pdfs.put(ctx.analysis_id, ctx.partner_id, pdf, page)
    finished = Finished(
        quick_signal=event.identity.quick_signal,
        signals=event.signals,
        report=result.report,
        metadata=metadata,
        charged=ctx.environment is Environment.LIVE,
    )
    if not await read_model.complete(ctx, finished):
        await pdfs.delete(ctx.analysis_id)
        return
    fault_point(OUTCOME_INSERTED)
    if await tombstones.is_erased(ctx.analysis_id):
        # Erased while this message was under way (erasure buries first, then purges; this
        # checks after writing): take back what was just written, announce nothing.
        await read_model.outcomes.delete_one({"_id": ctx.analysis_id})
        await pdfs.delete(ctx.analysis_id)
        await finaliser.finish(ctx.analysis_id)
        return
    metrics.ANALYSIS_LATENCY.observe((utcnow() - ctx.requested_at).total_seconds())
    # Shred the key, then announce `analysis.completed` (what billing charges on).
    decided = {
        "_id": ctx.analysis_id,
        "status": AnalysisStatus.COMPLETED.value,
        "analysis": analysis_document(ctx),
    }
    await finaliser.finish(ctx.analysis_id, outcome=decided, partner_id=ctx.partner_id)
    log.info("completed", extra={"decision": result.report.recommendation.decision.value})
