"""The report stage: write the report, render its PDF, complete the analysis, announce it.

Completion is announced exactly when the analysis really completed (the write
is conditional, so a cancel that won the race is never billed). If the process
dies between completing and announcing, the redelivered message finds the
analysis completed but unannounced and announces it then.
"""

import asyncio
import logging

from faststream.kafka import KafkaBroker

from dossier.contracts.api import Metadata, report_pdf_path
from dossier.contracts.claims import CvClaims
from dossier.contracts.enums import AnalysisStatus, Environment, Stage
from dossier.contracts.events import AnalysisCompleted, AnalysisContext, AnalysisEnriched
from dossier.contracts.timestamps import utcnow
from dossier.contracts.topics import ANALYSIS_COMPLETED
from dossier.reporter.adapters.pdf import render_report_pdf
from dossier.reporter.domain.report_input import ReportInput
from dossier.reporter.domain.writer import ReportWriter
from dossier.reporter.pdf_store import PdfStore
from dossier.runtime import metrics
from dossier.runtime.bus import publish_event
from dossier.runtime.cv_vault import CvVault
from dossier.runtime.read_model import AnalysisReadModel, Finished

log = logging.getLogger(__name__)


async def announce_completed(
    context: AnalysisContext, *, read_model: AnalysisReadModel, broker: KafkaBroker
) -> None:
    await publish_event(
        broker,
        ANALYSIS_COMPLETED,
        AnalysisCompleted(
            context=context,
            report_id=context.analysis_id,
            billable=context.environment is Environment.LIVE,
        ),
        key=context.analysis_id,
    )
    await read_model.mark_announced(context.analysis_id)


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
    decided, exists = await read_model.decision(ctx.analysis_id)
    if not exists:
        return  # erased
    if decided is not None:
        # Completed by an earlier attempt that died before announcing: announce now.
        if decided["status"] == AnalysisStatus.COMPLETED.value and not decided.get("announced"):
            await announce_completed(ctx, read_model=read_model, broker=broker)
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
        writer=result.writer,
        writer_note=result.note,
    )
    pdf = await asyncio.to_thread(
        render_report_pdf,
        result.report,
        quick_signal=event.identity.quick_signal,
        signals=[*event.identity.signals, *event.signals],
        report_id=metadata.report_id,
        generated_at=metadata.generated_at,
        language=ctx.language,
    )
    await pdfs.put(ctx.analysis_id, ctx.partner_id, pdf)
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
    await vault.shred(ctx.analysis_id)
    metrics.ANALYSIS_LATENCY.observe((utcnow() - ctx.requested_at).total_seconds())
    await announce_completed(ctx, read_model=read_model, broker=broker)
    log.info("completed", extra={"decision": result.report.recommendation.decision.value})
